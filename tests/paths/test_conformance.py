import pytest

from cxgap.journeys.model import Journey, Phase, Stage, Text, Touchpoint
from cxgap.paths.conformance import conform, conformance, designed_order
from tests.paths.builders import case_events, stream


def touchpoint(key: str) -> Touchpoint:
    return Touchpoint(key, Text(key, key), "website", True)


JOURNEY = Journey(
    "buy",
    Text("Buy", "Acheter"),
    stages=(
        Stage(
            "before", Text("Before", "Avant"), Phase.BEFORE, (touchpoint("ad"), touchpoint("site"))
        ),
        Stage("during", Text("During", "Pendant"), Phase.DURING, (touchpoint("pay"),)),
        Stage("after", Text("After", "Après"), Phase.AFTER, (touchpoint("deliver"),)),
    ),
)
DESIGN = designed_order(JOURNEY)


def steps(*keys: str) -> list[tuple[str, float, None, str | None]]:
    """Events whose touchpoint is the key; a key in capitals is an unmapped activity."""
    return [(k.lower(), 1.0, None, None if k.isupper() else k) for k in keys]


LOG = {
    "exact": steps("ad", "site", "pay", "deliver"),
    "skips": steps("site", "pay"),  # strict: a subsequence, skips allowed
    "repeat": steps("ad", "site", "site", "pay"),  # lenient only; leaves at site → site
    "detour": steps("ad", "CALL", "pay", "CALL"),  # lenient only; leaves after ad at "call"
    "back": steps("site", "pay", "site", "deliver"),  # neither; leaves after pay at site
    "outsider": steps("FAQ", "ad"),  # lenient; leaves at the start
    "unknown": [("x", 1.0, None, "no-such-touchpoint")],  # a key outside the map: undesigned
}


def test_the_design_is_the_map_order() -> None:
    assert DESIGN == ("ad", "site", "pay", "deliver")


@pytest.mark.parametrize(
    ("case", "exact", "strict", "lenient", "deviation"),
    [
        ("exact", True, True, True, None),
        ("skips", False, True, True, None),
        ("repeat", False, False, True, ("site", "site", "repeat")),
        ("detour", False, False, True, ("ad", "call", "undesigned")),
        ("back", False, False, False, ("pay", "site", "backwards")),
        ("outsider", False, False, True, (None, "faq", "undesigned")),
        ("unknown", False, False, True, (None, "x", "undesigned")),
    ],
)
def test_each_reading_of_one_case(
    case: str, exact: bool, strict: bool, lenient: bool, deviation: tuple[str, ...] | None
) -> None:
    read = conform(DESIGN, case_events(case, LOG[case]))
    assert (read.exact, read.strict, read.lenient) == (exact, strict, lenient)
    found = read.deviation
    assert (None if found is None else (found.after, found.step, found.kind)) == deviation


def test_the_log_against_the_map() -> None:
    result = conformance(stream(LOG), DESIGN)
    assert (result.cases, result.exact, result.strict, result.lenient) == (7, 1, 2, 6)
    skipped = {row.touchpoint: (row.cases, row.skipped) for row in result.touchpoints}
    # ad: exact, repeat, detour, outsider; site: exact, skips, repeat, back; pay: 5; deliver: 2
    assert skipped == {"ad": (4, 3), "site": (4, 3), "pay": (5, 2), "deliver": (2, 5)}
    assert result.touchpoints[3].skipped_share == pytest.approx(5 / 7)
    assert result.undesigned == (("call", 2, 1), ("faq", 1, 1), ("x", 1, 1))
    assert len(result.deviations) == 5 and all(n == 1 for _, n in result.deviations)
    body = result.as_json()
    assert body["lenient"] == {"cases": 6, "share": pytest.approx(6 / 7)}
    assert body["deviations"][0] == {  # type: ignore[index]  # ties: first seen, "back"
        "after": "pay",
        "step": "site",
        "kind": "backwards",
        "cases": 1,
    }
