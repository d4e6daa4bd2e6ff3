"""``cxgap events import`` and ``cxgap events variants``: the contract of issue 14, on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from tests.events.logs import as_counter, expected_variants, generate, shuffled, write_csv
from tests.factories import make_workspace

pytestmark = pytest.mark.on_postgresql  # event imports: COPY on PostgreSQL

runner = CliRunner()


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def url(cx: Cxgap, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CXGAP_SECRET_KEY", "cli-test-secret")
    with cx.transaction() as session:
        make_workspace(session)
    return cx.settings.database_url


def test_import_then_variants_as_the_contract_says(url: str, tmp_path: Path) -> None:
    events = shuffled(generate(cases=40, seed=9))
    path = write_csv(tmp_path / "log.csv", events)
    code, out, err = cxgap(
        "events", "import", str(path), "--workspace", "acme", "--preset", "process-mining",
        "--database-url", url,
    )  # fmt: skip
    assert code == 0, err
    assert "Stored" in out
    code, out, err = cxgap("events", "variants", "--workspace", "acme", "--format", "json",
                           "--database-url", url)  # fmt: skip
    assert code == 0, err
    shape = json.loads(out)
    expected = expected_variants(events)
    assert set(shape) >= {"cases", "events", "variants"}
    assert (shape["cases"], shape["events"]) == (sum(expected.values()), len(events))
    assert all(set(v) >= {"activities", "cases"} for v in shape["variants"])
    counts = [v["cases"] for v in shape["variants"]]
    assert counts == sorted(counts, reverse=True)
    assert as_counter(shape) == expected
    code, out, _ = cxgap("events", "variants", "--workspace", "acme", "--database-url", url)
    assert code == 0 and f"{len(events):,} events" in out


def test_a_refused_file_says_row_column_and_value_in_french(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    path = tmp_path / "log.csv"
    path.write_text(
        "case:concept:name,concept:name,time:timestamp\nA,Visit,2024-03-01T10:00:00\nA,Order,hier\n"
    )
    code, _, err = cxgap("events", "import", str(path), "--workspace", "acme",
                         "--database-url", url)  # fmt: skip
    assert code == 2
    assert "rien n’a été enregistré" in err
    assert "log.csv, ligne 3, colonne « time:timestamp »" in err
    assert "(valeur « hier »)" in err
    code, out, _ = cxgap("events", "variants", "--workspace", "acme", "--format", "json",
                         "--database-url", url)  # fmt: skip
    assert json.loads(out) == {"cases": 0, "events": 0, "variants": []}


def test_keep_customer_ref_and_mapping_options(url: str, tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Who,Type,Day\nC-7,Call,2024-03-01\nC-7,Visit,2024-03-02\n")
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"fields": {"case": "Who", "activity": "Type",
                                              "timestamp": "Day"}}))  # fmt: skip
    code, out, err = cxgap("events", "import", str(path), "--workspace", "acme", "--mapping",
                           str(mapping), "--keep-customer-ref", "--format", "json",
                           "--database-url", url)  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["columns"] == {"case": "Who", "activity": "Type", "timestamp": "Day"}
    code, out, _ = cxgap("events", "variants", "--workspace", "acme", "--format", "json",
                         "--database-url", url)  # fmt: skip
    assert json.loads(out)["variants"][0]["activities"] == ["Call", "Visit"]
