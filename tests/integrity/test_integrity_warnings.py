"""The integrity warnings of the executive report, in both languages, on the demo (its gamed
shop) and on a workspace with nothing flagged (no warning)."""

from __future__ import annotations

from cxgap.services.core import Cxgap
from cxgap.services.demo import DEMO_KEY
from cxgap.services.integrity import workspace_integrity
from cxgap.services.integrity_demo import GAMED
from cxgap.services.integrity_warnings import integrity_warnings, warnings_of
from cxgap.services.workspaces import get_workspace
from tests.demo_prepared import prepare_demo
from tests.factories import make_workspace
from tests.prepared import Prepared


def test_the_demo_warns_of_its_gamed_shop_in_both_languages(
    sqlite_cx: Cxgap, prepared: Prepared
) -> None:
    prepare_demo(prepared, sqlite_cx, n_customers=240)
    with sqlite_cx.transaction() as session:
        found = workspace_integrity(session, workspace=get_workspace(session, DEMO_KEY))
    english, french = warnings_of(found, "en"), warnings_of(found, "fr")
    flagged = sum(1 for v in found.report.responses if v.flags)
    assert english[0].startswith(f"{flagged} of 240 survey answers")
    assert french[0].startswith(f"{flagged} réponses sur 240")
    (shop,) = [w for w in english if w.startswith(GAMED)]
    assert "top scores far above peers" in shop and "score begging" in shop.lower()
    assert any(w.startswith(f"{GAMED} : signes de manipulation") for w in french)
    nps = next(m for m in found.moves if m.key == "nps")
    assert nps.change is not None
    moved = [w for w in english if "the NPS moves" in w]
    assert len(moved) == (1 if abs(nps.change) >= 1 else 0)


def test_nothing_flagged_gives_no_warning(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        assert integrity_warnings(session, workspace, "fr") == []


def test_the_executive_report_carries_the_warnings_in_its_language(
    sqlite_cx: Cxgap, prepared: Prepared
) -> None:
    import json

    from cxgap.services.executive_output import executive_file

    prepare_demo(prepared, sqlite_cx, n_customers=240)
    with sqlite_cx.transaction() as session:
        demo = get_workspace(session, DEMO_KEY)
        french = executive_file(session, demo, period="2026", fmt="json", locale="fr")
        given = executive_file(
            session, demo, period="2026", fmt="json", locale="en", integrity_warnings=()
        )
    warnings = json.loads(french.content)["integrity_warnings"]
    assert any(w.startswith(f"{GAMED} : signes de manipulation") for w in warnings)
    assert json.loads(given.content)["integrity_warnings"] == []
