from cxgap.paths.lane import lived_lane
from tests.paths.builders import stream


def test_volume_leaving_and_time_to_the_next_step() -> None:
    log = {
        "1": [
            ("see ad", 0, None, "ad"),
            ("browse", 10, None, "site"),
            ("faq", 20),
            ("pay", 5, None, "pay"),
        ],
        "2": [
            ("see ad", 0, None, "ad"),
            ("browse", 30, None, "site"),
            ("browse", 60, None, "site"),
        ],
        "3": [("browse", 0, None, "site"), ("chat", 40)],
        "4": [("call", 0)],
    }
    lane = lived_lane(stream(log), ["ad", "site", "pay", "deliver"])
    cells = {c.touchpoint: c for c in lane.cells}
    assert lane.cases == 4
    assert [c.touchpoint for c in lane.cells] == ["ad", "site", "pay", "deliver"]
    ad, site, pay, deliver = cells["ad"], cells["site"], cells["pay"], cells["deliver"]
    assert (ad.cases, ad.events, ad.left_after, ad.left_share) == (2, 2, 0, 0.0)
    assert ad.median_seconds_to_next == 20 * 60  # 10 and 30 min
    assert (site.cases, site.events, site.left_after) == (3, 4, 2)  # cases 2 and 3 end there
    assert site.left_share == 2 / 3
    assert site.median_seconds_to_next == 40 * 60  # 20, 60, 40 min; case 2's last has none
    assert (pay.cases, pay.left_after, pay.median_seconds_to_next) == (1, 1, None)
    assert (deliver.cases, deliver.left_share) == (0, None)
    assert lane.cell("pay") == pay and lane.cell("nowhere") is None
