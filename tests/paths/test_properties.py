"""Properties that hold for every log (hypothesis draws the logs)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.paths.conformance import conformance
from cxgap.paths.contacts import channel_switches
from cxgap.paths.dfg import directly_follows
from cxgap.paths.dropoff import drop_off
from cxgap.paths.rework import rework
from cxgap.paths.sankey import top_paths
from cxgap.paths.variants import count_variants
from tests.paths.builders import stream

STEP = st.tuples(
    st.sampled_from("abcd"),
    st.integers(0, 600),
    st.sampled_from([None, "web", "phone"]),
    st.sampled_from([None, "a", "b", "c"]),
)
LOGS = st.dictionaries(
    st.text("xyz", min_size=1, max_size=4), st.lists(STEP, min_size=1, max_size=8), max_size=12
)


@settings(max_examples=60, deadline=None)
@given(LOGS)
def test_counts_add_up_whatever_the_log(log: dict[str, list]) -> None:
    cases = stream(log)
    events = sum(len(e) for _, e in cases)
    graph = directly_follows(cases)
    assert graph.events == events and graph.cases == len(cases)
    assert sum(e.events for e in graph.edges) == events - len(cases)
    assert sum(n for _, n in graph.starts) == sum(n for _, n in graph.ends) == len(cases)
    for edge in graph.edges:
        assert edge.cases <= edge.events
        assert edge.median_seconds is not None and edge.p90_seconds is not None
        assert 0 <= edge.median_seconds <= edge.p90_seconds
    funnel = drop_off(cases, ["a", "b", "c"])
    reached = [s.reached for s in funnel.steps]
    assert reached == sorted(reached, reverse=True)
    assert sum(s.left_after for s in funnel.steps) + funnel.never_started == len(cases)
    fit = conformance(cases, ["a", "b", "c"])
    assert fit.exact <= fit.strict <= fit.lenient <= fit.cases
    assert sum(n for _, n in fit.deviations) == fit.cases - fit.strict
    switches = channel_switches(cases)
    assert sum(n for _, n in switches.by_bucket) == len(cases)
    assert sum(n for _, _, n in switches.pairs) == switches.switches
    loops = rework(cases)
    assert loops.cases_with_loop == sum(len({e.activity for e in es}) < len(es) for _, es in cases)
    folded = top_paths(count_variants([e.activity for e in es] for _, es in cases), top=3)
    assert folded.shown_cases + folded.other_cases == len(cases)
    assert sum(n.cases for n in folded.nodes if n.step == 0) == folded.shown_cases
