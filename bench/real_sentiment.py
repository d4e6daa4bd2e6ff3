"""Sentiment of the default analyzer on real labelled customer text it was never trained on.

Files of ``dev_sentiment/`` (see its README) other than the two the sentiment encoder is
fine-tuned on (``cxgap.text.sentiment_data.TRAINING_FILES``): French Trustpilot reviews of
many shops, of another e-commerce site and of a bank, French insurance reviews (4–5 stars
positive, 1–2 negative, 3 left out), English brand tweets (3 classes), English complaint
tweets (complaint vs not), English bank reviews. The baseline, measured in the same run, is
the sign of the lexicon's net polarity.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.text_analyzer import BINARY, lexicon_only, macro_f1
from cxgap.text.sentiment_data import TRAINING_FILES

THREE = ("positive", "neutral", "negative")
Row = tuple[str, str]


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _stars(text_column: str, star_column: str) -> Callable[[Path], list[Row]]:
    def read(path: Path) -> list[Row]:
        rows = []
        for row in _csv(path):
            stars, text = int(float(row[star_column])), (row[text_column] or "").strip()
            if text and stars != 3:
                rows.append((text, "positive" if stars >= 4 else "negative"))
        return rows

    return read


def _sanders(path: Path) -> list[Row]:
    return [(r["TweetText"], r["Sentiment"]) for r in _csv(path) if r["Sentiment"] in THREE]


def _complaints(path: Path) -> list[Row]:
    return [(r["text"], "negative" if r["complaint"] == "1" else "other") for r in _csv(path)]


# file, language, task kind, reader
TEST_FILES: tuple[tuple[str, str, str, Callable[[Path], list[Row]]], ...] = (
    ("fr_trustpilot_multisector_2021.csv", "fr", "binary", _stars("content_review", "stars")),
    ("fr_trustpilot_showroomprive_b.csv", "fr", "binary", _stars("text", "rating")),
    ("fr_trustpilot_keytrade_bank.csv", "fr", "binary", _stars("text", "rating")),
    ("fr_insurance_reviews_avis1.csv", "fr", "binary", _stars("avis", "note")),
    ("en_sanders_brand_tweets.csv", "en", "three", _sanders),
    ("en_complaints_tweets_9domains.csv", "en", "complaint", _complaints),
    ("en_trustpilot_keytrade_bank.csv", "en", "binary", _stars("text", "rating")),
)


def real_sentiment_scores(analyzer: Any, data: Path) -> list[dict[str, Any]]:
    """Macro-F1 of the analyzer and of the lexicon baseline on each real test file."""
    from bench.text_analyzer import _score

    trained = {Path(name).name for name in TRAINING_FILES}
    scores = []
    for name, language, kind, read in TEST_FILES:
        path = data / "dev_sentiment" / name
        if name in trained or not path.is_file():
            continue
        rows = read(path)
        texts, truth = [t for t, _ in rows], [label for _, label in rows]
        results = [r for i in range(0, len(texts), 64) for r in analyzer.analyze(texts[i : i + 64])]
        labelled = _labels(
            kind, [r.sentiment for r in results], [r.sentiment_score for r in results]
        )
        baseline = _labels(kind, [lexicon_only(t, language) for t in texts], None)
        labels = THREE if kind == "three" else BINARY if kind == "binary" else ("negative", "other")
        task = f"{name.removesuffix('.csv')} ({kind})"
        for method, predicted in (("default analyzer", labelled), ("lexicon (baseline)", baseline)):
            scores.append(
                _score(task, method, "macro-F1", macro_f1(truth, predicted, labels), len(rows))
            )
    return scores


def _labels(kind: str, labels: list[str], scores: list[float | None] | None) -> list[str]:
    """Binary tasks read the sign of the score (a neutral verbatim still leans one way);
    the complaint task asks whether the text is negative."""
    if kind == "three":
        return labels
    if kind == "complaint":
        return ["negative" if label == "negative" else "other" for label in labels]
    if scores is None:
        return ["negative" if label == "negative" else "positive" for label in labels]
    return ["positive" if (s or 0) > 0 else "negative" for s in scores]


def real_texts(data: Path, n: int) -> list[str]:
    """``n`` real verbatims, French reviews and English tweets alternating (test files only)."""
    french = _stars("content_review", "stars")(data / "dev_sentiment" / TEST_FILES[0][0])
    english = _sanders(data / "dev_sentiment" / TEST_FILES[4][0])
    mixed = [text for pair in zip(french, english, strict=False) for text, _ in pair]
    return mixed[:n]


def real_speed(data: Path, n: int) -> dict[str, Any]:
    """Runs in a child process: end to end on real verbatims, model load included, against
    a bare single-thread embedding of the same texts (load included) as the baseline."""
    import resource
    import time

    from cxgap.text.analyzer import build_analyzer
    from cxgap.text.embeddings import UseEmbedder

    texts = real_texts(data, n)
    start = time.perf_counter()
    bare = UseEmbedder()
    for i in range(0, len(texts), 64):
        bare.embed(texts[i : i + 64])
    baseline = len(texts) / (time.perf_counter() - start)
    from cxgap.text.embeddings import use_model

    use_model.cache_clear()  # the analyzer loads its models again, as a fresh process would
    start = time.perf_counter()
    analyzer = build_analyzer()
    for i in range(0, len(texts), 64):
        analyzer.analyze(texts[i : i + 64])
    end_to_end = len(texts) / (time.perf_counter() - start)
    return {
        "real_verbatims": len(texts),
        "end_to_end_per_s": round(end_to_end, 1),
        "bare_embedding_per_s": round(baseline, 1),
        "ratio": round(end_to_end / baseline, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
