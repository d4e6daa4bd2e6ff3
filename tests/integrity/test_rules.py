"""The response rules one by one, on hand-made responses (docs/integrity.md states them)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cxgap.integrity import Response, Rules, check_integrity
from cxgap.integrity.begging import begging
from cxgap.integrity.gibberish import gibberish

T0 = datetime(2026, 3, 1, 9, 0)


def flags_of(responses: list[Response], **kwargs: object) -> dict[str, list[str]]:
    report = check_integrity(responses, **kwargs)  # type: ignore[arg-type]
    return {v.response_id: v.names for v in report.responses}


def test_speeder_is_under_a_third_of_the_median() -> None:
    durations = [90, 100, 110, 120, 130, 33, 34]  # median 100: a third is 33.3
    responses = [Response(f"r{i}", duration_seconds=d) for i, d in enumerate(durations)]
    flags = flags_of(responses)
    assert flags["r5"] == ["speeder"] and flags["r6"] == []
    # Fewer than 5 durations: no median, no speeder.
    assert flags_of(responses[:2] + responses[5:6]) == {"r0": [], "r1": [], "r5": []}


def test_straight_lining_needs_a_long_run_of_five_items_or_more() -> None:
    responses = [
        Response("flat", items=(4, 4, 4, 4, 4)),
        Response("short", items=(5, 5, 5, 5)),
        Response("varied", items=(4, 5, 4, 3, 4)),
        Response("long_run", items=(2, 5, 5, 5, 5, 5, 5, 5, 5, 3)),  # 8 of 10 in a row
        Response("broken", items=(5, 5, 5, 5, 1, 5, 5, 5, 5, 5)),  # runs of 4 and 5
    ]
    flags = flags_of(responses)
    assert flags == {"flat": ["straight_lining"], "short": [], "varied": [],
                     "long_run": ["straight_lining"], "broken": []}  # fmt: skip
    # The ends of the scale count when the recommendation score contradicts them.
    grids = [
        Response("delighted", nps=10, items=(5,) * 6),
        Response("all5_but_6", nps=6, items=(5,) * 6),
        Response("furious", nps=0, items=(1,) * 6),
        Response("all1_but_9", nps=9, items=(1,) * 6),
        Response("middle", nps=10, items=(3,) * 6),
    ]
    assert {k for k, v in flags_of(grids).items() if v} == {"all5_but_6", "all1_but_9", "middle"}


def test_duplicates_same_respondent_and_near_identical_text_in_the_window() -> None:
    text = "Le conseiller a été très patient et m'a bien expliqué le contrat."
    responses = [
        Response("a", submitted_at=T0, text=text, respondent="c1"),
        Response("b", submitted_at=T0 + timedelta(hours=1), text=text.upper() + " !!"),
        Response("c", submitted_at=T0 + timedelta(days=30), text=text),  # outside 7 days
        Response("d", submitted_at=T0 + timedelta(hours=3), text="Rien à dire", respondent="C1"),
        Response("e", submitted_at=T0 + timedelta(hours=4), text="Très bien"),
        Response("f", submitted_at=T0 + timedelta(hours=5), text="Très bien"),  # too short
    ]
    report = check_integrity(responses)
    found = {v.response_id: v.flags for v in report.responses if v.flags}
    assert set(found) == {"b", "d"}
    assert found["b"][0].params["of"] == "a"
    assert found["d"][0].params == {"of": "a", "why": "respondent"}


@pytest.mark.parametrize(
    "text", ["asdfghjkl", "qsdfqsdf", "kjhdsfkjh fjdksl", "aaaaaaaa", "xzqwpt bcvbn", "wxcvbn"]
)
def test_gibberish_is_flagged(text: str) -> None:
    assert gibberish(text) is not None


@pytest.mark.parametrize(
    "text",
    ["RAS", "ok", "top", "nul", "bof", "Très bien", "sooooo good", "Grrrr", "Pfff, nul",
     "hahaha", "mdrrr", "property and liberty", "Schtroumpf", "Strength", "créée",
     "Le conseiller était très aimable", "Excellent accueil", "lol", "tkt ptdr"],
)  # fmt: skip
def test_short_or_real_answers_are_never_gibberish(text: str) -> None:
    assert gibberish(text) is None


def test_bots_honeypot_impossible_timing_and_bursts() -> None:
    spread = [Response(f"p{i}", submitted_at=T0 + timedelta(days=i)) for i in range(30)]
    burst_at = T0 + timedelta(days=10, hours=3)
    burst = [Response(f"b{i}", submitted_at=burst_at + timedelta(seconds=5 * i)) for i in range(10)]
    odd = [Response("honey", honeypot="http://spam"), Response("fast", duration_seconds=1.5)]
    flags = flags_of(spread + burst + odd)
    assert {k for k, v in flags.items() if v == ["bot"]} == {*(f"b{i}" for i in range(10)),
                                                            "honey", "fast"}  # fmt: skip
    # Nine in a minute is under the burst count of 10: no flag.
    assert not any(flags_of(spread + burst[:9]).values())


def test_score_text_mismatch_uses_the_injected_sentiment() -> None:
    scores = {"Service horrible": -0.9, "Parfait, merci": 0.9, "Moyen": -0.2}

    def sentiment(texts: object) -> list[float | None]:
        return [scores[t] for t in texts]  # type: ignore[attr-defined]

    responses = [
        Response("angry10", nps=10, text="Service horrible"),
        Response("happy2", nps=2, text="Parfait, merci"),
        Response("mild9", nps=9, text="Moyen"),
        Response("angry6", nps=6, text="Service horrible"),
        Response("happy10", nps=10, text="Parfait, merci"),
    ]
    flags = flags_of(responses, sentiment=sentiment)
    assert flags == {"angry10": ["score_text_mismatch"], "happy2": ["score_text_mismatch"],
                     "mild9": [], "angry6": [], "happy10": []}  # fmt: skip
    assert flags_of(responses)["angry10"] == []  # no sentiment, no judgement


@pytest.mark.parametrize(
    "text",
    ["Mettez-moi 10 svp", "Le vendeur m’a demandé de mettre 10", "Donnez-nous la note maximale",
     "Seul un 10 compte pour eux", "En dessous de 9 c'est un échec pour nous",
     "Give us a 10 please", "The agent asked me to give him a 10", "Only a 10 counts",
     "anything below 9 is a fail", "He begged me for a 10", "they told us to rate them 5 stars"],
)  # fmt: skip
def test_begging_phrases_fr_en(text: str) -> None:
    assert begging(text) is not None


@pytest.mark.parametrize(
    "text", ["Je donne 10 car super", "I would give them a 10, great service", "Je mets 10",
             "Service 10/10 merci", "Ten out of ten", "give me a break"],
)  # fmt: skip
def test_customers_own_top_scores_are_not_begging(text: str) -> None:
    assert begging(text) is None


def test_agent_flagged_for_begging_from_two_mentions() -> None:
    texts = ["Mettez-moi 10 svp", "Give us a 10 please", "Bien"]
    responses = [Response(f"r{i}", agent="Ana", text=t) for i, t in enumerate(texts)]
    responses.append(Response("x", agent="Ben", text="Mettez-moi 10"))
    report = check_integrity(responses, rules=Rules())
    reasons = {a.agent: [f.name for f in a.flags] for a in report.agents}
    assert reasons == {"Ana": ["score_begging"], "Ben": []}


def test_begging_is_quoted_as_the_customer_wrote_it() -> None:
    flag = begging("Super accueil. Le vendeur m’a demandé de  mettre 10 !")
    assert flag is not None and flag.params == {
        "pattern": "fr_asked",
        "phrase": "m’a demandé de  mettre 10",
    }
