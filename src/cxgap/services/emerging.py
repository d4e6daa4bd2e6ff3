"""Emerging topics of a workspace: what customers say that no topic of the taxonomy covers.

The clauses whose finding has no topic are embedded and clustered (``cxgap.text.clusters``);
each cluster comes with keywords, representative verbatims and a suggested topic the analyst
can adopt in one click (``taxonomy.create_topic`` with origin "emerging", then a re-enrichment).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import Feedback, TextEnrichment, TextFinding, Topic, Workspace
from cxgap.text.clusters import cluster_texts, words_of
from cxgap.text.protocols import Embedder

MAX_CLAUSES = 1500  # most frequent uncovered clauses clustered per request
MAX_FINDINGS = 20_000  # latest uncovered findings looked at
MIN_WORDS = 3  # shorter clauses ("RAS", "ok merci") say too little to cluster


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


def default_embedder() -> Embedder:
    """The bundled sentence-embedding model (``cxgap.text.embeddings``), loaded when used."""
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
    vectors = (embedder or default_embedder()).embed(texts)
    taken = set(session.scalars(select(Topic.key).where(Topic.workspace_id == workspace.id)))
    found: list[EmergingTopic] = []
    for cluster in cluster_texts(texts, vectors, min_size=min_size, max_clusters=max_clusters):
        key = suggest_key(cluster.keywords, taken)
        taken.add(key)
        found.append(
            EmergingTopic(
                size=sum(clauses[texts[i]] for i in cluster.members),
                keywords=cluster.keywords,
                examples=tuple(texts[i] for i in cluster.representatives(examples)),
                suggested_key=key,
                suggested_name=" / ".join(cluster.keywords[:2]).capitalize() or key,
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
