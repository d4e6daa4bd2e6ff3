"""``cxgap sla import-tickets`` writes a CASES.json that ``sla evaluate`` and ``sla
compliance`` read; refusals name the file, row, column and value in French and English."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from tests.sla.builders import office_calendar
from tests.tickets.helpers import DATA, SAME_DAY, URGENT

runner = CliRunner()
POLICY = {"calendar": office_calendar(), "policies": [URGENT, SAME_DAY]}
NOW = ["--now", "2026-03-31T12:00:00+02:00"]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def imported(tmp_path: Path) -> Path:
    output = tmp_path / "cases.json"
    code, _, err = run(
        "sla", "import-tickets", str(DATA / "zendesk_view.csv"),
        "--timezone", "Europe/Paris", "--output", str(output),
    )  # fmt: skip
    assert code == 0, err
    assert "4 cases read from 4 rows (zendesk-csv)" in err
    return output


def policy_file(tmp_path: Path, document: dict[str, Any] = POLICY) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_imported_tickets_run_through_sla_evaluate(tmp_path: Path) -> None:
    cases = imported(tmp_path)
    policy = policy_file(tmp_path)
    code, out, _ = run("sla", "evaluate", "--policy", str(policy), "--cases", str(cases), *NOW)
    assert code == 0
    first = json.loads(out)["cases"][0]
    assert (first["id"], first["policy"]) == ("101", "urgent")
    assert first["metrics"]["first_response"] == {
        "due": "2026-03-02T13:45:00+01:00",
        "satisfied_at": "2026-03-02T14:00:00+01:00",
        "business_minutes": 75,
        "status": "missed",
    }
    report = json.loads(cases.read_text(encoding="utf-8"))["import"]
    assert report["unmeasured"] == {"next_response": 4, "resolution": 1}


def test_compliance_of_a_month_by_priority(tmp_path: Path) -> None:
    cases = imported(tmp_path)
    policy = policy_file(tmp_path)
    code, out, _ = run(
        "sla", "compliance", "--policy", str(policy), "--cases", str(cases),
        "--month", "2026-03", "--by", "priority", *NOW,
    )  # fmt: skip
    assert code == 0
    shown = json.loads(out)
    # 101 first response missed, resolution hit; 102 first response hit (resolution
    # unmeasured); 103 never answered: both missed; 104 both hit
    assert (shown["overall"]["hit"], shown["overall"]["missed"]) == (4, 3)
    assert shown["overall"]["ci95"] == [25.05, 84.18]  # Wilson, 4 of 7
    assert shown["overall"]["small"] is True
    # only the metrics a policy names: next response in the urgent policy (101, 104)
    assert shown["unmeasured"] == {"next_response": 2, "resolution": 1}
    urgent = next(g for g in shown["by"]["priority"] if g["value"] == "urgent")
    assert (urgent["hit"], urgent["missed"], urgent["rate"]) == (2, 0, 100)


def test_compliance_by_tier_from_a_menu_over_a_date_range(tmp_path: Path) -> None:
    cases = imported(tmp_path)
    menu = {**POLICY, "tiers": [{"name": "premium", "fee": 100, "accounts": ["acme"]}]}
    policy = policy_file(tmp_path, menu)
    code, out, _ = run(
        "sla", "compliance", "--policy", str(policy), "--cases", str(cases),
        "--from", "2026-03-02", "--to", "2026-03-03", "--by", "tier", *NOW,
    )  # fmt: skip
    assert code == 0
    shown = json.loads(out)
    assert shown["cases"] == 3  # 104 was created on the 4th
    tiers = {g["value"]: (g["hit"], g["missed"]) for g in shown["by"]["tier"]}
    assert tiers == {"premium": (1, 3), None: (1, 0)}  # acme: 101 and 103; globex: 102


def test_the_compliance_table_speaks_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    cases = imported_fr(tmp_path)
    policy = policy_file(tmp_path)
    code, out, _ = run(
        "sla", "compliance", "--policy", str(policy), "--cases", str(cases),
        "--month", "2026-03", "--by", "team", "--format", "table", *NOW,
    )  # fmt: skip
    assert code == 0
    assert "Intervalle à 95 %" in out and "équipe" in out and "n = 1 < 30" in out


def imported_fr(tmp_path: Path) -> Path:
    output = tmp_path / "cas.json"
    code, _, err = run(
        "sla", "import-tickets", str(DATA / "zendesk_view_fr.csv"),
        "--timezone", "Europe/Paris", "--output", str(output),
    )  # fmt: skip
    assert code == 0 and "2 cas lus sur 2 lignes" in err
    return output


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en", 'zendesk_view.csv, row 2, column "Created at": a date and time without a time zone'),
        ("fr", "zendesk_view.csv, ligne 2, colonne « Created at » : date et heure sans fuseau"),
    ],
)
def test_a_refusal_names_the_file_row_column_and_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str, words: str
) -> None:
    monkeypatch.setenv("CXGAP_LOCALE", locale)
    output = tmp_path / "cases.json"
    code, out, err = run(
        "sla", "import-tickets", str(DATA / "zendesk_view.csv"), "--output", str(output)
    )
    assert code == 2 and out == "" and "Traceback" not in err
    assert words in err and '"2026-03-02 11:45:00"' in err
    assert not output.exists()  # nothing written from a refused file


def test_a_map_without_an_equals_sign_is_refused(tmp_path: Path) -> None:
    code, _, err = run(
        "sla", "import-tickets", str(DATA / "mapped.csv"), "--preset", "mapped",
        "--map", "Ticket", "--output", str(tmp_path / "c.json"),
    )  # fmt: skip
    assert code == 2 and "--map" in err and '"Ticket"' in err


def test_a_month_is_required_unless_a_range_is_given(tmp_path: Path) -> None:
    cases = imported(tmp_path)
    policy = policy_file(tmp_path)
    code, _, err = run("sla", "compliance", "--policy", str(policy), "--cases", str(cases))
    assert code == 2 and "--month" in err


def test_an_empty_file_and_an_unwritable_output_are_refused_without_a_traceback(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    code, _, err = run("sla", "import-tickets", str(empty), "--output", str(tmp_path / "c.json"))
    assert code == 2 and "empty.csv" in err and "Traceback" not in err
    nowhere = tmp_path / "missing-folder" / "cases.json"
    code, _, err = run(
        "sla", "import-tickets", str(DATA / "mapped.csv"), "--preset", "mapped",
        "--map", "id=Ticket", "--map", "created_at=Opened", "--output", str(nowhere),
    )  # fmt: skip
    assert code == 2 and "cannot be written (FileNotFoundError)" in err


def test_the_command_offers_every_layout_and_dimension_the_library_knows() -> None:
    from cxgap.cli.sla_history import Dimension, Preset
    from cxgap.sla.compliance import DIMENSIONS
    from cxgap.tickets.importing import PRESETS

    assert tuple(Preset) == PRESETS
    assert tuple(Dimension) == DIMENSIONS
