"""Time the shape check a cached results payload passes before it is served.

``results_for`` serves a cached payload only if it still has today's format
(``cxgap.analytics.json_shape``). Baseline, measured in the same run: ``json.loads`` of the
same payload, the decoding the database driver already does on every cached read. Bounded:
the demo workspace (10 pillars) and a 40-pillar copy, 300 rounds each, a few seconds.

Then the results page's fragment (``render_results_fragment``) of the same two payloads,
the 10-pillar one the baseline: the ratio says how the page's cost grows with the pillars
(4 for linear growth). This was a timed unit test once (under 0.15 s for 40 pillars), which
failed on a loaded machine; the tests now check the page's size grows linearly instead.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from cxgap.analytics.results_json import ResultsJson
from cxgap.config import Settings
from cxgap.reporting import render_results_fragment
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.results import is_results_json, results_for
from cxgap.services.workspaces import get_workspace

ROUNDS = 300


def demo_results() -> ResultsJson:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=f"sqlite:///{folder}/b.sqlite3")
        app = Cxgap(settings)
        app.upgrade()
        with app.transaction() as session:
            create_demo_workspace(session, n_customers=200)
        with app.transaction() as session:
            results = results_for(session, get_workspace(session, "demo"))
        app.dispose()
    return results


def widened(results: ResultsJson, pillars: int) -> ResultsJson:
    wide = copy.deepcopy(results)
    wide["pillars"] = [
        {**p, "key": f"{p['key']}_{i}"}
        for i in range(pillars // len(results["pillars"]))
        for p in results["pillars"]
    ]
    return wide


def median_ms(action: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    results = demo_results()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for payload in (results, widened(results, 40)):
        text = json.dumps(payload)
        stored = json.loads(text)
        assert is_results_json(stored)
        check = median_ms(partial(is_results_json, stored))
        baseline = median_ms(partial(json.loads, text))
        print(
            f"{len(payload['pillars']):>3} pillars, {len(text) / 1024:.0f} KiB: shape check "
            f"{check:.2f} ms, json.loads (baseline) {baseline:.2f} ms, ratio {check / baseline:.1f}"
        )
    render_pages(results)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def render_pages(results: ResultsJson) -> None:
    """The results fragment of 10 and of 40 pillars, in French, the 10 the baseline."""
    render_results_fragment(results, locale="fr")  # the templates compiled once
    baseline = median_ms(partial(render_results_fragment, results, locale="fr"))
    wide = widened(results, 40)
    render = median_ms(partial(render_results_fragment, wide, locale="fr"))
    print(
        f"results page, {len(results['pillars'])} pillars {baseline:.1f} ms (baseline), "
        f"{len(wide['pillars'])} pillars {render:.1f} ms, ratio {render / baseline:.1f} "
        f"(load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
