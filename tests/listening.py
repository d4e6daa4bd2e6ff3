"""A small but real text analyzer and trainer for the listening tests, and feedback builders.

``RuleAnalyzer`` splits clauses on " but " / " mais " and punctuation, scores sentiment with a
tiny French/English lexicon and finds topics from their keywords. Its workspace model is a
memory of corrected examples (``NearestExampleTrainer``): a clause close enough to a corrected
one (word overlap) takes the corrected label. Enough to see the whole loop work without the
bundled models.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import Feedback, Workspace
from cxgap.text.protocols import Finding, Language, Sentiment, TextAnalysis, TopicSpec

POSITIVE = frozenset(
    [
        "great",
        "lovely",
        "excellent",
        "fast",
        "friendly",
        "helpful",
        "perfect",
        "good",
        "parfait",
        "rapide",
        "super",
        "top",
        "aimable",
        "excellent",
        "agréable",
        "merci",
        "impeccable",
    ]
)
NEGATIVE = frozenset(
    [
        "late",
        "slow",
        "broken",
        "rude",
        "expensive",
        "bad",
        "awful",
        "never",
        "lost",
        "retard",
        "lent",
        "lente",
        "cassé",
        "cher",
        "chère",
        "horrible",
        "nul",
        "impoli",
        "perdu",
        "jamais",
    ]
)
FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "est",
        "très",
        "mais",
        "pas",
        "et",
        "un",
        "une",
        "des",
        "du",
        "pour",
        "avec",
    ]
)
CLAUSE_BREAK = re.compile(r"\s+(?:but|mais)\s+|[.!?;]+\s*", re.IGNORECASE)
WORD = re.compile(r"\w+")
MODEL_FILE = "examples.json"
SIMILAR = 0.5  # word overlap (Jaccard) for a corrected example to apply


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def clauses(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*CLAUSE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
        if match:
            start = match.end()
    return spans


class RuleAnalyzer:
    """Keyword topics, lexicon sentiment, clause by clause; optionally corrected examples."""

    def __init__(
        self, topics: Sequence[TopicSpec], *, workspace_model_dir: Path | None = None
    ) -> None:
        self.topics = list(topics)
        self.examples: list[tuple[set[str], str, str, bool]] = []
        if workspace_model_dir is not None:
            rows = json.loads((workspace_model_dir / MODEL_FILE).read_text(encoding="utf-8"))
            self.examples = [(words(t), kind, value, applies) for t, kind, value, applies in rows]
        self.calls: list[list[str]] = []

    @property
    def name(self) -> str:
        return "rules-v1" + ("+examples" if self.examples else "")

    def analyze(self, texts: Sequence[str]) -> list[TextAnalysis]:
        self.calls.append(list(texts))
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> TextAnalysis:
        if not text.strip():
            return TextAnalysis("", "", None, None, (), (), ())
        findings = tuple(self._finding(text, start, end) for start, end in clauses(text))
        score = sum(f.sentiment_score for f in findings) / len(findings) if findings else 0.0
        topics = tuple(dict.fromkeys(t for f in findings for t in f.topics))
        pillars = tuple(
            dict.fromkeys(p for s in self.topics if s.key in topics for p in s.pillar_keys)
        )
        language: Language = "fr" if words(text) & FRENCH else "en"
        return TextAnalysis(
            language=language,
            sentiment=_label(score),
            sentiment_score=score,
            intensity=max((f.intensity for f in findings), default=0.0),
            topics=topics,
            pillars=pillars,
            findings=findings,
        )

    def _finding(self, text: str, start: int, end: int) -> Finding:
        clause = words(text[start:end])
        positive, negative = len(clause & POSITIVE), len(clause & NEGATIVE)
        score = (positive - negative) / max(1, positive + negative)
        topics = [
            spec.key
            for spec in self.topics
            if any(words(keyword) <= clause for keyword in spec.keywords)
        ]
        for example, kind, value, applies in self.examples:
            if _jaccard(example, clause) < SIMILAR:
                continue
            if kind == "sentiment":
                score = {"positive": 0.8, "negative": -0.8}.get(value, 0.0)
            elif applies and value not in topics:
                topics.append(value)
            elif not applies and value in topics:
                topics.remove(value)
        return Finding(
            start=start,
            end=end,
            sentiment=_label(score),
            sentiment_score=score,
            intensity=min(1.0, (positive + negative) / 3),
            topics=tuple(topics),
        )


def _label(score: float) -> Sentiment:
    return "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def rule_analyzer(
    topics: Sequence[TopicSpec], *, workspace_model_dir: Path | None = None
) -> RuleAnalyzer:
    return RuleAnalyzer(topics, workspace_model_dir=workspace_model_dir)


class NearestExampleTrainer:
    """Trains the RuleAnalyzer's workspace model: the corrected examples, kept as they are."""

    def __init__(self) -> None:
        self.trainings: list[int] = []

    def __call__(self, examples: Iterable[tuple[str, str, str, bool]], out_dir: Path) -> None:
        rows = [list(example) for example in examples]
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / MODEL_FILE).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        self.trainings.append(len(rows))


TOPICS = (
    TopicSpec(
        "delivery",
        "Delivery",
        "Livraison",
        keywords=("delivery", "livraison", "parcel", "colis"),
        pillar_keys=("products",),
    ),
    TopicSpec(
        "staff",
        "Staff attitude",
        "Attitude du personnel",
        keywords=("staff", "personnel", "vendeur", "advisor"),
        pillar_keys=("representatives",),
    ),
    TopicSpec(
        "price",
        "Price",
        "Prix",
        keywords=("price", "prix", "expensive", "cher"),
        pillar_keys=("products",),
    ),
)


def add_feedback(
    session: Session, workspace: Workspace, texts: Iterable[str], *, prefix: str = "fb"
) -> list[Feedback]:
    """Store feedback records with these texts (identical texts share a text hash)."""
    rows = [
        Feedback(
            workspace_id=workspace.id,
            source_type="review",
            source_id=f"{prefix}-{n}",
            collected_at=datetime(2026, 3, 1, tzinfo=UTC),
            text=text,
            text_hash=hashlib.sha256(text.encode()).hexdigest(),
        )
        for n, text in enumerate(texts)
    ]
    session.add_all(rows)
    session.flush()
    listening_counts.add(session, workspace.id, Feedback.id.in_([r.id for r in rows]))
    return rows


def run_jobs(worker: Any) -> list[int]:
    """Run every job due, as a worker does in its loop: an enrichment and what it queues
    after it (the overlay index, the emerging topics); the ids run, in order."""
    ran: list[int] = []
    while (job_id := worker.run_once()) is not None:
        ran.append(job_id)
    return ran


def in_order(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows (driver patterns: a topic set, a value, a count) in one order whatever the
    process's hash seed. ``sorted(rows, key=str)`` is not: two equal frozensets may print
    their members in different orders, so equal pattern lists compared unequal in one
    process of six (``PYTHONHASHSEED=3``)."""

    def key(row: tuple[Any, ...]) -> str:
        return repr(tuple(sorted(v) if isinstance(v, frozenset) else v for v in row))

    return sorted(rows, key=key)
