"""Topic suggestions per touchpoint, against counts worked out by hand."""

from __future__ import annotations

import pytest

from cxgap.journeys.topic_suggestions import (
    TopicCounts,
    TouchpointScope,
    channel_key,
    counts_by_channel,
    lift,
    suggest_topics,
)

# The workspace: 100 enriched verbatims; 10 mention delivery, 20 price, 5 app bugs.
OVERALL = TopicCounts(100, {"delivery": 10, "price": 20, "app_bugs": 5})
# 8 verbatims name the checkout, 12 the payment (same stage); 20 come from the app.
BY_TOUCHPOINT = {
    "checkout": TopicCounts(8, {"price": 4, "delivery": 1}),
    "payment": TopicCounts(12, {"price": 3, "app_bugs": 3}),
}
BY_CHANNEL = {"app": TopicCounts(20, {"delivery": 6, "price": 4, "app_bugs": 2})}
STAGE = ("checkout", "payment")
CHECKOUT = TouchpointScope("checkout", "app", "buy", STAGE)
PAYMENT = TouchpointScope("payment", "website", "buy", STAGE)


def _suggest(linked: dict[str, list[str]] | None = None, limit: int = 3) -> dict[str, list]:
    return suggest_topics(
        [CHECKOUT, PAYMENT],
        by_touchpoint=BY_TOUCHPOINT,
        by_channel=BY_CHANNEL,
        overall=OVERALL,
        linked=linked or {},
        limit=limit,
    )


def test_each_topic_comes_from_the_most_specific_group_that_shows_it() -> None:
    found = _suggest()
    checkout = [(s.topic, s.scope, s.count, s.items, s.lift) for s in found["checkout"]]
    assert checkout == [
        # 6 of the app's 20 (30 %) against 10 of 100 (10 %): 3×
        ("delivery", "channel", 6, 20, 3.0),
        # 4 of the checkout's 8 (50 %) against 20 %: 2.5×
        ("price", "touchpoint", 4, 8, 2.5),
        # the stage: 8 + 12 = 20 verbatims, 3 on app bugs (15 %) against 5 %: 3×
        ("app_bugs", "stage", 3, 20, 3.0),
    ]
    payment = [(s.topic, s.scope, s.count, s.lift) for s in found["payment"]]
    # price: 3 of 12 (25 %) is only 1.25× alone, but 7 of the stage's 20 (35 %) is 1.75×;
    # app bugs: 3 of 12 (25 %) against 5 %: 5×; the website channel has no verbatim.
    assert payment == [("price", "stage", 7, 1.75), ("app_bugs", "touchpoint", 3, 5.0)]


def test_linked_topics_are_left_out_and_the_limit_holds() -> None:
    found = _suggest(linked={"checkout": ["delivery"]}, limit=1)
    assert [s.topic for s in found["checkout"]] == ["price"]
    assert [s.topic for s in found["payment"]] == ["price"]


def test_too_few_verbatims_or_too_little_lift_suggest_nothing() -> None:
    # app bugs on the app channel: 2 verbatims (10 % against 5 %) are too few;
    # price on the app channel: 4 of 20 is exactly the average (1×)
    alone = TouchpointScope("alone", "app", "other", ("alone",))
    found = suggest_topics(
        [alone], by_touchpoint={}, by_channel=BY_CHANNEL, overall=OVERALL, linked={}
    )
    assert [s.topic for s in found["alone"]] == ["delivery"]
    nothing = suggest_topics(
        [alone], by_touchpoint={}, by_channel={}, overall=TopicCounts(), linked={}
    )
    assert nothing == {"alone": []}


def test_lift_is_the_ratio_of_shares() -> None:
    assert lift(6, 20, OVERALL, "delivery") == pytest.approx(3.0)
    assert lift(1, 4, OVERALL, "price") == pytest.approx(1.25)
    assert lift(3, 0, OVERALL, "price") == 0.0
    assert lift(3, 10, OVERALL, "unknown") == 0.0


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("app", "app"),
        ("Application mobile", "app"),
        ("iOS", "app"),
        ("Téléphone", "phone"),
        (" E-mail ", "email"),
        ("Site web", "website"),
        ("Magasin / showroom", "shop"),
        ("Trustpilot", "review"),
        ("mail", "mail"),  # the key wins: the post
        ("Zendesk", None),
        ("", None),
        (None, None),
    ],
)
def test_feedback_channels_are_read_as_journey_channels(raw: str | None, key: str | None) -> None:
    assert channel_key(raw) == key


def test_counts_of_written_channels_add_up_per_journey_channel() -> None:
    summed = counts_by_channel(
        {
            "App": TopicCounts(10, {"delivery": 3}),
            "iOS": TopicCounts(5, {"delivery": 1, "price": 2}),
            "Zendesk": TopicCounts(7, {"price": 7}),
            None: TopicCounts(4, {}),
        }
    )
    assert summed == {"app": TopicCounts(15, {"delivery": 4, "price": 2})}
