"""The default :class:`~cxgap.text.protocols.TextAnalyzer`: whole verbatims in, findings out.

For a batch of verbatims: the language of each; its clauses (``sentences.split_clauses``), so
"staff were lovely but delivery took three weeks" gives two findings; every clause of the
batch embedded in one call; per clause, a sentiment (3 classes, score = P(positive) −
P(negative), read by the fine-tuned sentiment encoder of :mod:`cxgap.text.sentiment_encoder`),
an intensity, and topics from three sources:

- the bundled topic head, for the default topics it was trained on;
- example-phrase prototypes, for taxonomy topics the head does not know (an analyst adds a
  topic with a few examples and it works at once): a clause takes the topic when its cosine
  similarity to one of the examples reaches :data:`PROTOTYPE_SIMILARITY`;
- keyword rules (``keywords.py``), always.

A verbatim of one clause takes that clause's sentiment. A verbatim of several clauses is read
again as a whole by the sentiment encoder, which sees its negations, concessions and
contrasts in context ("seul bémol, la livraison" in a glowing review; "polite but couldn't
solve anything"): that reading is its sentiment, and its clauses keep their own for the
highlights. Its intensity is the strongest clause's. A workspace model
(:mod:`cxgap.text.workspace`) can then override what the analyst corrected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cxgap.text.embeddings import load_embedder
from cxgap.text.heads import Floats
from cxgap.text.keywords import KeywordMatcher
from cxgap.text.language import RuleAndModelDetector
from cxgap.text.lexicon import with_cues
from cxgap.text.models import BundledModels, bundled_models
from cxgap.text.protocols import (
    Embedder,
    Finding,
    Language,
    LanguageDetector,
    Matrix,
    Sentiment,
    TextAnalysis,
    TopicSpec,
)
from cxgap.text.sentences import Span, split_clauses
from cxgap.text.sentiment_encoder import SentimentProbabilities as Probabilities
from cxgap.text.taxonomy import DEFAULT_TAXONOMY
from cxgap.text.workspace import WorkspaceModel, train_workspace_model

__all__ = ["DefaultAnalyzer", "build_analyzer", "train_workspace_model"]

PROTOTYPE_SIMILARITY = 0.62
OPINION_THRESHOLD = 0.5
EMPTY = TextAnalysis("", "", None, None, (), (), ())


@dataclass
class _Clauses:
    """Every clause of a batch, flattened, and which verbatim each belongs to."""

    owners: list[int] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)


class DefaultAnalyzer:
    """Language, clauses, sentiment, intensity, topics and pillars for batches of verbatims."""

    def __init__(
        self,
        topics: Sequence[TopicSpec],
        *,
        models: BundledModels,
        embedder: Embedder,
        detector: LanguageDetector,
        workspace: WorkspaceModel | None = None,
    ) -> None:
        self.topics = tuple(topics)
        self.models = models
        self.embedder = embedder
        self.detector = detector
        self.workspace = workspace
        self._keywords = KeywordMatcher.of(self.topics)
        self._pillars = {topic.key: topic.pillar_keys for topic in self.topics}
        known = set(models.topics.labels)
        self._head_columns = [
            (models.topics.labels.index(t.key), t.key) for t in self.topics if t.key in known
        ]
        self._prototype_topics = [t for t in self.topics if t.key not in known and t.examples]

    @property
    def name(self) -> str:
        base = f"cxgap-{self.models.version}/{self.models.embedder}"
        return f"{base}+{self.workspace.name}" if self.workspace else base

    def analyze(self, texts: Sequence[str]) -> list[TextAnalysis]:
        languages = [self.detector.detect(text) if text.strip() else "" for text in texts]
        clauses = self._clauses(texts, languages)
        if not clauses.spans:
            return [EMPTY for _ in texts]
        vectors = self.embedder.embed([span.text for span in clauses.spans])
        read = self._read(clauses)
        findings = self._findings(clauses, vectors, read[0])
        whole_scores = self._whole_scores(clauses, read[1])
        per_text: list[list[Finding]] = [[] for _ in texts]
        for owner, finding in zip(clauses.owners, findings, strict=True):
            per_text[owner].append(finding)
        analyses = [
            self._summary(languages[i], found, whole_scores.get(i)) if found else EMPTY
            for i, found in enumerate(per_text)
        ]
        if self.workspace is not None:
            analyses = self.workspace.apply(texts, analyses, self.embedder, self._pillars)
        return analyses

    def _read(self, clauses: _Clauses) -> tuple[Probabilities, Probabilities]:
        """Sentiment of every clause and of every verbatim, from one encoder pass each."""
        groups: dict[int, list[str]] = {}
        for owner, span in zip(clauses.owners, clauses.spans, strict=True):
            groups.setdefault(owner, []).append(span.text)
        by_clause, by_verbatim = self.models.sentiment.read(list(groups.values()))
        return by_clause, by_verbatim

    def _clauses(self, texts: Sequence[str], languages: list[Language]) -> _Clauses:
        out = _Clauses()
        for index, (text, language) in enumerate(zip(texts, languages, strict=True)):
            if not language:
                continue
            spans = split_clauses(text) or [Span(text.strip(), 0, len(text))]
            for span in spans:
                out.owners.append(index)
                out.spans.append(span)
                out.languages.append(language)
        return out

    def _findings(self, clauses: _Clauses, vectors: Matrix, read: Probabilities) -> list[Finding]:
        texts = [span.text for span in clauses.spans]
        features = with_cues(vectors, texts, clauses.languages)
        positive, neutral, negative = read.positive, read.neutral, read.negative
        intensity = self.models.intensity.predict(features)
        topics = self._topics(texts, vectors)
        return [
            Finding(
                start=span.start,
                end=span.end,
                sentiment=_label(positive[i], neutral[i], negative[i]),
                sentiment_score=round(float(positive[i] - negative[i]), 4),
                intensity=round(float(0.7 * intensity[i] + 0.3 * (1.0 - neutral[i])), 4),
                topics=topics[i],
            )
            for i, span in enumerate(clauses.spans)
        ]

    def _whole_scores(
        self, clauses: _Clauses, read: Probabilities
    ) -> dict[int, tuple[float, bool]]:
        """(score, opinionated) of each verbatim of several clauses, read whole by the
        sentiment encoder: a review carries its verdict in how its clauses relate."""
        owners = list(dict.fromkeys(clauses.owners))
        counts = Counter(clauses.owners)
        positive, neutral, negative = read.positive, read.neutral, read.negative
        return {
            index: (
                float(positive[row] - negative[row]),
                bool(neutral[row] < max(positive[row], negative[row])),
            )
            for row, index in enumerate(owners)
            if counts[index] > 1
        }

    def _topics(self, texts: list[str], vectors: Matrix) -> list[tuple[str, ...]]:
        head = self.models.topics
        proba = head.predict_proba(vectors) if self._head_columns else np.zeros((len(texts), 0))
        similar = self._prototype_similarity(vectors)
        order = {topic.key: rank for rank, topic in enumerate(self.topics)}
        out = []
        for row, text in enumerate(texts):
            found = {
                key for column, key in self._head_columns if proba[row, column] >= head.threshold
            }
            found.update(
                topic.key
                for column, topic in enumerate(self._prototype_topics)
                if similar[row, column] >= PROTOTYPE_SIMILARITY
            )
            found.update(self._keywords.topics_in(text))
            out.append(tuple(sorted(found, key=order.__getitem__)))
        return out

    def _prototype_similarity(self, vectors: Matrix) -> Floats:
        if not self._prototype_topics:
            return np.zeros((len(vectors), 0))
        unit = _normalised(vectors)
        return np.column_stack(
            [(unit @ prototypes.T).max(axis=1) for prototypes in self._prototypes]
        )

    @cached_property
    def _prototypes(self) -> list[Floats]:
        return [_normalised(self.embedder.embed(list(t.examples))) for t in self._prototype_topics]

    def _summary(
        self, language: Language, findings: list[Finding], whole: tuple[float, bool] | None
    ) -> TextAnalysis:
        score, opinionated = aggregate_sentiment(findings) if whole is None else whole
        topics = tuple(dict.fromkeys(topic for finding in findings for topic in finding.topics))
        pillars = tuple(dict.fromkeys(p for topic in topics for p in self._pillars.get(topic, ())))
        sentiment: Sentiment = (
            "neutral" if not opinionated else "positive" if score > 0 else "negative"
        )
        return TextAnalysis(
            language=language,
            sentiment=sentiment,
            sentiment_score=round(score, 4),
            intensity=max(finding.intensity for finding in findings),
            topics=topics,
            pillars=pillars,
            findings=tuple(findings),
        )


def aggregate_sentiment(findings: Sequence[Finding]) -> tuple[float, bool]:
    """A verbatim's score from its findings, and whether any finding holds an opinion.

    >>> up = Finding(0, 5, "positive", 0.8, 0.6)
    >>> down = Finding(6, 9, "negative", -0.6, 0.7)
    >>> aggregate_sentiment([up, down])
    (0.2, True)
    """
    weights = []
    for finding in findings:
        weight = abs(finding.sentiment_score) if finding.sentiment != "neutral" else 0.05
        weights.append(weight)
    total = sum(weights)
    scores = [finding.sentiment_score for finding in findings]
    score = sum(w * s for w, s in zip(weights, scores, strict=True)) / total if total else 0.0
    opinionated = any(finding.sentiment != "neutral" for finding in findings)
    return round(float(score), 4), opinionated


def build_analyzer(
    topics: Sequence[TopicSpec] | None = None, *, workspace_model_dir: Path | None = None
) -> DefaultAnalyzer:
    """The default analyzer on ``topics`` (the default taxonomy when ``None``), following the
    analyst's corrections when ``workspace_model_dir`` holds a trained workspace model."""
    models = bundled_models()
    workspace = WorkspaceModel.load(workspace_model_dir) if workspace_model_dir else None
    return DefaultAnalyzer(
        DEFAULT_TAXONOMY if topics is None else topics,
        models=models,
        embedder=load_embedder(models.embedder),
        detector=RuleAndModelDetector(),
        workspace=workspace,
    )


def _label(positive: float, neutral: float, negative: float) -> Sentiment:
    if neutral >= max(positive, negative):
        return "neutral"
    return "positive" if positive > negative else "negative"


def _normalised(vectors: Matrix) -> NDArray[np.float64]:
    array = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.asarray(array / np.where(norms == 0, 1.0, norms))
