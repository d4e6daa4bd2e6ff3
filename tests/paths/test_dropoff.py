import pytest

from cxgap.errors import ValidationError
from cxgap.paths.dropoff import drop_off
from tests.paths.builders import stream

LOG = {
    # visit → cart → pay, with noise between and a second visit (earliest match is kept)
    "1": [("visit", 0), ("search", 5), ("cart", 10), ("visit", 1), ("pay", 30)],
    "2": [("visit", 0), ("cart", 20), ("pay", 60)],
    "3": [("visit", 0), ("cart", 40)],  # leaves after cart
    "4": [("visit", 0), ("pay", 5)],  # pay without cart: reaches visit only
    "5": [("search", 0), ("cart", 1)],  # never starts: no visit before the cart
    "6": [("cart", 0), ("visit", 3), ("cart", 7)],  # the cart before the visit does not count
}


def test_reach_leave_and_times_between_steps() -> None:
    funnel = drop_off(stream(LOG), ["visit", "cart", "pay"])
    assert (funnel.cases, funnel.never_started) == (6, 1)
    visit, cart, pay = funnel.steps
    assert (visit.reached, visit.left_after) == (5, 1)  # 1, 2, 3, 4, 6; 4 leaves
    assert (cart.reached, cart.left_after) == (4, 2)  # 1, 2, 3, 6; 3 and 6 leave
    assert (pay.reached, pay.left_after) == (2, 2)
    assert visit.reached_share == pytest.approx(5 / 6)
    assert cart.continued_share == pytest.approx(2 / 4)
    assert pay.continued_share is None
    # visit → cart: 15, 20, 40, 7 min; cart → pay: 31, 60 min
    assert cart.median_seconds_from_previous == (15 + 20) / 2 * 60
    assert cart.p90_seconds_from_previous == pytest.approx((20 + 0.7 * 20) * 60)
    assert pay.median_seconds_from_previous == (31 + 60) / 2 * 60
    assert visit.median_seconds_from_previous is None
    assert funnel.as_json()["steps"][1]["left_after"] == 2  # type: ignore[index]


@pytest.mark.parametrize("steps", [[], ["a", "a"], ["a", " "]])
def test_a_badly_designed_list_is_refused(steps: list[str]) -> None:
    with pytest.raises(ValidationError, match="'steps'"):
        drop_off(stream(LOG), steps)
