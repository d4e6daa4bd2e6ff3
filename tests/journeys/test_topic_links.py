"""Touchpoint-topic links: one list per topic, seen from the touchpoints."""

from __future__ import annotations

from cxgap.journeys.topic_links import relink, topics_by_touchpoint

TOPICS = {"price": ["web", "shop"], "delay": ["ship"], "staff": ["shop", "web"]}


def test_the_topics_of_each_touchpoint_follow_the_taxonomy_order() -> None:
    assert topics_by_touchpoint(TOPICS, ["web", "ship", "call"]) == {
        "web": ["price", "staff"],
        "ship": ["delay"],
        "call": [],
    }


def test_relinking_a_touchpoint_changes_only_the_topics_concerned() -> None:
    changed = relink(TOPICS, {"web": ["delay", "staff"]})
    # price loses web, delay gains it at the end, staff keeps it where it was
    assert changed == {"price": ["shop"], "delay": ["ship", "web"]}


def test_dropped_keys_lose_every_link_and_nothing_else_moves() -> None:
    assert relink(TOPICS, {}, dropped=["shop"]) == {"price": ["web"], "staff": ["web"]}
    assert relink(TOPICS, {"ship": ["delay"]}) == {}
    # a key both dropped and wanted (renamed back) keeps what is wanted
    assert relink(TOPICS, {"shop": ["price"]}, dropped=["shop"]) == {"staff": ["web"]}
