"""``cxgap sla evaluate`` and ``cxgap credits compute`` run on JSON files written here, with no
database and no data folder; the JSON is checked whole (the contract of issue 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from tests.sla.builders import office_calendar

runner = CliRunner()
POLICY = {
    "calendar": {**office_calendar(), "holidays": ["2026-12-24"], "holiday_country": None},
    "policies": [
        {
            "name": "high",
            "match": {"priority": "high"},
            "targets": {"first_response": 60, "resolution": 240},
            "pause_statuses": ["pending_customer"],
            "description": "more keys are allowed",
        },
        {"name": "default", "match": {}, "targets": {"first_response": 480, "next_response": 60}},
    ],
}
CASES = [
    {  # Friday before the spring change: the due time is given with the summer offset
        "id": "C1",
        "account": "acme",
        "priority": "high",
        "created_at": "2026-03-27T17:00:00+01:00",
        "events": [
            {"at": "2026-03-27T17:05:00+01:00", "type": "reply", "by": "agent", "public": False},
            {"at": "2026-03-30T09:30:00+02:00", "type": "reply", "by": "agent", "public": True},
            {"at": "2026-03-30T09:31:00+02:00", "type": "status", "status": "pending_customer"},
        ],
    },
    {"id": "C2", "account": "acme", "priority": "low", "created_at": "2026-03-30T08:00:00Z"},
]


def run(tmp_path: Path, *args: str, **files: Any) -> tuple[int, str, str]:
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    result = runner.invoke(app, [a.replace("@", f"{tmp_path}/") for a in args])
    return result.exit_code, result.stdout, result.stderr


def evaluate(tmp_path: Path, *more: str, **files: Any) -> tuple[int, str, str]:
    files = {"policy": POLICY, "cases": CASES, **files}
    return run(tmp_path, "sla", "evaluate", "--policy", "@policy.json", "--cases",
               "@cases.json", *more, **files)  # fmt: skip


def test_evaluate_prints_the_contract_json(tmp_path: Path) -> None:
    code, out, _ = evaluate(tmp_path, "--now", "2026-03-30T10:00:00+02:00", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "cases": [
            {
                "id": "C1",
                "policy": "high",
                "metrics": {
                    # Friday 17:00–18:00 (60): due at Friday's close; answered Monday 09:30
                    "first_response": {
                        "due": "2026-03-27T18:00:00+01:00",
                        "satisfied_at": "2026-03-30T09:30:00+02:00",
                        "business_minutes": 90,
                        "status": "missed",
                    },
                    # 60 Friday + 31 Monday, then pending: paused, no due time
                    "resolution": {
                        "due": None,
                        "satisfied_at": None,
                        "business_minutes": 91,
                        "status": "paused",
                    },
                },
            },
            {
                "id": "C2",
                "policy": "default",
                "metrics": {
                    # created 10:00 in Paris, nothing used yet; 420 min to Monday's close,
                    # the last 60 on Tuesday: due Tuesday 10:00
                    "first_response": {
                        "due": "2026-03-31T10:00:00+02:00",
                        "satisfied_at": None,
                        "business_minutes": 0,
                        "status": "active",
                    },
                    "next_response": {
                        "due": None,
                        "satisfied_at": None,
                        "business_minutes": 0,
                        "status": None,
                    },
                },
            },
        ]
    }


def test_details_add_targets_time_left_and_warnings(tmp_path: Path) -> None:
    # --now without an offset is read in the calendar's zone, like the files' instants
    code, out, _ = evaluate(tmp_path, "--now", "2026-03-30T10:00:00", "--details")
    first = json.loads(out)["cases"][1]["metrics"]["first_response"]
    assert code == 0
    assert (first["target"], first["business_minutes_left"], first["warning"]) == (480, 480, False)


def test_the_table_speaks_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    code, out, _ = evaluate(tmp_path, "--now", "2026-03-30T10:00:00+02:00", "--format", "table")
    assert code == 0
    assert "Échéance" in out and "première réponse" in out and "en pause" in out


def test_a_bad_instant_names_the_file_the_path_and_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = json.loads(json.dumps(CASES))
    broken[0]["events"][1]["at"] = "lundi matin"
    for locale, words in (("en", "not an ISO 8601"), ("fr", "ce n'est pas une date")):
        monkeypatch.setenv("CXGAP_LOCALE", locale)
        code, out, err = evaluate(tmp_path, cases=broken)
        assert code == 2 and out == "" and "Traceback" not in err
        assert "cases.json, cases[0].events[1].at" in err
        assert '"lundi matin"' in err and words in err


@pytest.mark.parametrize(
    ("policy", "path"),
    [
        ({**POLICY, "calendar": {**POLICY["calendar"], "timezone": "Mars/Olympus"}},
         "calendar.timezone"),
        ({**POLICY, "policies": [{"name": "x", "targets": {"first_reply": 5}}]},
         "policies[0].targets.first_reply"),
        ({**POLICY, "calendar": {**POLICY["calendar"], "hours": {"mon": [["14:00", "09:00"]]}}},
         "calendar.hours.mon[0]"),
        ({**POLICY, "calendar": {**POLICY["calendar"], "holiday_country": "XX"}},
         "calendar.holiday_country"),
    ],
)  # fmt: skip
def test_bad_policies_are_refused_with_their_path(
    tmp_path: Path, policy: dict[str, Any], path: str
) -> None:
    code, _, err = evaluate(tmp_path, policy=policy)
    assert code == 2 and f"policy.json, {path}:" in err and "Traceback" not in err


def test_a_file_that_is_not_json(tmp_path: Path) -> None:
    code, _, err = evaluate(tmp_path, cases="[{")
    assert code == 2 and "cases.json" in err and "not valid JSON" in err


MENU = {
    **POLICY,
    "tiers": [
        {
            "name": "premium",
            "fee": 1000,
            "accounts": ["acme"],
            "sla_credits": [{"below": 95, "percent": 10}, {"below": 90, "percent": 25}],
            "availability_target": 99.9,
            "availability_credits": [
                {"below": 99.9, "percent": 10},
                {"below": 99.0, "percent": 25},
            ],
            "cap_percent": 50,
        },
        {"name": "standard", "fee": 100, "accounts": ["zeta"]},
    ],
}
# April 2026 in Paris: 30 days, 43,200 minutes; 8 h 38 min down (518 min) → 98.80 %
INCIDENTS = [{"start": "2026-04-02T08:00:00+02:00", "end": "2026-04-02T16:38:00+02:00",
              "accounts": "all"}]  # fmt: skip
APRIL_CASES = [
    {"id": "A1", "account": "acme", "priority": "high", "created_at": "2026-04-06T09:00:00+02:00",
     "events": [{"at": "2026-04-06T09:30:00+02:00", "type": "reply", "by": "agent"},
                {"at": "2026-04-06T15:00:00+02:00", "type": "status", "status": "resolved"}]},
    {"id": "A2", "account": "acme", "priority": "high", "created_at": "2026-04-07T09:00:00+02:00",
     "events": [{"at": "2026-04-07T11:00:00+02:00", "type": "reply", "by": "agent"}]},
]  # fmt: skip


def test_credits_compute_prints_the_contract_json(tmp_path: Path) -> None:
    code, out, _ = run(
        tmp_path, "credits", "compute", "--menu", "@menu.json", "--cases", "@cases.json",
        "--incidents", "@incidents.json", "--month", "2026-04", "--format", "json",
        "--now", "2026-05-01T00:00:00+02:00",
        menu=MENU, cases=APRIL_CASES, incidents=INCIDENTS,
    )  # fmt: skip
    assert code == 0
    # acme: A1 first response hit (30 of 60); its resolution took 09:00–12:30 (210) + 13:30–15:00
    # (90) = 300 > 240 → missed; A2 first response 120 > 60 → missed, its resolution (due
    # 7 April 14:00) still open on 1 May → missed. 1 hit of 4 = 25 % (< 90: 25 %); availability
    # 100 × (1 − 518 / 43,200) = 98.80 % (< 99: 25 %); 25 + 25 = 50 (the cap) → 500 of 1,000
    assert json.loads(out) == {
        "accounts": [
            {
                "account": "acme",
                "tier": "premium",
                "sla_hit_rate": 25,
                "availability": 100 * (1 - 518 / 43_200),
                "credit_percent": 50,
                "credit_amount": 500.0,
            },
            {
                "account": "zeta",
                "tier": "standard",
                "sla_hit_rate": None,
                "availability": 100 * (1 - 518 / 43_200),
                "credit_percent": 0,
                "credit_amount": 0.0,
            },
        ]
    }


def test_credits_without_incidents_and_a_bad_month(tmp_path: Path) -> None:
    args = ["credits", "compute", "--menu", "@menu.json", "--cases", "@cases.json"]
    code, out, _ = run(tmp_path, *args, "--month", "2026-04", menu=MENU, cases=APRIL_CASES)
    assert code == 0 and json.loads(out)["accounts"][0]["availability"] == 100
    code, _, err = run(tmp_path, *args, "--month", "April", menu=MENU, cases=APRIL_CASES)
    assert code == 2 and "--month" in err and '"April"' in err


def test_missing_files_values_and_options_are_named(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "sla", "evaluate", "--policy", "@policy.json", "--cases",
                       "@absent.json", policy=POLICY)  # fmt: skip
    assert code == 2 and err.strip() == "absent.json: the file cannot be read (FileNotFoundError)"
    code, _, err = evaluate(tmp_path, "--now", "yesterday")
    assert code == 2 and err.strip().startswith("--now: not an ISO 8601") and '"yesterday"' in err
    code, _, err = evaluate(tmp_path, cases=[{"id": "C9"}])
    assert code == 2 and err.strip() == "cases.json, cases[0].created_at: this value is required"


def test_credits_table_and_details(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["credits", "compute", "--menu", "@menu.json", "--cases", "@cases.json",
            "--incidents", "@incidents.json", "--month", "2026-04",
            "--now", "2026-05-01T00:00Z"]  # fmt: skip
    code, out, _ = run(tmp_path, *args, "--details", menu=MENU, cases=APRIL_CASES,
                       incidents=INCIDENTS)  # fmt: skip
    acme = json.loads(out)["accounts"][0]
    assert code == 0
    assert (acme["metrics_hit"], acme["metrics_missed"], acme["downtime_minutes"]) == (1, 3, 518)
    assert (acme["cases"], acme["fee"]) == (["A1", "A2"], 1000.0)
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    code, out, _ = run(tmp_path, *args, "--format", "table")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:2] == ["Compte", "Formule"]
    assert lines[2].split() == ["acme", "premium", "25.00", "98.801", "50", "500.00"]
