"""The first missing step of an empty overlay, in order."""

from __future__ import annotations

from cxgap.journeys.overlay_status import Missing, OverlayFacts, overlay_gap


def test_nothing_is_missing_when_the_overlay_shows_something() -> None:
    assert overlay_gap(OverlayFacts(feedback=0, enriched=0), measured_any=True) is None


def test_the_steps_are_checked_in_the_order_a_team_takes_them() -> None:
    def missing(facts: OverlayFacts) -> Missing:
        gap = overlay_gap(facts, measured_any=False)
        assert gap is not None
        return gap.missing

    assert missing(OverlayFacts(feedback=0, enriched=0)) is Missing.FEEDBACK
    assert missing(OverlayFacts(feedback=7, enriched=0)) is Missing.ENRICHMENT
    assert missing(OverlayFacts(feedback=7, enriched=7)) is Missing.LINKS
    assert missing(OverlayFacts(feedback=7, enriched=7, linked={"price": 0})) is Missing.MATCHES


def test_the_gap_carries_the_waiting_items_the_silent_topics_and_the_channels() -> None:
    waiting = overlay_gap(OverlayFacts(feedback=9, enriched=0), measured_any=False)
    assert waiting is not None and waiting.waiting == 9
    facts = OverlayFacts(
        feedback=12,
        enriched=10,
        linked={"price": 0, "delay": 0},
        channels={"email": 3, "app": 7, "": 1, "phone": 1, "shop": 0, "chat": 0},
    )
    gap = overlay_gap(facts, measured_any=False)
    assert gap is not None
    assert (gap.missing, gap.waiting, gap.topics) == (Missing.MATCHES, 2, ("price", "delay"))
    assert gap.channels == (("app", 7), ("email", 3), ("", 1), ("phone", 1), ("chat", 0))
