# ruff: noqa: E501 (the ideas read better one per line)
"""Calibrate the similarity above which a verbatim "asks for the same thing" as an idea.

Real labelled data: the SemEval-2016 ABSA restaurant reviews (``absa16/``, French and English
training splits), each sentence annotated with the aspects it gives an opinion on. For each
aspect below, an idea a customer could post (a title and a description, in English and in
French, written for this check); the sentences that ask for it are those with a **negative**
opinion on that aspect (a complaint about slow service asks for faster service). The other
sentences, including praise of the same aspect, should not match. Every idea is compared
with every sentence of both languages (the cross-language pairs are reported apart).

Run: ``python -m bench.idea_evidence_calibration [DATA_DIR]`` (default ``../shared/data``);
skips cleanly when the data is absent. Prints precision, recall and F1 per threshold, with
and without the enrichment's sentiment filter (positive verbatims never count; the dataset's
own polarity, then the bundled model's sentiment as the enrichment reads it).
"""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxgap.community.evidence import MARGIN, MATCH_THRESHOLD, idea_text, similarities
from cxgap.text.embeddings import load_embedder
from cxgap.text.protocols import Embedder, TextAnalysis

# aspect group -> the ABSA categories it covers, an English idea, a French idea
IDEAS: dict[str, tuple[tuple[str, ...], tuple[str, str], tuple[str, str]]] = {
    "service": (
        ("SERVICE#GENERAL",),
        (
            "Faster, friendlier service",
            "Waiters should take orders quickly, be polite and not forget tables.",
        ),
        (
            "Un service plus rapide et plus aimable",
            "Que les serveurs prennent la commande vite, soient polis et n'oublient pas les tables.",
        ),
    ),
    "prices": (
        ("FOOD#PRICES", "RESTAURANT#PRICES", "DRINKS#PRICES"),
        ("Lower prices", "Cheaper dishes and drinks, better value for money."),
        ("Des prix plus bas", "Des plats et des boissons moins chers, un meilleur rapport qualité-prix."),
    ),
    "ambience": (
        ("AMBIENCE#GENERAL",),
        ("A quieter, cosier dining room", "Less noise, nicer decoration and a pleasant atmosphere."),
        ("Une salle plus calme et chaleureuse", "Moins de bruit, une déco plus agréable, une meilleure ambiance."),
    ),
    "food": (
        ("FOOD#QUALITY",),
        ("Better cooked, fresher food", "Dishes cooked properly with fresh ingredients and more taste."),
        ("Une cuisine plus fraîche et mieux cuite", "Des plats bien cuits, des produits frais et plus de goût."),
    ),
    "menu": (
        ("FOOD#STYLE_OPTIONS",),
        ("More choice and bigger portions", "A wider menu, vegetarian options and more generous plates."),
        ("Plus de choix et des portions plus copieuses", "Une carte plus variée, des plats végétariens et des assiettes plus généreuses."),
    ),
    "drinks": (
        ("DRINKS#QUALITY", "DRINKS#STYLE_OPTIONS"),
        ("A better wine list", "More wines and drinks to choose from, and better cocktails."),
        ("Une meilleure carte des vins", "Plus de vins et de boissons au choix, et de meilleurs cocktails."),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    text: str
    language: str
    negative: frozenset[str]  # categories with a negative opinion
    positive_only: bool  # every opinion positive (what the sentiment filter drops)


def read_absa(path: Path, language: str) -> list[Sentence]:
    sentences = []
    for node in ET.parse(path).getroot().iter("sentence"):
        text = (node.findtext("text") or "").strip()
        opinions = node.findall("./Opinions/Opinion")
        if not text:
            continue
        negative = frozenset(
            o.get("category", "") for o in opinions if o.get("polarity") == "negative"
        )
        polarities = {o.get("polarity") for o in opinions}
        sentences.append(Sentence(text, language, negative, polarities == {"positive"}))
    return sentences


def scores(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = int(np.sum(predicted & truth))
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return precision, recall, f1


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data") / "absa16"
    if not root.exists():
        print(f"skipped: no {root}")
        return
    sentences = read_absa(root / "restaurants_en_train.xml", "en") + read_absa(
        root / "restaurants_fr_train.xml", "fr"
    )
    embedder = load_embedder(os.environ.get("CXGAP_EMBEDDER", "use-multilingual-v3"))
    vectors = embedder.embed([s.text for s in sentences])
    languages = np.array([s.language for s in sentences])
    not_positive = np.array([not s.positive_only for s in sentences])
    # What the product filters on: the enrichment's sentiment of the whole verbatim.
    from cxgap.text.analyzer import build_analyzer

    analyses = build_analyzer([]).analyze([s.text for s in sentences])
    # Praise (services/idea_evidence._praise): positive as a whole and every clause about a
    # topic positive (a mixed verbatim can still ask; a clause about no topic does not).
    not_praise = np.array(
        [
            a.sentiment != "positive"
            or any(f.sentiment != "positive" and f.topics for f in a.findings)
            or not a.findings
            for a in analyses
        ]
    )
    agree = np.mean(not_praise == not_positive)
    print(f"the model's praise filter agrees with the annotators' on {agree:.1%} of sentences")
    rows: list[tuple[str, str, np.ndarray, np.ndarray]] = []  # idea lang, group, sims, truth
    for group, (categories, english, french) in IDEAS.items():
        truth = np.array([bool(s.negative & set(categories)) for s in sentences])
        for language, (title, description) in (("en", english), ("fr", french)):
            idea = embedder.embed([idea_text(title, description)])[0]
            rows.append((language, group, similarities(idea, vectors), truth))
    # The board's ideas compete: a verbatim goes to the ideas of its board (here: the ideas
    # in the same language) whose similarity is within MARGIN of its best one.
    best = {
        lang: np.max(np.stack([sims for language, _, sims, _ in rows if language == lang]), axis=0)
        for lang in ("en", "fr")
    }
    _clause_level(embedder, sentences, analyses, rows)
    print(f"{len(sentences)} sentences, {len(rows)} ideas; threshold in use {MATCH_THRESHOLD}")
    header = "threshold  scope          filter   precision  recall    F1   matched"
    print(header)
    for threshold in np.arange(0.20, 0.61, 0.025):
        for scope in ("all", "same language", "cross language"):
            for filtered, nearest in (
                (False, False), (True, False), (True, True), ("model", False), ("model", True),
            ):  # fmt: skip
                predicted, truth = [], []
                for language, _group, sims, right in rows:
                    keep = np.ones(len(sentences), dtype=bool)
                    if scope == "same language":
                        keep = languages == language
                    elif scope == "cross language":
                        keep = languages != language
                    hit = sims >= threshold
                    if filtered == "model":
                        hit &= not_praise
                    elif filtered:
                        hit &= not_positive
                    if nearest:
                        hit &= sims >= best[language] - MARGIN
                    predicted.append(hit[keep])
                    truth.append(right[keep])
                p, r, f = scores(np.concatenate(predicted), np.concatenate(truth))
                matched = int(np.concatenate(predicted).sum())
                label = {False: "none", True: "no positive", "model": "model praise"}[filtered]
                label += " nearest" if nearest else ""
                print(
                    f"{threshold:9.3f}  {scope:14} {label:11} {p:6.3f} {r:8.3f} {f:6.3f} {matched:7d}"
                )


def _clause_level(
    embedder: Embedder,
    sentences: list[Sentence],
    analyses: list[TextAnalysis],
    rows: list[tuple[str, str, np.ndarray, np.ndarray]],
) -> None:
    """What matching the model's clauses that are not praise would give, rather than the
    whole text (not what the product does yet): each sentence scores its best such clause."""
    clauses = [
        (i, s.text[f.start : f.end])
        for i, (s, a) in enumerate(zip(sentences, analyses, strict=True))
        for f in a.findings
        if f.sentiment != "positive" and s.text[f.start : f.end].strip()
    ]
    vectors = embedder.embed([text for _, text in clauses])
    owners = np.array([i for i, _ in clauses])
    per_idea = []
    for language, group, _sims, truth in rows:
        _categories, english, french = IDEAS[group]
        title, description = english if language == "en" else french
        idea = embedder.embed([idea_text(title, description)])[0]
        best = np.full(len(sentences), -1.0, dtype=np.float32)
        np.maximum.at(best, owners, similarities(idea, vectors))
        per_idea.append((language, best, truth))
    top = {
        lang: np.max(np.stack([b for language, b, _ in per_idea if language == lang]), axis=0)
        for lang in ("en", "fr")
    }
    print("clause level (best clause not praise), ideas competing, all pairs:")
    for threshold in (0.25, 0.30, 0.35):
        hits = [(b >= threshold) & (b >= top[lang] - MARGIN) for lang, b, _ in per_idea]
        p, r, f = scores(np.concatenate(hits), np.concatenate([t for _, _, t in per_idea]))
        print(f"  {threshold:.2f}: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
