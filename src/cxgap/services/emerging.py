"""Emerging topics of a workspace: what customers say that no topic of the taxonomy covers.

The clauses whose finding has no topic are embedded and clustered (``cxgap.text.clusters``);
each cluster comes with keywords, representative verbatims and a suggested topic the analyst
can adopt in one click (``taxonomy.create_topic`` with origin "emerging", then a re-enrichment).

Clustering embeds up to ``MAX_CLAUSES`` clauses, too slow for a page. So it runs as an
``emerging`` job (``cxgap.jobs``), queued after each successful enrichment job or when an
analyst asks, and the result is stored in the database (one row per workspace,
``emerging_topic_results``) with the enrichment version it came from, when it was computed and
the last feedback id it saw: the page reads that row, and says whether feedback arrived or the
enrichment changed since.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cxgap.db.tables import (
    EmergingTopicsResult,
    Feedback,
    TextEnrichment,
    TextFinding,
    Topic,
    Workspace,
    utcnow,
)
from cxgap.text.cluster_names import cluster_names, frequent_words, name_words
from cxgap.text.clusters import cluster_texts, words_of
from cxgap.text.protocols import Embedder

MAX_CLAUSES = 1500  # most frequent uncovered clauses clustered per request
MAX_FINDINGS = 20_000  # latest uncovered findings looked at
MIN_WORDS = 3  # shorter clauses ("RAS", "ok merci") say too little to cluster
FORMAT = 1  # version of the stored JSON document

log = logging.getLogger(__name__)
# One computation at a time in a process: they share the embedder (and its cache).
_computing = threading.Lock()


@dataclass(frozen=True)
class EmergingTopic:
    """A cluster of uncovered clauses, ready to be adopted as a topic."""

    size: int  # findings (clauses of stored feedback) in the cluster
    keywords: tuple[str, ...]
    examples: tuple[str, ...]  # representative clauses, nearest to the centroid first
    suggested_key: str
    suggested_name: str

    def as_dict(self) -> dict[str, object]:
        return {
            "size": self.size,
            "keywords": list(self.keywords),
            "examples": list(self.examples),
            "suggested_key": self.suggested_key,
            "suggested_name": self.suggested_name,
        }


@cache
def default_embedder() -> Embedder:
    """The bundled sentence-embedding model (``cxgap.text.embeddings``), loaded when used.

    One per process, so the web app and its embedded worker share the model and its cache
    of embeddings (clauses seen by an earlier run are not embedded again)."""
    from cxgap.text.embeddings import load_embedder

    return load_embedder()


def uncovered_clauses(
    session: Session, workspace: Workspace, *, limit: int = MAX_CLAUSES
) -> Counter[str]:
    """The workspace's most frequent clauses without a topic (among the latest
    ``MAX_FINDINGS`` such findings), with how many feedback records said each one."""
    rows = session.execute(
        select(TextEnrichment.text_hash, TextFinding.start, TextFinding.end)
        .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
        .where(TextFinding.workspace_id == workspace.id, TextFinding.topic_key.is_(None))
        .order_by(TextFinding.id.desc())
        .limit(MAX_FINDINGS)
    ).all()
    texts: dict[str, tuple[str, int]] = {}
    hashes = sorted({row.text_hash for row in rows})
    for start in range(0, len(hashes), 500):
        found = session.execute(
            select(Feedback.text_hash, func.min(Feedback.text), func.count())
            .where(
                Feedback.workspace_id == workspace.id,
                Feedback.text_hash.in_(hashes[start : start + 500]),
            )
            .group_by(Feedback.text_hash)
        )
        texts.update((text_hash, (text, int(n))) for text_hash, text, n in found)
    clauses: Counter[str] = Counter()
    for row in rows:
        text, records = texts.get(row.text_hash, ("", 0))
        clause = text[row.start : row.end].strip()
        if len(clause.split()) >= MIN_WORDS and words_of(clause):
            clauses[clause] += records
    return Counter(dict(clauses.most_common(limit)))


def emerging_topics(
    session: Session,
    workspace: Workspace,
    embedder: Embedder | None = None,
    *,
    min_size: int = 3,
    max_clusters: int = 12,
    examples: int = 3,
) -> list[EmergingTopic]:
    """Clusters of the workspace's uncovered clauses, largest first."""
    clauses = uncovered_clauses(session, workspace)
    texts = sorted(clauses, key=lambda text: (-clauses[text], text))
    if len(texts) < 2 * min_size:
        return []
    vectors = (embedder if embedder is not None else default_embedder()).embed(texts)
    taken = set(session.scalars(select(Topic.key).where(Topic.workspace_id == workspace.id)))
    # The brand and the corpus's background words name no topic ("Lumen / maison").
    exclude = name_words(workspace.name) | name_words(workspace.key) | frequent_words(texts)
    clusters = cluster_texts(
        texts, vectors, min_size=min_size, max_clusters=max_clusters, exclude=exclude
    )
    names = cluster_names(
        [[texts[i] for i in c.members] for c in clusters],
        [c.keywords for c in clusters],
        exclude=exclude,
    )
    found: list[EmergingTopic] = []
    for cluster, name in zip(clusters, names, strict=True):
        key = suggest_key(tuple(words_of(name)) or cluster.keywords, taken)
        taken.add(key)
        found.append(
            EmergingTopic(
                size=sum(clauses[texts[i]] for i in cluster.members),
                keywords=cluster.keywords,
                examples=tuple(texts[i] for i in cluster.representatives(examples)),
                suggested_key=key,
                suggested_name=name,
            )
        )
    return sorted(found, key=lambda topic: -topic.size)


def suggest_key(keywords: tuple[str, ...], taken: set[str]) -> str:
    """A free topic key from the first keywords (accents dropped).

    >>> suggest_key(("parking", "place"), {"parking-place"})
    'parking-place-2'
    >>> suggest_key(("équipe", "accueil"), set())
    'equipe-accueil'
    """
    ascii_words = [
        unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() for word in keywords
    ]
    words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in ascii_words]
    base = "-".join(w for w in words[:2] if w)[:50] or "emerging"
    if not base[0].isalpha():
        base = f"topic-{base}"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


# ---------- the stored result ----------


@dataclass(frozen=True)
class StoredEmerging:
    """Emerging topics as computed in the background, and what they were computed from."""

    clusters: tuple[EmergingTopic, ...]
    version: str  # the enrichment version (analyzer tag) of the clauses clustered
    computed_at: datetime
    last_feedback_id: int  # the newest feedback stored when computed
    clauses: int  # distinct uncovered clauses clustered
    seconds: float  # how long the computation took
    adopted: tuple[str, ...] = field(default=())  # suggested keys adopted since

    @property
    def shown(self) -> list[EmergingTopic]:
        """The clusters not adopted yet."""
        return [c for c in self.clusters if c.suggested_key not in self.adopted]

    def as_dict(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "version": self.version,
            "computed_at": self.computed_at.isoformat(),
            "last_feedback_id": self.last_feedback_id,
            "clauses": self.clauses,
            "seconds": round(self.seconds, 3),
            "adopted": list(self.adopted),
            "clusters": [c.as_dict() for c in self.clusters],
        }


@dataclass(frozen=True)
class Freshness:
    """How the stored result compares with the workspace now."""

    new_feedback: int  # feedback stored after the computation
    version_changed: bool  # the enrichment changed since (topics, corrections, models)

    @property
    def stale(self) -> bool:
        return self.new_feedback > 0 or self.version_changed


def enrichment_version(session: Session, workspace: Workspace) -> str:
    """The version tag of the workspace's latest enrichment ("" when nothing is enriched)."""
    latest = session.scalars(
        select(TextEnrichment.model)
        .where(TextEnrichment.workspace_id == workspace.id)
        .order_by(TextEnrichment.id.desc())
        .limit(1)
    ).first()
    return latest or ""


def _last_feedback_id(session: Session, workspace: Workspace) -> int:
    found = session.scalar(
        select(func.max(Feedback.id)).where(Feedback.workspace_id == workspace.id)
    )
    return int(found or 0)


def compute_and_store(
    session: Session, workspace: Workspace, embedder: Embedder | None = None
) -> StoredEmerging:
    """Cluster the workspace's uncovered clauses now and store the result (replacing any), in
    the caller's transaction."""
    with _computing:
        started = time.perf_counter()
        version = enrichment_version(session, workspace)
        last_id = _last_feedback_id(session, workspace)
        clauses = len(uncovered_clauses(session, workspace))
        clusters = emerging_topics(session, workspace, embedder)
    stored = StoredEmerging(
        clusters=tuple(clusters),
        version=version,
        computed_at=utcnow(),
        last_feedback_id=last_id,
        clauses=clauses,
        seconds=time.perf_counter() - started,
    )
    _write(session, workspace, stored)
    return stored


def load_stored(session: Session, workspace: Workspace) -> StoredEmerging | None:
    """The stored result, or None when there is none (or it cannot be read: it is only a
    cache, the next computation replaces it)."""
    row = session.get(EmergingTopicsResult, workspace.id)
    if row is None:
        return None
    try:
        return _parse(dict(row.data))
    except (ValueError, KeyError, TypeError) as exc:
        log.warning(
            "Ignoring unreadable emerging topics of workspace %s: %s",
            workspace.id,
            type(exc).__name__,
        )
        return None


def freshness(session: Session, workspace: Workspace, stored: StoredEmerging) -> Freshness:
    new = session.scalar(
        select(func.count())
        .select_from(Feedback)
        .where(Feedback.workspace_id == workspace.id, Feedback.id > stored.last_feedback_id)
    )
    return Freshness(
        new_feedback=int(new or 0),
        version_changed=enrichment_version(session, workspace) != stored.version,
    )


def mark_adopted(session: Session, workspace: Workspace, suggested_key: str) -> bool:
    """Hide an adopted cluster from the stored result until the next computation (which no
    longer finds it: its clauses are then covered). False when no stored cluster has that key."""
    stored = load_stored(session, workspace)
    if stored is None or suggested_key not in {c.suggested_key for c in stored.clusters}:
        return False
    _write(session, workspace, replace(stored, adopted=(*stored.adopted, suggested_key)))
    return True


def refresh(
    sessions: sessionmaker[Session],
    workspace_id: int,
    embedder: Embedder | Callable[[], Embedder] | None = None,
) -> StoredEmerging | None:
    """Recompute and store the workspace's emerging topics (what the ``emerging`` job runs);
    None when the workspace is gone. Failures are the caller's."""
    with sessions() as session, session.begin():
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            return None
        chosen = embedder() if callable(embedder) else embedder
        return compute_and_store(session, workspace, chosen)


def _write(session: Session, workspace: Workspace, stored: StoredEmerging) -> None:
    row = session.get(EmergingTopicsResult, workspace.id)
    if row is None:
        row = EmergingTopicsResult(workspace_id=workspace.id, data={})
        session.add(row)
    row.data, row.computed_at = stored.as_dict(), stored.computed_at
    session.flush()


def _parse(raw: dict[str, object]) -> StoredEmerging:
    if raw.get("format") != FORMAT:
        raise ValueError("unknown format")
    clusters = raw["clusters"]
    adopted = raw.get("adopted", [])
    if not isinstance(clusters, list) or not isinstance(adopted, list):
        raise TypeError("clusters and adopted must be lists")
    return StoredEmerging(
        clusters=tuple(
            EmergingTopic(
                size=int(c["size"]),
                keywords=tuple(str(k) for k in c["keywords"]),
                examples=tuple(str(e) for e in c["examples"]),
                suggested_key=str(c["suggested_key"]),
                suggested_name=str(c["suggested_name"]),
            )
            for c in clusters
        ),
        version=str(raw["version"]),
        computed_at=datetime.fromisoformat(str(raw["computed_at"])),
        last_feedback_id=int(str(raw["last_feedback_id"])),
        clauses=int(str(raw["clauses"])),
        seconds=float(str(raw["seconds"])),
        adopted=tuple(str(a) for a in adopted),
    )
