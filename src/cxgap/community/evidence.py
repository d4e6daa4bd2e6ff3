"""Which verbatims ask for the same thing as an idea: matching by meaning (``docs/community.md``).

An idea's text (its title and description) and each verbatim are sentence embeddings from the
bundled multilingual model (``cxgap.text.embeddings``), so a French idea finds English
complaints and the other way round. A verbatim matches when the cosine similarity of the two
vectors reaches :data:`MATCH_THRESHOLD`, calibrated on real labelled reviews
(``bench/idea_evidence_calibration.py``; figures in the docs), and when it is not praise:
a verbatim whose clauses the enrichment all read as positive talks about the same thing
without asking for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cxgap.text.protocols import Matrix

MATCH_THRESHOLD = 0.30
"""Cosine similarity from which a verbatim asks for the same thing as an idea."""
MARGIN = 0.05
"""A verbatim counts for the board's ideas within this much of its most similar one."""


def idea_text(title: str, description: str = "") -> str:
    """What is embedded for an idea: its title, then its description (the title alone when
    there is none). The description is cut at 1,000 characters: the model reads a gist."""
    title, description = title.strip(), description.strip()
    return f"{title}. {description[:1000]}" if description else title


def normalised(vectors: Matrix) -> Matrix:
    """Rows scaled to length 1 (a zero row stays zero), as float32."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    out: Matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return out


def similarities(idea: Matrix, verbatims: Matrix) -> Matrix:
    """The cosine similarity of one idea's vector with each verbatim's (a 1-D array)."""
    if len(verbatims) == 0:
        return np.zeros(0, dtype=np.float32)
    return np.asarray(normalised(verbatims) @ normalised(idea)[0], dtype=np.float32)


def match_matrix(
    ideas: Matrix,
    verbatims: Matrix,
    *,
    praise: Sequence[bool] | None = None,
    threshold: float = MATCH_THRESHOLD,
    margin: float = MARGIN,
) -> list[tuple[int, int, float]]:
    """Every (idea row, verbatim row, similarity) that matches, for a board's ideas at once (one
    matrix product per batch of verbatims). The ideas compete: a verbatim counts for those
    within ``margin`` of the idea it is most similar to, so a complaint about slow delivery
    goes to "faster delivery", not also to every idea that mentions an order. ``praise[i]``
    true drops verbatim ``i``."""
    if not 0 < threshold <= 1:
        raise ValueError(f"The match threshold must be in (0, 1], got {threshold}")
    if len(ideas) == 0 or len(verbatims) == 0:
        return []
    scores = normalised(ideas) @ normalised(verbatims).T
    keep = (scores >= threshold) & (scores >= scores.max(axis=0, keepdims=True) - margin)
    if praise is not None:
        keep &= ~np.asarray(praise, dtype=bool)[np.newaxis, :]
    rows, columns = np.nonzero(keep)
    return [
        (int(r), int(c), round(float(scores[r, c]), 4)) for r, c in zip(rows, columns, strict=True)
    ]


def packed(vectors: Matrix) -> list[bytes]:
    """Each row as signed bytes, its largest value at 127: a quarter of float32's room, and
    cosines within 0.01 of the exact ones (a cosine ignores each row's scale)."""
    matrix = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    peaks = np.abs(matrix).max(axis=1, keepdims=True)
    # Each row scaled so that its largest value is 127: a cosine ignores a row's scale.
    scaled = np.rint(np.divide(matrix * 127, peaks, out=np.zeros_like(matrix), where=peaks > 0))
    scaled = scaled.clip(-127, 127).astype(np.int8)
    return [row.tobytes() for row in scaled]


def unpacked(blobs: Sequence[bytes], dimension: int) -> Matrix:
    """The vectors :func:`packed` stored (a row per blob; a blob of another size is refused)."""
    for blob in blobs:
        if len(blob) != dimension:
            raise ValueError(f"A stored vector has {len(blob)} values, expected {dimension}")
    if not blobs:
        return np.zeros((0, dimension), dtype=np.float32)
    raw = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), dimension)
    return normalised(raw.astype(np.float32))
