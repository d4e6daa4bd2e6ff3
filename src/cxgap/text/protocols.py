"""The three roles a text back end can play, so that back ends are interchangeable.

An embedder turns texts into vectors, a language detector names the language of one text,
a classifier turns vectors into labels. Services and the CLI depend on these protocols,
never on a concrete model, so a test can pass a tiny fake and a user a model of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

Language = Literal["fr", "en", "other", ""]
"""``""`` is the language of an empty text: nothing to detect, nothing to guess."""

Sentiment = Literal["positive", "neutral", "negative", ""]
"""``""`` is the sentiment of an empty text."""

Matrix = NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to fixed-size vectors; one call embeds a whole batch."""

    @property
    def name(self) -> str:
        """A stable identifier of the model, stored with every head trained on it."""
        ...

    @property
    def dimension(self) -> int:
        """The length of every vector this embedder returns."""
        ...

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One row per text, in order, as ``float32``; an empty input gives ``(0, dimension)``."""
        ...


@runtime_checkable
class LanguageDetector(Protocol):
    """Names the language of a text: French, English, something else, or nothing."""

    def detect(self, text: str) -> Language:
        """``"fr"``, ``"en"``, ``"other"``, or ``""`` when the text has no letters."""
        ...


@runtime_checkable
class Classifier(Protocol):
    """Labels embedded texts; single-label or multi-label, saved to and loaded from a folder."""

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label the classifier can give, in the column order of ``predict_proba``."""
        ...

    @property
    def multi_label(self) -> bool:
        """Whether one text may get several labels (or none)."""
        ...

    def predict_proba(self, vectors: Matrix) -> NDArray[np.float64]:
        """One row per vector, one column per label."""
        ...

    def predict(self, vectors: Matrix) -> list[tuple[str, ...]]:
        """The labels of each vector: exactly one in single-label mode, zero or more otherwise."""
        ...

    def save(self, directory: Path) -> None:
        """Write the classifier into ``directory`` (created if missing)."""
        ...


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """One topic of a taxonomy as the text models see it (the database keeps the editable
    copy per workspace in ``topics``): a topic is recognised from its trained head when the
    bundled models know it, else from its example phrases, and always from its keywords."""

    key: str
    name_en: str
    name_fr: str
    description: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    pillar_keys: tuple[str, ...] = ()
    touchpoint_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One clause of a verbatim with its own sentiment and topics (character offsets)."""

    start: int
    end: int
    sentiment: Sentiment
    sentiment_score: float  # [-1, 1]
    intensity: float  # [0, 1]
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """Everything the models say about one verbatim; an empty text gives empty values."""

    language: Language
    sentiment: Sentiment
    sentiment_score: float | None
    intensity: float | None
    topics: tuple[str, ...]  # topic keys, union over the findings
    pillars: tuple[str, ...]  # pillar keys the topics map to
    findings: tuple[Finding, ...]


@runtime_checkable
class TextAnalyzer(Protocol):
    """Analyses whole verbatims in batches: what enrichment jobs and ``cxgap text classify``
    call. ``name`` identifies the models used, stored with every enrichment."""

    @property
    def name(self) -> str: ...

    def analyze(self, texts: Sequence[str]) -> list[TextAnalysis]:
        """One analysis per text, in order."""
        ...
