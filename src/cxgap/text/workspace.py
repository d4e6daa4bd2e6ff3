"""A workspace model: what an analyst corrected, learned on top of the bundled models.

:func:`train_workspace_model` takes corrections as ``(text, kind, value, applies)``: kind
``"sentiment"`` (value ``positive``/``neutral``/``negative``) or ``"topic"`` (value a topic
key); ``applies`` says whether the text has that label (``False``: the model was wrong to
give it). It writes a folder holding:

- the corrected texts' sentence vectors and their corrections, applied to any verbatim whose
  vector is nearly the same (cosine ≥ :data:`SAME_TEXT`: the same words give or take case,
  accents, punctuation or a typo): the correction holds at once, without retraining;
- topics added by the analyst act as example phrases: a verbatim close to one (cosine ≥
  :data:`SIMILAR_TEXT`) takes the topic, whether or not the taxonomy's examples know it;
- corrections reach the clauses too: a clause nearly the same as a corrected text (the
  analyst corrected that clause) takes its sentiment and topics, and a verbatim of one clause
  corrected as a whole passes the correction on to its clause, so the highlighted findings
  agree with the verbatim's label.

Retraining the bundled sentiment head on the corpus plus the corrections was tried first: it
costs a minute per correction on two cores (the whole corpus is embedded again) and moved
little beyond the corrected texts themselves, so corrections act as nearest neighbours.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from cxgap.errors import ConfigError, FieldProblem, ValidationError
from cxgap.text.embeddings import load_embedder
from cxgap.text.heads import Floats
from cxgap.text.models import bundled_models
from cxgap.text.protocols import Embedder, Finding, Matrix, Sentiment, TextAnalysis

FORMAT = "cxgap-workspace-model"
SAME_TEXT = 0.92
SIMILAR_TEXT = 0.8
SENTIMENTS: tuple[Sentiment, ...] = ("positive", "neutral", "negative")
Correction = tuple[str, str, str, bool]


@dataclass(frozen=True)
class Corrected:
    """Everything the analyst said about one text."""

    sentiment: str = ""
    topics_added: tuple[str, ...] = ()
    topics_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkspaceModel:
    """Corrections and the heads retrained on them, as :func:`train_workspace_model` saved."""

    name: str
    vectors: Floats  # unit rows, one per corrected text
    corrections: tuple[Corrected, ...]

    @classmethod
    def load(cls, directory: Path) -> WorkspaceModel:
        path = directory / "corrections.json"
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            with np.load(directory / "vectors.npz", allow_pickle=False) as arrays:
                vectors = np.asarray(arrays["vectors"], dtype=np.float64)
            rows = tuple(
                Corrected(row["sentiment"], tuple(row["added"]), tuple(row["removed"]))
                for row in meta["corrections"]
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ConfigError(f"{directory}: not a cxgap workspace model ({error})") from error
        if meta.get("format") != FORMAT or len(rows) != len(vectors):
            raise ConfigError(f"{path}: not a cxgap workspace model (format {FORMAT!r})")
        return cls(str(meta["name"]), vectors, rows)

    def apply(
        self,
        texts: Sequence[str],
        analyses: list[TextAnalysis],
        embedder: Embedder,
        pillars: Mapping[str, tuple[str, ...]],
    ) -> list[TextAnalysis]:
        """``analyses`` with the corrections of nearly identical texts applied."""
        rows = [i for i, analysis in enumerate(analyses) if analysis.language and texts[i]]
        if not rows or not len(self.vectors):
            return analyses
        unit = _unit(embedder.embed([texts[i] for i in rows]))
        similarity = unit @ self.vectors.T
        out = list(analyses)
        for position, row in enumerate(rows):
            out[row] = self._corrected(out[row], similarity[position], pillars)
        return self._clauses_corrected(texts, rows, out, embedder, pillars)

    def _clauses_corrected(
        self,
        texts: Sequence[str],
        rows: list[int],
        analyses: list[TextAnalysis],
        embedder: Embedder,
        pillars: Mapping[str, tuple[str, ...]],
    ) -> list[TextAnalysis]:
        """Each clause nearly the same as a corrected text takes its correction."""
        spans = [
            (row, k, texts[row][f.start : f.end])
            for row in rows
            for k, f in enumerate(analyses[row].findings)
            if texts[row][f.start : f.end].strip()
        ]
        if not spans:
            return analyses
        similarity = _unit(embedder.embed([clause for _, _, clause in spans])) @ self.vectors.T
        fixes: dict[int, dict[int, Finding]] = {}
        for (row, k, _), scores in zip(spans, similarity, strict=True):
            nearest = int(scores.argmax())
            if scores[nearest] >= SAME_TEXT:
                finding = analyses[row].findings[k]
                fixes.setdefault(row, {})[k] = _finding_corrected(
                    finding, self.corrections[nearest]
                )
        for row, fixed in fixes.items():
            analysis = analyses[row]
            findings = tuple(fixed.get(k, f) for k, f in enumerate(analysis.findings))
            # A topic removed from a clause leaves the verbatim unless another clause has it.
            removed = {
                t for k, new in fixed.items() for t in analysis.findings[k].topics
                if t not in new.topics
            }  # fmt: skip
            topics = [t for t in analysis.topics if t not in removed]
            topics += [t for f in findings for t in f.topics if t not in topics]
            analyses[row] = _with_topics(replace(analysis, findings=findings), topics, pillars)
        return analyses

    def _corrected(
        self,
        analysis: TextAnalysis,
        similarity: Floats,
        pillars: Mapping[str, tuple[str, ...]],
    ) -> TextAnalysis:
        topics = list(analysis.topics)
        for index in np.flatnonzero(similarity >= SIMILAR_TEXT):
            topics += [t for t in self.corrections[index].topics_added if t not in topics]
        nearest = int(similarity.argmax())
        if similarity[nearest] < SAME_TEXT:
            return _with_topics(analysis, topics, pillars)
        correction = self.corrections[nearest]
        topics = [t for t in topics if t not in correction.topics_removed]
        topics += [t for t in correction.topics_added if t not in topics]
        analysis = _with_topics(analysis, topics, pillars)
        if correction.sentiment and correction.sentiment != analysis.sentiment:
            analysis = replace(
                analysis,
                sentiment=correction.sentiment,  # type: ignore[arg-type]
                sentiment_score=_score_for(correction.sentiment, analysis.sentiment_score),
            )
        if len(analysis.findings) == 1:  # the verbatim is its clause: the finding follows
            (finding,) = analysis.findings
            analysis = replace(analysis, findings=(_finding_corrected(finding, correction),))
        return analysis


def train_workspace_model(examples: Iterable[Correction], out_dir: Path) -> None:
    """Learn the analyst's corrections (see the module docstring) into ``out_dir``."""
    by_text = _collect(list(examples))
    texts = list(by_text)
    embedder = load_embedder(bundled_models().embedder)
    vectors = _unit(embedder.embed(texts)) if texts else np.zeros((0, embedder.dimension))
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.blake2b(
        json.dumps([[t, vars(c)] for t, c in by_text.items()], sort_keys=True).encode(),
        digest_size=4,
    ).hexdigest()
    meta = {
        "format": FORMAT,
        "name": f"workspace-{digest}",
        "corrections": [
            {"sentiment": c.sentiment, "added": c.topics_added, "removed": c.topics_removed}
            for c in by_text.values()
        ],
    }
    np.savez(out_dir / "vectors.npz", vectors=vectors.astype(np.float32))
    (out_dir / "corrections.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))


def _collect(rows: list[Correction]) -> dict[str, Corrected]:
    problems = []
    by_text: dict[str, Corrected] = {}
    for number, (text, kind, value, applies) in enumerate(rows, 1):
        if kind not in ("sentiment", "topic"):
            problems.append(FieldProblem("kind", f"unknown kind {kind!r}", row=number, value=kind))
            continue
        if kind == "sentiment" and value not in SENTIMENTS:
            problems.append(FieldProblem("value", "not a sentiment", row=number, value=value))
            continue
        if not text.strip() or not value:
            problems.append(FieldProblem("text", "empty text or value", row=number, value=text))
            continue
        by_text[text] = _merged(by_text.get(text, Corrected()), kind, value, applies)
    if problems:
        raise ValidationError(problems)
    return by_text


def _merged(current: Corrected, kind: str, value: str, applies: bool) -> Corrected:
    if kind == "sentiment":
        if applies:
            return replace(current, sentiment=value)
        return replace(current, sentiment="" if current.sentiment == value else current.sentiment)
    added = tuple(t for t in current.topics_added if t != value)
    removed = tuple(t for t in current.topics_removed if t != value)
    if applies:
        return replace(current, topics_added=(*added, value), topics_removed=removed)
    return replace(current, topics_added=added, topics_removed=(*removed, value))


def _with_topics(
    analysis: TextAnalysis, topics: list[str], pillars: Mapping[str, tuple[str, ...]]
) -> TextAnalysis:
    if tuple(topics) == analysis.topics:
        return analysis
    keys = tuple(dict.fromkeys(p for topic in topics for p in pillars.get(topic, ())))
    return replace(analysis, topics=tuple(topics), pillars=keys)


def _finding_corrected(finding: Finding, correction: Corrected) -> Finding:
    topics = [t for t in finding.topics if t not in correction.topics_removed]
    topics += [t for t in correction.topics_added if t not in topics]
    if correction.sentiment and correction.sentiment != finding.sentiment:
        finding = replace(
            finding,
            sentiment=correction.sentiment,  # type: ignore[arg-type]
            sentiment_score=_score_for(correction.sentiment, finding.sentiment_score),
        )
    return replace(finding, topics=tuple(topics))


def _score_for(sentiment: str, score: float | None) -> float:
    magnitude = max(abs(score or 0.0), 0.5)
    return {"positive": magnitude, "negative": -magnitude}.get(sentiment, 0.0)


def _unit(vectors: Matrix) -> Floats:
    array = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.asarray(array / np.where(norms == 0, 1.0, norms))
