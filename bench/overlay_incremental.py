"""A typical import folded into a 1,000,000-item workspace's overlay index, against the
whole rebuild (the baseline, measured in the same run on the same data).

On a copy of the cached overlay dataset (``bench.overlay``) and its index,
10,000 feedback items are imported through the import service (a CSV in the generic layout:
a touchpoint on 40 %, NPS on 60 %, CSAT on 30 %, a segment and a birth year), the index is
brought up to date (the first journey view after the import: a fold of 10,000 new items),
their texts are analysed as an enrichment job stores them (new text enrichments with one or
two findings) and the index is brought up to date again (the job's end: a fold of the same
items, now analysed). Then the rebuild: the same figures, all of them recomputed. The
journey's overlay read after the folds and after the rebuild must be the same.

Bounded: one rebuild (two the first time: the cached dataset's index is built once and
kept), two folds, one import. ``python -m bench.overlay_incremental``
(``BENCH_OVERLAY_SIZE`` and ``BENCH_OVERLAY_IMPORT`` change the sizes;
``BENCH_OVERLAY_REBUILD=0`` times the folds only, before and now).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select

from bench.build import OUT
from bench.overlay import N_TOPICS, N_TOUCHPOINTS, SEGMENTS, SIZE, bench_journey, overlay_database
from bench.overlay_fold_before import previous_fold
from cxgap.config import Settings
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding
from cxgap.journeys.model import Measured
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import import_feedback
from cxgap.services.overlay import measure_journey, refresh_overlay_index
from cxgap.services.workspaces import get_workspace

IMPORTED = 10_000
HEADER = "source_id,source_type,channel,collected_at,text,nps,csat,touchpoint,segment,birth_year"


def import_csv(n: int, seed: int = 11) -> bytes:
    """``n`` new items shaped like the dataset's, as a survey tool's export."""
    rng = np.random.default_rng(seed)
    lines = [HEADER]
    for i in range(n):
        tp = f"tp{rng.integers(0, N_TOUCHPOINTS + 10)}" if rng.random() < 0.4 else ""
        nps = str(rng.integers(0, 11)) if rng.random() < 0.6 else ""
        csat = str(rng.integers(1, 6)) if rng.random() < 0.3 else ""
        segment = SEGMENTS[rng.integers(0, len(SEGMENTS))]
        year = rng.integers(1940, 2008)
        lines.append(
            f"new{i},survey,web,2026-06-{1 + i % 28:02d}T10:00:00+00:00,imported text {i},"
            f"{nps},{csat},{tp},{segment},{year}"
        )
    return ("\n".join(lines) + "\n").encode()


def analyse_new_texts(cx: Cxgap, seed: int = 13) -> int:
    """Store an enrichment (and findings) for every text without one, as a job does."""
    rng = np.random.default_rng(seed)
    with cx.transaction() as session:
        ws = get_workspace(session, "bench").id
        done = select(TextEnrichment.text_hash).where(TextEnrichment.workspace_id == ws)
        hashes = sorted(
            set(
                session.scalars(
                    select(Feedback.text_hash).where(
                        Feedback.workspace_id == ws, Feedback.text_hash.not_in(done)
                    )
                )
            )
        )
        scores = np.clip(rng.normal(0.0, 0.5, size=len(hashes)), -1, 1).round(3)
        topics = rng.integers(0, N_TOPICS, size=(len(hashes), 2))
        rows = [
            {"workspace_id": ws, "text_hash": h, "language": "en", "sentiment": _label(s),
             "sentiment_score": float(s), "intensity": abs(float(s)), "model": "bench",
             "topic_keys": sorted({f"topic{t}" for t in topics[k]})}
            for k, (h, s) in enumerate(zip(hashes, scores, strict=True))
        ]  # fmt: skip
        ids = dict(
            session.execute(
                insert(TextEnrichment).returning(TextEnrichment.text_hash, TextEnrichment.id), rows
            ).all()
        )
        findings = []
        for k, h in enumerate(hashes):
            for position in range(1 + k % 2):
                s = float(scores[k]) if position == 0 else float(-scores[k] / 2)
                findings.append(
                    {"enrichment_id": ids[h], "workspace_id": ws, "position": position,
                     "start": 0, "end": 10, "sentiment": _label(s), "sentiment_score": s,
                     "intensity": abs(s), "topic_key": f"topic{topics[k, position]}"}
                )  # fmt: skip
        session.execute(insert(TextFinding), findings)
    return len(hashes)


def _label(score: float) -> str:
    return "positive" if score > 0.2 else ("negative" if score < -0.2 else "neutral")


def _timed(action: Callable[[], object], what: str = "") -> tuple[float, object]:
    """Seconds and result of ``action``; with ``what``, the seconds printed at once (a run
    under load is long: what is measured shows as it comes), with this process's CPU
    seconds (SQLite works in the process: under load they say what the work costs)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if what:
        print(
            f"  {what:44} {seconds:9.2f} s wall {cpu:8.2f} s CPU"
            f"   (load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    return seconds, result


def _refresh(cx: Cxgap, *, force: bool = False) -> bool:
    with cx.transaction() as session:
        workspace = get_workspace(session, "bench")
        return refresh_overlay_index(session, workspace=workspace, force=force)


def _overlay(cx: Cxgap) -> list[dict[str, Measured]]:
    with cx.transaction() as session:
        workspace = get_workspace(session, "bench")
        return [
            measure_journey(session, workspace=workspace, journey=bench_journey(), segment=s)
            for s in (None, "pro_buyer", "design_lover")
        ]


def _import(cx: Cxgap, data: bytes) -> None:
    with cx.transaction() as session:
        workspace = get_workspace(session, "bench")
        import_feedback(
            session, workspace=workspace, source=io.BytesIO(data), name="bench-import.csv",
            preset="generic", mapping=None,
        )  # fmt: skip


def _open(path: Path) -> Cxgap:
    return Cxgap(Settings(data_dir=path.parent, database_url=f"sqlite:///{path}", secret_key="b"))


def _indexed_copy(size: int) -> tuple[Path, float]:
    """The cached dataset with its index up to date (built in the cache the first time, so
    that later runs pay one rebuild, the baseline); the seconds that took."""
    source = overlay_database(size)
    cx = _open(source)
    try:
        seconds, _ = _timed(lambda: _refresh(cx), "cached dataset's index brought up to date")
    finally:
        cx.dispose()
    return source, seconds


def _folds(source: Path, name: str, imported: int, previous: bool) -> dict[str, Any]:
    """On a copy of ``source``: the import, the fold after it, the analysis, the fold after
    it (with the previous fold when ``previous``); the overlay read after, and the copy."""
    copy = OUT / f"overlay-incremental-{name}.sqlite3"
    shutil.copyfile(source, copy)
    cx = _open(copy)
    label = "before" if previous else "now"
    try:
        data = import_csv(imported)
        import_s, _ = _timed(lambda: _import(cx, data), f"{label}: import (service, not counted)")
        with previous_fold() if previous else nullcontext():
            fold_import, wrote = _timed(lambda: _refresh(cx), f"{label}: fold after the import")
            assert wrote, "the import was not folded in"
            analysed = analyse_new_texts(cx)
            fold_analysis, wrote = _timed(lambda: _refresh(cx), f"{label}: fold after the analysis")
            assert wrote, "the analyses were not folded in"
        folded = _overlay(cx)
    finally:
        cx.dispose()
    return {
        "copy": copy, "import_s": import_s, "fold_after_import_s": fold_import,
        "fold_after_analysis_s": fold_analysis, "analysed": analysed, "overlay": folded,
    }  # fmt: skip


def run(size: int | None = None, imported: int | None = None) -> dict[str, float | int | bool]:
    size = size or int(os.environ.get("BENCH_OVERLAY_SIZE", SIZE))
    imported = imported or int(os.environ.get("BENCH_OVERLAY_IMPORT", IMPORTED))
    load_before = os.getloadavg()
    source, first = _indexed_copy(size)
    before = _folds(source, "before", imported, previous=True)
    before["copy"].unlink(missing_ok=True)
    after = _folds(source, "now", imported, previous=False)
    cx = _open(after["copy"])
    try:
        rebuild, same = 0.0, after["overlay"] == before["overlay"]
        if os.environ.get("BENCH_OVERLAY_REBUILD", "1") != "0":  # 0: the folds only (minutes)
            rebuild, _ = _timed(lambda: _refresh(cx, force=True), "baseline: whole rebuild")
            same = same and after["overlay"] == _overlay(cx)
    finally:
        cx.dispose()
        after["copy"].unlink(missing_ok=True)
    figures = {
        "size": size, "imported": imported, "analysed": after["analysed"], "first_build_s": first,
        "import_s": after["import_s"], "fold_after_import_s": after["fold_after_import_s"],
        "fold_after_analysis_s": after["fold_after_analysis_s"],
        "before_fold_after_import_s": before["fold_after_import_s"],
        "before_fold_after_analysis_s": before["fold_after_analysis_s"], "rebuild_s": rebuild,
        "same_overlay": same, "load_before": load_before[0], "load_after": os.getloadavg()[0],
    }  # fmt: skip
    return figures


def main() -> None:
    print(f"load average at the start: {os.getloadavg()[0]:.2f}", flush=True)
    f = run()
    folds = float(f["fold_after_import_s"]) + float(f["fold_after_analysis_s"])
    previous = float(f["before_fold_after_import_s"]) + float(f["before_fold_after_analysis_s"])
    print(f"overlay index, {f['imported']:,} items imported into {f['size']:,}: before / now")
    print(f"  fold after the import (new items)      {f['before_fold_after_import_s']:9.2f} s"
          f" {f['fold_after_import_s']:9.2f} s")  # fmt: skip
    after_analysis = (f["before_fold_after_analysis_s"], f["fold_after_analysis_s"])
    print(f"  fold after their analysis ({f['analysed']:,} texts) "
          f"{after_analysis[0]:9.2f} s {after_analysis[1]:9.2f} s")  # fmt: skip
    print(f"  both folds                             {previous:9.2f} s {folds:9.2f} s")
    print(f"  baseline: whole rebuild, same data     {f['rebuild_s']:9.2f} s"
          f"   ({float(f['rebuild_s']) / folds:.1f}x the folds; 0: not run)")  # fmt: skip
    print(f"  import (service, not counted)          {f['import_s']:9.2f} s")
    print(f"  index of the cached dataset brought up to date first {f['first_build_s']:.2f} s")
    print(f"  overlay after the folds (both) == after the rebuild: {f['same_overlay']}")
    print(f"  load average: {f['load_before']:.2f} before, {f['load_after']:.2f} after")
    Path(OUT / "overlay-incremental.json").write_text(json.dumps(f, indent=2))


if __name__ == "__main__":
    main()
