"""The three roles a text back end can play, so that back ends are interchangeable.

An embedder turns texts into vectors, a language detector names the language of one text,
a classifier turns vectors into labels. Services and the CLI depend on these protocols,
never on a concrete model, so a test can pass a tiny fake and a user a model of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

Language = Literal["fr", "en", "other", ""]
"""``""`` is the language of an empty text: nothing to detect, nothing to guess."""

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
