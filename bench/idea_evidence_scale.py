"""The ideas' evidence at scale on PostgreSQL: how long the ``idea_evidence`` job's matching
takes, and how much memory it holds, over ``BENCH_EVIDENCE_ROWS`` verbatims (1,000,000 by
default), each a distinct text with a stored vector, against 20 ideas.

A database of its own, ``cxgap_bench_ideamatch``, is made, filled by PostgreSQL itself
(``generate_series``: feedback rows, their enrichments and clauses for nine in ten, and
512-byte vectors) and dropped at the end. The vectors are bytes of ``md5``, a stand-in for
the model's (embedding a million texts takes some 20 minutes of CPU, once per text);
the ideas are embedded by the bundled model. Prints the stages' seconds
and the process's peak resident memory.

Run: ``python -m bench.idea_evidence_scale``.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.pg_base import ADMIN_URL
from cxgap.config import Settings
from cxgap.services import idea_evidence, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace
from cxgap.text.embeddings import load_embedder

NAME = "cxgap_bench_ideamatch"
TITLES = (
    "Deliver on Saturdays", "Track my parcel in real time", "Free returns in store",
    "Call me back instead of waiting on the line", "Refund within 48 hours",
    "An app that does not crash at checkout", "Loyalty points", "Livrer le samedi",
    "Suivre mon colis", "Retours gratuits", "Être rappelé", "Rembourser sous 48 heures",
    "Cheaper delivery", "Assembly service at home", "More sofa colours", "Opening on Sundays",
    "Live chat on the website", "Click and collect", "Gift cards", "Dark mode in the app",
)  # fmt: skip


def _fill(cx: Cxgap, workspace_id: int, rows: int) -> None:
    with cx.engine.begin() as conn:
        conn.execute(text("SET LOCAL synchronous_commit = off"))
        conn.execute(
            text(
                "INSERT INTO feedback (workspace_id, source_type, source_id, collected_at, text,"
                " touchpoint, attributes, text_hash, created_at, updated_at)"
                " SELECT :w, 'survey', 's' || i, now(), 'verbatim ' || i,"
                " CASE WHEN i % 3 = 0 THEN 'delivery' END, '{}',"
                " md5(i::text) || md5((i + 1)::text), now(), now()"
                " FROM generate_series(1, :n) AS i"
            ),
            {"w": workspace_id, "n": rows},
        )
        conn.execute(
            text(
                "INSERT INTO text_enrichments (workspace_id, text_hash, language, sentiment,"
                " topic_keys, model, enriched_at)"
                " SELECT :w, md5(i::text) || md5((i + 1)::text), 'en',"
                " (ARRAY['negative', 'neutral', 'positive'])[1 + i % 3], '[]', 'bench', now()"
                " FROM generate_series(1, :n) AS i WHERE i % 10 <> 0"
            ),
            {"w": workspace_id, "n": rows},
        )
        conn.execute(
            text(
                'INSERT INTO text_findings (enrichment_id, workspace_id, position, start, "end",'
                " sentiment, topic_key) SELECT id, workspace_id, 0, 0, 5, sentiment, NULL"
                " FROM text_enrichments WHERE workspace_id = :w"
            ),
            {"w": workspace_id},
        )
        conn.execute(
            text(
                "INSERT INTO text_vectors (workspace_id, text_hash, model, vector)"
                " SELECT :w, md5(i::text) || md5((i + 1)::text), :model,"
                " decode(repeat(md5(i::text), 32), 'hex')"
                " FROM generate_series(1, :n) AS i"
            ),
            {"w": workspace_id, "n": rows, "model": load_embedder().name},
        )
        for table in ("feedback", "text_enrichments", "text_findings", "text_vectors"):
            conn.execute(text(f"ANALYZE {table}"))


def main() -> None:
    rows = int(os.environ.get("BENCH_EVIDENCE_ROWS", "1000000"))
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {NAME}"))
        conn.execute(text(f"CREATE DATABASE {NAME}"))
    url = make_url(ADMIN_URL).set(database=NAME).render_as_string(False)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cx = Cxgap(Settings(data_dir=Path(tmp), database_url=url, secret_key="bench"))
            cx.upgrade()
            with cx.transaction() as session:
                workspace = create_workspace(session, key="bench", name="Bench")
                person = person_by_email(session, workspace=workspace, email="a@example.com")
                for title in TITLES:
                    ideas.submit_idea(session, workspace=workspace, person=person, title=title)
                workspace_id = workspace.id
            started = time.perf_counter()
            _fill(cx, workspace_id, rows)
            print(f"{rows:,} verbatims, enrichments and vectors made in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
            embedder = load_embedder()
            embedder.embed(["warm the model up"])
            started = time.perf_counter()
            assert idea_evidence.embed_missing(cx.sessions, workspace_id, embedder) == 0
            print(f"embedding stage, nothing missing: {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            found = idea_evidence.match_ideas(cx.sessions, workspace_id, embedder)
            print(f"matching stage ({found[0]} ideas, {found[1]:,} texts matched): "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"peak resident memory of the process: {peak:.0f} MB")
            cx.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {NAME}"))
        admin.dispose()


if __name__ == "__main__":
    main()
