"""Time the measured overlay of a 40-touchpoint journey over 1,000,000 enriched feedback items.

The dataset (cached in bench/out/ by size, seed and schema): every item has its own text and
text enrichment with one or two findings; 40 % name a touchpoint (of the journey or not),
30 topics of which 20 map to one or two touchpoints; NPS on 60 %, CSAT on 30 %; segment and
birth year as attributes. Rows go in through the DB-API with executemany.

Baseline, measured in the same run: every feedback, enrichment and finding row fetched into
Python and the same figures (counts, sentiment, NPS, CSAT, negative topics) aggregated there.

``python -m bench overlay`` runs it alone (``BENCH_OVERLAY_SIZE`` changes the size).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench.assessment import Timing, best_of
from bench.build import OUT, schema_tag
from cxgap.config import Settings
from cxgap.journeys.model import Journey, Persona, Phase, Stage, Text, Touchpoint
from cxgap.services import journeys
from cxgap.services.core import Cxgap
from cxgap.services.overlay import measure_journey, refresh_overlay_index
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import add_segments, create_workspace, get_workspace

SIZE = 1_000_000
N_TOUCHPOINTS = 40
N_TOPICS = 30
CHUNK = 50_000
SEGMENTS = ["busy_family", "design_lover", "pro_buyer", "bargain_hunter"]


def bench_journey() -> Journey:
    """40 touchpoints over 8 stages."""
    phases = [Phase.BEFORE] * 3 + [Phase.DURING] * 2 + [Phase.AFTER] * 3
    stages = tuple(
        Stage(
            f"s{s}",
            Text(f"Stage {s}", f"Étape {s}"),
            phases[s],
            tuple(
                Touchpoint(
                    f"tp{s * 5 + t}", Text(f"Touchpoint {s * 5 + t}", "Point"), "website", True
                )
                for t in range(5)
            ),
        )
        for s in range(8)
    )
    persona = Persona(key="pro", name="Pro buyer", segment="pro_buyer")
    return Journey(key="bench", name=Text("Bench", "Bench"), persona=persona, stages=stages)


def overlay_database(size: int, seed: int = 7) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"overlay-{size}-{seed}-{schema_tag()}-v2.sqlite3"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    cx = _open(partial)
    cx.upgrade()
    with cx.transaction() as session:
        workspace = create_workspace(session, key="bench", name="Bench")
        add_segments(session, workspace=workspace, segments=[(s, s, s) for s in SEGMENTS])
        set_segment_rule(
            session,
            workspace=workspace,
            key="pro_buyer",
            rule='segment = "pro_buyer" or (birth_year < 1965 and nps <= 6)',
        )
        journeys.create_journey(session, workspace=workspace, journey=bench_journey())
        workspace_id = workspace.id
    cx.dispose()
    _fill(partial, workspace_id, size, seed)
    partial.rename(path)
    return path


def _fill(path: Path, workspace_id: int, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    now = datetime(2026, 5, 1, tzinfo=UTC)
    for t in range(N_TOPICS):
        mapped = [f"tp{(t * 2) % N_TOUCHPOINTS}", f"tp{(t * 7 + 1) % N_TOUCHPOINTS}"][: 1 + t % 2]
        db.execute(
            "INSERT INTO topics (workspace_id, key, name_en, name_fr, description, examples, "
            "keywords, pillar_keys, touchpoint_keys, origin, active, position, created_at) "
            "VALUES (?, ?, ?, ?, '', '[]', '[]', '[]', ?, 'default', 1, ?, ?)",
            (workspace_id, f"topic{t}", f"Topic {t}", f"Sujet {t}",
             json.dumps(mapped if t < 20 else []), t, now.isoformat()),
        )  # fmt: skip
    finding_id = 1
    for offset in range(0, n, CHUNK):
        size = min(CHUNK, n - offset)
        ids = np.arange(offset + 1, offset + size + 1)
        score = np.clip(rng.normal(0.0, 0.5, size=size), -1, 1).round(3)
        tp = rng.integers(0, N_TOUCHPOINTS + 10, size=size)  # 10 keys outside the journey
        has_tp = rng.random(size) < 0.4
        nps = rng.integers(0, 11, size=size)
        has_nps = rng.random(size) < 0.6
        csat = rng.integers(1, 6, size=size)
        has_csat = rng.random(size) < 0.3
        seg = rng.integers(0, len(SEGMENTS), size=size)
        year = rng.integers(1940, 2008, size=size)
        topic = rng.integers(0, N_TOPICS, size=(size, 2))
        two = rng.random(size) < 0.5
        texts = [f"bench text {i}" for i in ids]
        hashes = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        # as SQLAlchemy writes a datetime to SQLite, so that moments compare as in real data
        when = (now + timedelta(days=int(offset // CHUNK))).strftime("%Y-%m-%d %H:%M:%S.%f")
        db.executemany(
            "INSERT INTO feedback (id, workspace_id, source_type, source_id, channel, "
            "collected_at, text, nps, csat, ces, stars, customer_ref, touchpoint, language_hint, "
            "attributes, text_hash, import_id, created_at, updated_at) "
            "VALUES (?, ?, 'survey', ?, 'web', ?, ?, ?, ?, NULL, NULL, NULL, ?, 'en', ?, ?, NULL, "
            "?, ?)",
            (
                (int(i), workspace_id, f"b{i}", when, texts[r],
                 int(nps[r]) if has_nps[r] else None, int(csat[r]) if has_csat[r] else None,
                 f"tp{tp[r]}" if has_tp[r] else None,
                 json.dumps({"segment": SEGMENTS[seg[r]], "birth_year": str(year[r])}),
                 hashes[r], when, when)
                for r, i in enumerate(ids)
            ),
        )  # fmt: skip
        db.executemany(
            "INSERT INTO text_enrichments (id, workspace_id, text_hash, language, sentiment, "
            "sentiment_score, intensity, topic_keys, model, enriched_at) "
            "VALUES (?, ?, ?, 'en', ?, ?, ?, ?, 'bench', ?)",
            (
                (int(i), workspace_id, hashes[r], _label(score[r]), float(score[r]),
                 abs(float(score[r])), json.dumps(sorted({f"topic{t}" for t in topic[r, :2]})),
                 when)
                for r, i in enumerate(ids)
            ),
        )  # fmt: skip
        rows = []
        for r, i in enumerate(ids):
            for k in range(1 + int(two[r])):
                s = float(score[r]) if k == 0 else float(-score[r] / 2)
                rows.append((finding_id, int(i), workspace_id, k, 0, 10, _label(s), s, abs(s),
                             f"topic{topic[r, k]}"))  # fmt: skip
                finding_id += 1
        db.executemany(
            "INSERT INTO text_findings (id, enrichment_id, workspace_id, position, start, end, "
            "sentiment, sentiment_score, intensity, topic_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            rows,
        )
        db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()


def _label(score: float) -> str:
    return "positive" if score > 0.2 else ("negative" if score < -0.2 else "neutral")


def python_baseline(path: Path) -> dict[str, dict[str, float]]:
    """Every row into Python, then the overlay's counts and sums per touchpoint."""
    db = sqlite3.connect(path)
    topics = {
        key: json.loads(tps) for key, tps in db.execute("SELECT key, touchpoint_keys FROM topics")
    }
    keys = {f"tp{i}" for i in range(N_TOUCHPOINTS)}
    enrichment = {
        h: (i, s, x)
        for i, h, s, x in db.execute(
            "SELECT id, text_hash, sentiment_score, intensity FROM text_enrichments"
        )
    }
    findings: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for eid, topic, label in db.execute(
        "SELECT enrichment_id, topic_key, sentiment FROM text_findings"
    ):
        findings[eid].append((topic, label))
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for _fid, tp, h, nps, csat in db.execute(
        "SELECT id, touchpoint, text_hash, nps, csat FROM feedback"
    ):
        eid, score, intensity = enrichment.get(h, (None, None, None))
        found = findings.get(eid, []) if eid is not None else []
        concerned = {tp} & keys | {t for topic, _ in found for t in topics.get(topic, [])}
        for key in concerned:
            agg = out[key]
            agg["n"] += 1
            if score is not None:
                agg["sum"] += score
                agg["intensity"] += intensity
            if nps is not None:
                agg["nps_n"] += 1
                agg["promoters"] += nps >= 9
                agg["detractors"] += nps <= 6
            if csat is not None:
                agg["csat"] += csat
            for topic, label in found:
                if label == "negative":
                    agg["neg:" + topic] += 1
    db.close()
    return out


def _open(path: Path) -> Cxgap:
    return Cxgap(Settings(data_dir=path.parent, database_url=f"sqlite:///{path}", secret_key="b"))


def run(size: int | None = None) -> list[Timing]:
    size = size or int(os.environ.get("BENCH_OVERLAY_SIZE", SIZE))
    path = overlay_database(size)
    cx = _open(path)
    repeat = 3
    journey = bench_journey()

    def overlay(segment: str | None) -> None:
        with cx.reading() as session:
            measured = measure_journey(
                session, workspace=get_workspace(session, "bench"), journey=journey,
                segment=segment,
            )  # fmt: skip
            assert len(measured) == N_TOUCHPOINTS

    baseline = best_of(2, lambda: python_baseline(path))

    def rebuild() -> None:
        with cx.transaction() as session:
            workspace = get_workspace(session, "bench")
            refresh_overlay_index(session, workspace=workspace, force=True)

    build = best_of(1, rebuild)
    everyone = best_of(repeat, lambda: overlay(None))
    persona = best_of(repeat, lambda: overlay("pro_buyer"))
    cx.dispose()
    return [
        Timing("overlay index rebuild (after a data change)", size, build, baseline),
        Timing("journey overlay, 40 touchpoints (SQL)", size, everyone, baseline),
        Timing("journey overlay, persona segment rule", size, persona, baseline),
    ]
