from cxgap.paths.dfg import DirectlyFollows, directly_follows
from cxgap.paths.dropoff import DropOff, drop_off
from cxgap.paths.groups import per_group
from cxgap.paths.stream import run_together
from tests.paths.builders import plain

PATHS = [["a", "b"], ["a", "c"], ["a", "b", "c"], ["b"], ["a", "b"]]
PERSONA = {"c000000": "pro", "c000001": "home", "c000002": "pro", "c000004": "home"}  # 3: none


def test_each_group_gets_what_the_analysis_gives_on_its_cases_alone() -> None:
    graphs = per_group(plain(PATHS), PERSONA.get, DirectlyFollows)
    assert list(graphs) == ["pro", "home"]
    for group, graph in graphs.items():
        mine = [(c, e) for c, e in plain(PATHS) if PERSONA.get(c) == group]
        assert graph == directly_follows(mine)
    assert graphs["pro"].cases == 2 and graphs["home"].cases == 2
    funnels = per_group(plain(PATHS), PERSONA.get, lambda: DropOff(["a", "b"]))
    assert [s.reached for s in funnels["home"].steps] == [2, 1]


def test_several_analyses_in_one_pass_give_what_each_gives_alone() -> None:
    together = run_together(
        plain(PATHS), {"graph": DirectlyFollows(), "funnel": DropOff(["a", "b"])}
    )
    assert together["graph"] == directly_follows(plain(PATHS))
    assert together["funnel"] == drop_off(plain(PATHS), ["a", "b"])
    assert together["funnel"].steps[1].reached == 3  # type: ignore[attr-defined]
