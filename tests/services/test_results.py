"""Results gathered from the database agree with a recomputation from the raw export."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cxgap.db.revisions import revision_of
from cxgap.db.tables import CustomerResponse, InternalResponse, Workspace
from cxgap.ingest import open_table
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.exports import export_answers
from cxgap.services.results import results_for
from cxgap.services.workspaces import get_workspace, set_pillar_retired
from tests.demo_prepared import prepare_demo
from tests.prepared import Prepared


@pytest.fixture
def demo_cx(cx: Cxgap, prepared: Prepared) -> Cxgap:
    prepare_demo(prepared, cx, n_customers=200)  # shared with the other results tests
    return cx


def read_csv(path: Path) -> list[dict[str, str]]:
    """The export as any reader finds it: BOM and delimiter (``;`` in French) detected."""
    with open_table(path) as table:
        return [{name: value or "" for name, value in values.items()} for _, values in table]


def test_demo_is_created_once(demo_cx: Cxgap) -> None:
    with demo_cx.transaction() as session:
        assert create_demo_workspace(session, n_customers=200) is False
    with demo_cx.reading() as session:
        assert session.scalar(select(func.count(Workspace.id))) == 1
        assert session.scalar(select(func.count(CustomerResponse.id))) == 200
        assert session.scalar(select(func.count(InternalResponse.id))) == 12


def test_every_figure_can_be_recomputed_from_the_export(demo_cx: Cxgap, tmp_path: Path) -> None:
    with demo_cx.transaction() as session:
        ws = get_workspace(session, "demo")
        results = results_for(session, ws)
        export_answers(session, workspace=ws, output_dir=tmp_path)
    customers = read_csv(tmp_path / "customer_answers.csv")
    internal = read_csv(tmp_path / "internal_answers.csv")
    assert len(customers) == results["nps"]["n"] == 200
    nps = [int(r["nps"]) for r in customers]
    expected_nps = 100 * (sum(n >= 9 for n in nps) - sum(n <= 6 for n in nps)) / len(nps)
    assert results["nps"]["score"] == pytest.approx(expected_nps)
    by_key = {p["key"]: p for p in results["pillars"]}
    for key, pillar in by_key.items():
        performance = [int(r[f"{key}_performance"]) for r in customers]
        current = [int(r[f"{key}_current"]) for r in internal]
        assert pillar["customer_performance_mean"] == pytest.approx(statistics.mean(performance))
        assert pillar["internal_current_mean"] == pytest.approx(statistics.mean(current))
        assert pillar["knowledge_gap"] == pytest.approx(
            statistics.mean(current) - statistics.mean(performance)
        )


def test_results_are_cached_until_the_data_changes(demo_cx: Cxgap) -> None:
    with demo_cx.transaction() as session:
        first = results_for(session, get_workspace(session, "demo"))
    with demo_cx.transaction() as session:
        again = results_for(session, get_workspace(session, "demo"))
    assert again["computed_at"] == first["computed_at"]
    with demo_cx.transaction() as session:
        ws = get_workspace(session, "demo")
        set_pillar_retired(session, workspace=ws, key="advertising", retired=True)
    with demo_cx.transaction() as session:
        changed = results_for(session, get_workspace(session, "demo"))
    retired = {p["key"]: p["retired"] for p in changed["pillars"]}
    assert retired["advertising"] is True and retired["service"] is False
    assert changed["internal"]["totals"]["max"] == 45


def test_an_empty_workspace_has_results_without_numbers(cx: Cxgap) -> None:
    from tests.factories import make_workspace

    with cx.transaction() as session:
        results = results_for(session, make_workspace(session))
    assert results["nps"]["n"] == 0 and results["nps"]["score"] is None
    assert results["validity"]["enough"] is False
    assert results["responses_needed_for_5pt_moe"] == 385


def test_a_cache_row_stored_meanwhile_by_another_request_is_not_an_error(demo_cx: Cxgap) -> None:
    from cxgap.services.results import _store_cache

    with demo_cx.transaction() as session:
        ws = get_workspace(session, "demo")
        payload = results_for(session, ws)  # stores the row for the default parameters
    with demo_cx.transaction() as session:
        ws = get_workspace(session, "demo")
        late = revision_of(session, ws.id)
        _store_cache(session, ws, "conf=0.95;min=30", payload, late)  # a late twin: swallowed
        assert results_for(session, ws)["nps"] == payload["nps"]


def test_unranked_answers_are_left_out_of_kendall_w_and_counted(cx: Cxgap) -> None:
    from cxgap.services.answers import submit_internal_answer
    from cxgap.services.campaigns import create_internal_campaign
    from tests.factories import PILLAR_KEYS, internal_form, make_workspace

    reversed_ranks = {f"{k}_rank": 10 - i for i, k in enumerate(PILLAR_KEYS)}
    unranked = dict.fromkeys((f"{k}_rank" for k in PILLAR_KEYS), "")
    with cx.transaction() as session:
        workspace = make_workspace(session)
        campaign = create_internal_campaign(session, workspace=workspace, key="c", name="C")
        for sid, form in [
            ("a", internal_form()),  # ranks 1..10
            ("b", internal_form()),
            ("c", internal_form(**reversed_ranks)),
            ("d", internal_form(**unranked)),  # left the ranking untouched
        ]:
            submit_internal_answer(session, campaign=campaign, form=form, submission_id=sid)
        results = results_for(session, workspace, min_group_size=10)
    assert (results["internal"]["n"], results["internal"]["n_rankings"]) == (4, 3)
    agreement = results["internal_agreement"]
    assert agreement["n_raters"] == 3
    # Two identical rankings and their reverse, by hand: the rank sums are r + r + (11 - r)
    # = r + 11, so S = sum((r - 5.5)^2) = 82.5 and W = 12 S / (m^2 (n^3 - n)) = 990 / 8910.
    assert agreement["kendall_w"] == pytest.approx(1 / 9)
    by_key = {p["key"]: p for p in results["pillars"]}
    # The unranked answer does not pull the mean rank: (1 + 1 + 10) / 3 for the first pillar.
    assert by_key[PILLAR_KEYS[0]]["internal_rank_mean"] == pytest.approx(4.0)
