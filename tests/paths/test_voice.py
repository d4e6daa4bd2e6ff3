import math
from statistics import NormalDist

import pytest

from cxgap.errors import ValidationError
from cxgap.paths.voice import CaseFeedback, voice_of_paths
from tests.paths.builders import stream

DAY = 24 * 60
LOG = {
    "1": [("browse", 0, "web"), ("buy", 5, "web")],
    "2": [("browse", 0, "web"), ("buy", 5, "web")],
    "3": [("browse", 0, "web"), ("call", 60, "phone"), ("buy", 5, "shop")],  # 2 switches
    "4": [("call", 0, "phone"), ("call", 2 * DAY, "phone")],  # repeat within 7 days
    "5": [("browse", 0, "web"), ("buy", 5, "web")],
}
FEEDBACK = {
    "1": CaseFeedback(10, 0.8, ()),
    "2": CaseFeedback(9, 0.4, ("price",)),
    "3": CaseFeedback(3, -0.6, ("waiting", "price", "waiting")),
    "4": CaseFeedback(6, -0.9, ("waiting",)),
    # case 5 said nothing
}


def nps_by_hand(scores: list[int]) -> tuple[float, float, float]:
    n = len(scores)
    p = sum(s >= 9 for s in scores) / n
    d = sum(s <= 6 for s in scores) / n
    half = NormalDist().inv_cdf(0.975) * math.sqrt((p + d - (p - d) ** 2) / n) * 100
    score = (p - d) * 100
    return score, max(-100, score - half), min(100, score + half)


def test_groups_by_variant_switches_and_repeat_contact() -> None:
    result = voice_of_paths(stream(LOG), FEEDBACK, top=1, contacts={"call"})
    browse_buy, other = result.by_variant
    assert browse_buy.activities == ("browse", "buy") and browse_buy.group == "browse → buy"
    assert (browse_buy.cases, browse_buy.answered) == (3, 2)
    assert browse_buy.nps.score == 100.0  # 10 and 9
    assert browse_buy.sentiment_mean == pytest.approx(0.6)
    assert browse_buy.irritants == (("price", 1),)
    assert (other.group, other.cases, other.answered) == ("other", 2, 2)
    score, low, high = nps_by_hand([3, 6])
    assert other.nps.score == score == -100.0 and other.nps.ci == (low, high)
    assert other.irritants == (("waiting", 2), ("price", 1))  # once per case
    switches = {g.group: g for g in result.by_switches}
    assert [g.group for g in result.by_switches] == ["0", "1", "2", "3+"]
    assert (switches["0"].cases, switches["2"].cases, switches["3+"].cases) == (4, 1, 0)
    assert switches["0"].nps.score == pytest.approx(nps_by_hand([10, 9, 6])[0])  # 33.3
    assert switches["0"].nps.ci == pytest.approx(nps_by_hand([10, 9, 6])[1:])
    assert switches["3+"].nps.score is None and switches["3+"].sentiment_mean is None
    repeat = {g.group: g for g in result.by_repeat}
    assert (repeat["yes"].cases, repeat["yes"].nps.score) == (1, -100.0)
    assert repeat["no"].sentiment_mean == pytest.approx((0.8 + 0.4 - 0.6) / 3)
    assert result.as_json()["by_repeat"][0]["nps"]["n"] == 1  # type: ignore[index]


def test_chosen_variants_keep_memory_bounded_and_give_the_same_groups() -> None:
    free = voice_of_paths(stream(LOG), FEEDBACK, top=1)
    chosen = voice_of_paths(stream(LOG), FEEDBACK, top=1, variants=[["browse", "buy"]])
    assert chosen.by_variant == free.by_variant


@pytest.mark.parametrize(
    ("said", "field"),
    [
        (CaseFeedback(11), "'nps'"),
        (CaseFeedback(7.5), "'nps'"),  # type: ignore[arg-type]
        (CaseFeedback(None, 1.5), "'sentiment'"),
    ],
)
def test_scores_out_of_range_name_the_case(said: CaseFeedback, field: str) -> None:
    with pytest.raises(ValidationError, match=rf"{field}.*case '4'"):
        voice_of_paths(stream(LOG), {**FEEDBACK, "4": said})
