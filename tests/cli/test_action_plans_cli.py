"""``cxgap actions list|create|show|update|status|comment|step|reminders`` on a real
database; ``cxgap actions impact`` is unchanged beside them (tests/cli/test_contract.py)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import teams
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace

runner = CliRunner()


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def common(cx: Cxgap) -> tuple[str, ...]:
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "ana@example.com", workspace=acme)
        teams.create_team(session, workspace=acme, key="care", name="Care")
    return ("--workspace", "acme", "--database-url", cx.settings.database_url)


def test_an_action_from_planning_to_done(common: tuple[str, ...]) -> None:
    code, out, err = cxgap(
        "actions", "create", *common, "--title", "Call back detractors", "--tie", "pillar",
        "--key", "service", "--owner", "ana@example.com", "--team", "care", "--start",
        "2026-03-01", "--due", "2026-04-30", "--metric", "nps", "--segment", "pro",
        "--as", "ana@example.com", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)
    number = str(made["id"])
    assert made["target"] == {
        "metric": "nps", "pillar": None, "topic": None, "touchpoint": None, "segment": "pro",
    }  # fmt: skip
    assert (made["owner"], made["team"], made["late"]) == ("ana@example.com", "care", True)
    for args in (
        ("update", number, "--progress", "40", "--due", "2026-05-15"),
        ("step", "add", number, "Write the script", "--due", "2026-03-15"),
        ("step", "done", number, "1"),
        ("comment", number, "Started in Lyon", "--as", "ana@example.com"),
        ("status", number, "in_progress"),
    ):
        head = args[:2] if args[0] == "step" else args[:1]
        code, out, err = cxgap("actions", *head, *common, *args[len(head) :])
        assert code == 0, (args, err)
    code, out, _ = cxgap("actions", "show", *common, number, "--format", "json")
    shown = json.loads(out)
    assert (shown["status"], shown["progress"], shown["due_date"]) == (
        "in_progress",
        40,
        "2026-05-15",
    )
    assert [(s["title"], s["done"]) for s in shown["steps"]] == [("Write the script", True)]
    # The measured impact of its target: NPS of the segment pro from the start date.
    impact = shown["impact"]
    assert (impact["target"], impact["start"]) == (made["target"], "2026-03-01")
    assert impact["moved"] in {"better", "worse", "no_change", "not_enough_data"}
    assert impact["moved"] != "not_enough_data" or impact["reason"]["en"]
    code, out, _ = cxgap("actions", "show", *common, number)
    assert f"impact: {impact['moved']}" in out
    assert [(c["author"], c["body"]) for c in shown["comments"]] == [
        ("ana@example.com", "Started in Lyon")
    ]
    code, out, _ = cxgap("actions", "list", *common, "--late")
    assert out.startswith(f"#{number}") and "LATE" in out and "[pillar:service]" in out
    cxgap("actions", "status", *common, number, "done")
    code, out, _ = cxgap("actions", "list", *common, "--late", "--format", "json")
    assert json.loads(out) == {"actions": []}
    code, out, _ = cxgap("actions", "list", *common, "--status", "done", "--format", "json")
    assert [a["progress"] for a in json.loads(out)["actions"]] == [100]
    code, out, _ = cxgap("actions", "reminders", *common, "--days", "5")
    assert (code, out.strip()) == (0, "5")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("create", "--title", "X", "--owner", "eve@example.com"), "'owner'"),
        (("create", "--title", "X", "--due", "2026-02-30"), "'2026-02-30'"),
        (("create", "--title", "X", "--metric", "pillar"), "'pillar'"),
        (("create", "--title", "X", "--tie", "pillar", "--key", "speed"), "'speed'"),
        (("list", "--status", "finished"), "'finished'"),
        (("show", "99"), "No action 99"),
        (("reminders", "--days", "61"), "61"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_value(
    common: tuple[str, ...], args: tuple[str, ...], said: str
) -> None:
    code, _, err = cxgap("actions", args[0], *common, *args[1:])
    assert code == 2 and said in err, err
