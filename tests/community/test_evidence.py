"""Matching an idea with the verbatims that ask for the same thing (``community.evidence``):
the arithmetic on hand-made vectors, then the bundled multilingual model on a few real-looking
French and English verbatims, where the calibrated threshold must keep exactly the right ones."""

from __future__ import annotations

import numpy as np
import pytest

from cxgap.community.evidence import (
    MATCH_THRESHOLD,
    idea_text,
    match_matrix,
    normalised,
    packed,
    unpacked,
)
from cxgap.text.embeddings import load_embedder


def test_an_idea_reads_as_its_title_then_its_description() -> None:
    assert idea_text("  Deliver on Saturdays ", "") == "Deliver on Saturdays"
    assert idea_text("Dark mode", "Easier at night.") == "Dark mode. Easier at night."
    assert idea_text("T", "x" * 5000) == "T. " + "x" * 1000


def test_matches_keep_the_threshold_the_nearest_ideas_and_drop_praise() -> None:
    ideas = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    verbatims = np.array(
        [
            [0.9, 0.1, 0.0],  # idea 0 (cos 0.994), idea 1 far behind
            [0.7, 0.7, 0.1],  # both ideas equally (0.70 each): counts for both
            [0.0, 0.2, 0.98],  # idea 1 at 0.20: under the threshold
            [0.1, 0.9, 0.0],  # idea 1, but praise
        ],
        dtype=np.float32,
    )
    found = match_matrix(ideas, verbatims, praise=[False, False, False, True], threshold=0.3)
    assert [(i, v) for i, v, _ in found] == [(0, 0), (0, 1), (1, 1)]
    assert found[0][2] == pytest.approx(0.9 / np.hypot(0.9, 0.1), abs=1e-4)
    # A verbatim 0.06 less similar to idea 1 than to idea 0 goes to idea 0 alone (margin 0.05).
    close = np.array([[0.8, 0.6, 0.0]], dtype=np.float32)  # cos 0.8 and 0.6
    assert [(i, v) for i, v, _ in match_matrix(ideas, close, threshold=0.3)] == [(0, 0)]
    assert match_matrix(ideas, np.zeros((0, 3), dtype=np.float32)) == []
    with pytest.raises(ValueError, match="threshold"):
        match_matrix(ideas, verbatims, threshold=0)


def test_stored_vectors_keep_their_cosines() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(50, 512)).astype(np.float32)
    back = unpacked(packed(vectors), 512)
    exact = normalised(vectors) @ normalised(vectors).T
    assert np.abs(normalised(back) @ normalised(back).T - exact).max() < 0.01
    assert all(len(blob) == 512 for blob in packed(vectors))
    with pytest.raises(ValueError, match="511 values, expected 512"):
        unpacked([b"\x00" * 511], 512)


IDEAS = (
    ("Refund to the original card within 48 hours", "Refunds take too long."),
    ("Call me back instead of waiting on the line", "When the wait is long, offer a call back."),
    ("Livrer le samedi", "En semaine : un créneau le samedi éviterait les colis manqués."),
)  # fmt: skip
VERBATIMS = (
    ("the refund took over a month", 0),
    ("le remboursement a pris plus d'un mois", 0),  # a French complaint, an English idea
    # Asks for it too, but the model puts it at 0.19: the kind of miss behind a recall of about
    # 0.2 measured on real reviews (docs/community.md).
    ("I was on hold for 45 minutes before anyone picked up", None),
    ("j'ai attendu 40 minutes au téléphone avant d'avoir quelqu'un", 1),
    ("les coussins sont très confortables", None),
    ("the colour of the sofa is completely different from the website", None),
    ("what are your opening hours on Sunday?", None),
)


def _real_matches(threshold: float) -> set[tuple[int, int]]:
    embedder = load_embedder()
    ideas = embedder.embed([idea_text(title, text) for title, text in IDEAS])
    verbatims = embedder.embed([text for text, _ in VERBATIMS])
    return {(i, v) for i, v, _ in match_matrix(ideas, verbatims, threshold=threshold)}


def test_the_model_finds_what_asks_for_each_idea_across_languages() -> None:
    expected = {(idea, row) for row, (_, idea) in enumerate(VERBATIMS) if idea is not None}
    assert _real_matches(MATCH_THRESHOLD) == expected
    # The threshold matters both ways: much lower lets unrelated verbatims in, much higher
    # loses the French complaints about the English ideas.
    assert _real_matches(0.1) > expected
    assert _real_matches(0.55) < expected
