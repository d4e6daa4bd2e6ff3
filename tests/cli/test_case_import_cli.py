"""``cxgap cases import``: tickets stored as cases, again without duplicates, refused whole
with the file, row, column and value in French and English; the cases count in the credits.

Account ``acme`` (tickets 101 and 103 of ``zendesk_view.csv``) on the default Premium tier:
101 hits its first response and resolution, 103 misses both (see
``tests/services/test_case_imports.py``): a 50 % hit rate, below 90 %: 25 % of 990 € credited.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import service_levels
from cxgap.services.core import Cxgap
from cxgap.sla.defaults import default_document
from tests.factories import make_workspace
from tests.tickets.helpers import DATA

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports

runner = CliRunner()


def run(*args: str, lang: str = "en") -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"CXGAP_LOCALE": lang})
    return result.exit_code, result.stdout, result.stderr


def test_import_twice_then_the_credit_statement_counts_the_cases(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        document = default_document()
        document["tiers"][1]["accounts"] = ["acme"]
        service_levels.save_document(session, workspace=workspace, document=document, user_id=None)
    common = ("--workspace", "acme", "--database-url", cx.settings.database_url)
    code, out, err = run("cases", "import", *common, str(DATA / "zendesk_view.csv"))
    assert code == 0, err
    assert "zendesk_view.csv: 4 tickets read from 4 rows (zendesk-csv): 4 cases created" in out
    code, out, err = run(
        "cases", "import", *common, str(DATA / "zendesk_view.csv"), "--json", lang="fr"
    )
    assert code == 0, err
    assert json.loads(out)["created"] == 0 and json.loads(out)["updated"] == 4
    code, out, _ = run("cases", "list", *common, "--json")
    assert len(json.loads(out)["cases"]) == 4
    code, out, err = run(
        "credits", "statement", *common, "--month", "2026-03", "--now", "2026-03-31T12:00:00+02:00"
    )
    assert code == 0, err
    [acme] = [a for a in json.loads(out)["accounts"] if a["account"] == "acme"]
    assert (acme["sla_hit_rate"], acme["credit_percent"], acme["credit_amount"]) == (50, 25, 247.5)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", 'tickets.csv, row 4, column "Priority": a case\'s priority is one of low, normal'),
        ("fr", "tickets.csv, ligne 4, colonne « Priority » : la priorité d’un dossier est l’une"),
    ],
)
def test_a_bad_row_is_refused_whole_in_the_readers_language(
    cx: Cxgap, tmp_path: Path, lang: str, expected: str
) -> None:
    with cx.transaction() as session:
        make_workspace(session)
    lines = (DATA / "zendesk_view.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",Normal,", ",P1,")
    bad = tmp_path / "tickets.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    common = ("--workspace", "acme", "--database-url", cx.settings.database_url)
    code, out, err = run("cases", "import", *common, str(bad), lang=lang)
    assert code == 2
    assert expected in err and '"P1"' in err
    code, out, _ = run("cases", "list", *common, "--json")
    assert json.loads(out)["cases"] == []
