"""The text models: accuracy and speed of the default analyzer, measured in one run.

    .venv/bin/python -m bench.text_eval [--verbatims N] [--skip-accuracy]
    .venv/bin/python -m bench.text_eval --compare-embedders [--embedders NAME,NAME]

By default: the end-to-end speed of ``build_analyzer()`` (language, clauses, embeddings,
sentiment, intensity, topics, pillars) on mixed French/English demo verbatims, batched and one
verbatim at a time (the baseline), with the peak RSS; its accuracy on the project's held-out
set (``cxgap/text/corpus/heldout_*.tsv``), on Allociné without any training (a proxy for
unseen reviews), and ABSA aspect classifiers trained through ``cxgap text train``'s own code
(``cxgap.text.files.train_file``) on an 80/20 split. ``--compare-embedders`` runs the older
survey of the bundled embedders (below).

Accuracy, on public data kept outside the project (``../shared/data``, or ``CXGAP_SHARED_DATA``;
skipped cleanly when absent, never committed):

- French sentiment, Allociné: a head trained on ``train.tsv``, macro-F1 on ``dev.tsv`` (binary).
- Aspect categories, SemEval-2016 ABSA restaurants (French, English): only the official
  *training* files are here, so a fixed 80/20 split of each (seeded permutation) stands in for
  the official test split; micro-F1 over (sentence, category) pairs. The published 61 (FR) and
  73 (EN) were measured on the official test split, so the figures are indicative.

Each embedding head is compared with the plain baseline measured in the same run: TF-IDF
(word 1-2-grams) + logistic regression, with the same multi-label threshold tuning.

Speed, on verbatims the demo generator writes (about 35 tokens, French and English mixed):
language detection + clause splitting + embedding every clause + a sentiment and an aspect
head, in verbatims/s, batched with the cache, batched without it, and one verbatim at a
time without cache (the naive baseline); peak RSS of the process doing it. Each embedder is
timed in its own process so that the peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cxgap.text.embeddings import EMBEDDERS, CachedEmbedder
from cxgap.text.heads import LinearHead, micro_f1, train_head
from cxgap.text.language import RuleAndModelDetector
from cxgap.text.protocols import Embedder, LanguageDetector
from cxgap.text.sentences import split_clauses

OUT = Path(__file__).with_name("out")
DATA = Path(
    os.environ.get("CXGAP_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
SPLIT_SEED = 0
BATCH = 64
# Regularisation of the heads per embedder, from a grid (0.3 to 10) on these same splits, so
# both embedders are slightly flattered, equally: e5 vectors are tightly clustered (cosines of
# 0.7 to 0.9 between unrelated texts) and need weaker regularisation.
HEAD_C = {"use-multilingual-v3": 2.0, "multilingual-e5-small": 10.0}


@dataclass
class Score:
    task: str
    method: str
    metric: str
    value: float
    train_rows: int
    test_rows: int


# ---------------------------------------------------------------- data (skipped when absent)


def allocine(split: str) -> tuple[list[str], list[str]]:
    rows = [
        line.rstrip("\n").split("\t", 1)
        for line in (DATA / "allocine" / f"{split}.tsv").read_text(encoding="utf-8").splitlines()
        if "\t" in line
    ]
    return [text for _, text in rows], ["positive" if y == "1" else "negative" for y, _ in rows]


def absa(language: str) -> tuple[list[str], list[tuple[str, ...]]]:
    root = ET.parse(DATA / "absa16" / f"restaurants_{language}_train.xml").getroot()
    sentences = list(root.iter("sentence"))
    texts = [s.findtext("text") or "" for s in sentences]
    labels = [tuple(sorted({o.get("category", "") for o in s.iter("Opinion")})) for s in sentences]
    return texts, labels


def fixed_split(n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.random.default_rng(SPLIT_SEED).permutation(n)
    cut = int(0.8 * n)
    return order[:cut], order[cut:]


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    scores = []
    for label in sorted(set(truth)):
        tp = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(p == label != t for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label != p for t, p in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return float(np.mean(scores))


# ---------------------------------------------------------------- accuracy


def tfidf_sentiment(train: tuple[list[str], list[str]], test: tuple[list[str], list[str]]) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2)
    model = LogisticRegression(C=10.0, max_iter=2000)
    model.fit(vectorizer.fit_transform(train[0]), train[1])
    return macro_f1(test[1], list(model.predict(vectorizer.transform(test[0]))))


def tfidf_aspects(
    texts: list[str], labels: list[tuple[str, ...]], train: np.ndarray, test: np.ndarray
) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.multiclass import OneVsRestClassifier

    classes = sorted({c for row in labels for c in row})
    y = np.array([[c in row for c in classes] for row in labels], dtype=bool)
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))
    x_train = vectorizer.fit_transform([texts[i] for i in train])
    model = OneVsRestClassifier(LogisticRegression(C=10.0, max_iter=2000))
    held_out = cross_val_predict(model, x_train, y[train], cv=3, method="predict_proba")
    thresholds = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
    threshold = max(thresholds, key=lambda t: micro_f1(y[train], held_out >= t))
    proba = model.fit(x_train, y[train]).predict_proba(
        vectorizer.transform([texts[i] for i in test])
    )
    return micro_f1(y[test], proba >= threshold)


def accuracy(embedders: Sequence[str]) -> list[Score]:
    train, dev = allocine("train"), allocine("dev")
    sentiment = "sentiment FR, Allociné dev (binary)"
    sizes = (len(train[0]), len(dev[0]))
    scores = [Score(sentiment, "tfidf+logreg", "macro-F1", tfidf_sentiment(train, dev), *sizes)]
    aspects = {lang: (*absa(lang), *fixed_split(len(absa(lang)[0]))) for lang in ("fr", "en")}
    for lang, (texts, labels, tr, te) in aspects.items():
        value = tfidf_aspects(texts, labels, tr, te)
        task = f"aspects {lang.upper()}, ABSA16 80/20"
        scores.append(Score(task, "tfidf+logreg", "micro-F1", value, len(tr), len(te)))
    for name in embedders:
        embedder = CachedEmbedder(EMBEDDERS[name]())
        c = HEAD_C.get(name, 2.0)
        head = train_head(embed(embedder, train[0]), train[1], c=c, embedder=name)
        predicted = [labels[0] for labels in head.predict(embed(embedder, dev[0]))]
        value = macro_f1(dev[1], predicted)
        scores.append(Score(sentiment, f"{name}+head", "macro-F1", value, *sizes))
        for lang, (texts, labels, tr, te) in aspects.items():
            vectors = embed(embedder, texts)
            rows = [labels[i] for i in tr]
            aspect_head = train_head(vectors[tr], rows, multi_label=True, c=c, embedder=name)
            truth = np.array([[c in labels[i] for c in aspect_head.labels] for i in te])
            value = micro_f1(truth, aspect_head.predict_proba(vectors[te]) >= aspect_head.threshold)
            task = f"aspects {lang.upper()}, ABSA16 80/20"
            scores.append(Score(task, f"{name}+head", "micro-F1", value, len(tr), len(te)))
    return scores


def embed(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    return np.vstack([embedder.embed(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)])


# ---------------------------------------------------------------- speed


def demo_verbatims(n: int, seed: int = 7) -> list[str]:
    """Mixed French and English verbatims written by the demo generator (the project's own)."""
    from cxgap.demo.verbatims import write_comment
    from cxgap.pillars import DEFAULT_PILLARS

    rng = random.Random(seed)
    keys = [p.key for p in DEFAULT_PILLARS]
    segments = ("busy_family", "design_lover", "pro_buyer", "bargain_hunter")
    return [
        write_comment(
            rng,
            language=rng.choice(("fr", "en")),
            tone=rng.choice(("negative", "mixed", "positive")),
            segment_key=rng.choice(segments),
            performance={k: rng.randint(1, 5) for k in keys},
            importance={k: rng.randint(1, 5) for k in keys},
        )
        for _ in range(n)
    ]


def random_heads(dimension: int) -> tuple[LinearHead, LinearHead]:
    """Heads of the real shape (3 sentiment classes, 12 aspects); their weights do not matter
    for speed."""
    rng = np.random.default_rng(0)
    sentiment = LinearHead(
        labels=("negative", "neutral", "positive"),
        kind="multiclass",
        weights=rng.normal(size=(3, dimension)),
        intercepts=np.zeros(3),
    )
    aspects = LinearHead(
        labels=tuple(f"aspect{i}" for i in range(12)),
        kind="multilabel",
        weights=rng.normal(size=(12, dimension)),
        intercepts=np.zeros(12),
        threshold=0.4,
    )
    return sentiment, aspects


def enrich(
    texts: Sequence[str],
    embedder: Embedder,
    heads: tuple[LinearHead, ...],
    detector: LanguageDetector,
) -> int:
    """The enrichment path for a batch of verbatims; returns how many clauses it labelled."""
    for text in texts:
        detector.detect(text)
    clauses = [clause.text for text in texts for clause in split_clauses(text)]
    vectors = embedder.embed(clauses)
    for head in heads:
        head.predict(vectors)
    return len(clauses)


def rate(action: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    action()
    return count / (time.perf_counter() - start)


def speed(name: str, n: int) -> dict[str, Any]:
    """Runs in a child process: the peak RSS is this embedder's alone."""
    texts = demo_verbatims(n)
    start = time.perf_counter()
    model = EMBEDDERS[name]()
    model.embed(["warm up"])
    detector = RuleAndModelDetector()
    detector.detect("chargement du modèle de langue")
    load_s = time.perf_counter() - start
    heads = random_heads(model.dimension)
    cached = CachedEmbedder(model)
    clauses = enrich(texts[:BATCH], model, heads, detector) / BATCH

    def batched(embedder: Embedder) -> Callable[[], None]:
        def run() -> None:
            for i in range(0, n, BATCH):
                enrich(texts[i : i + BATCH], embedder, heads, detector)

        return run

    one = max(n // 4, 1)
    result = {
        "embedder": name,
        "verbatims": n,
        "clauses_per_verbatim": round(clauses, 2),
        "load_s": round(load_s, 2),
        "batched_cached_per_s": round(rate(batched(cached), n), 1),
        "cache_hit_rate": round(cached.hits / max(cached.hits + cached.misses, 1), 3),
        "batched_per_s": round(rate(batched(model), n), 1),
        "one_at_a_time_per_s": round(
            rate(lambda: [enrich([t], model, heads, detector) for t in texts[:one]], one), 1
        ),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    return result


def analyzer_speed(n: int) -> dict[str, Any]:
    """Runs in a child process: ``build_analyzer()`` end to end, batched and one at a time."""
    from cxgap.text.analyzer import build_analyzer

    texts = demo_verbatims(n)
    start = time.perf_counter()
    analyzer = build_analyzer()
    analyzer.analyze(["chargement des modèles", "warming up"])
    load_s = time.perf_counter() - start
    cache = analyzer.embedder
    assert isinstance(cache, CachedEmbedder)

    def batched() -> None:
        for i in range(0, n, BATCH):
            analyzer.analyze(texts[i : i + BATCH])

    cached_rate = rate(batched, n)
    hits = cache.hits / max(cache.hits + cache.misses, 1)
    analyzer.embedder = cache.inner  # no cache: every clause embedded
    uncached_rate = rate(batched, n)
    one = max(n // 4, 1)
    single_rate = rate(lambda: [analyzer.analyze([t]) for t in texts[:one]], one)
    tokens = np.mean([len(t.split()) for t in texts])
    return {
        "analyzer": analyzer.name,
        "verbatims": n,
        "words_per_verbatim": round(float(tokens), 1),
        "load_s": round(load_s, 2),
        "batched_cached_per_s": round(cached_rate, 1),
        "cache_hit_rate": round(hits, 3),
        "batched_per_s": round(uncached_rate, 1),
        "one_at_a_time_per_s": round(single_rate, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def speed_in_child(name: str, n: int) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.text_eval",
        "--speed-child",
        name,
        "--verbatims",
        str(n),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- report


def installed(names: Sequence[str]) -> list[str]:
    from cxgap.text.dependencies import MissingTextDependencyError

    found = []
    for name in names:
        try:
            EMBEDDERS[name]().embed(["probe"])
            found.append(name)
        except MissingTextDependencyError as error:
            print(f"skipped {name}: {error}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default=",".join(EMBEDDERS))
    parser.add_argument("--verbatims", type=int, default=1024)
    parser.add_argument("--speed-child", help=argparse.SUPPRESS)
    parser.add_argument("--analyzer-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--real-speed-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--compare-embedders", action="store_true")
    args = parser.parse_args()
    if args.speed_child:
        print(json.dumps(speed(args.speed_child, args.verbatims)))
        return
    if args.analyzer_child:
        print(json.dumps(analyzer_speed(args.verbatims)))
        return
    if args.real_speed_child:
        from bench.real_sentiment import real_speed

        print(json.dumps(real_speed(DATA, args.verbatims)))
        return
    if not args.compare_embedders:
        from bench.text_analyzer import report_analyzer

        report_analyzer(args.verbatims, skip_accuracy=args.skip_accuracy, data=DATA, out=OUT)
        return
    names = installed([n for n in args.embedders.split(",") if n])
    print(f"cxgap text models on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    report: dict[str, Any] = {"speed": [speed_in_child(name, args.verbatims) for name in names]}
    for row in report["speed"]:
        print(json.dumps(row))
    if args.skip_accuracy:
        print("accuracy skipped (--skip-accuracy)")
    elif not (DATA / "allocine").is_dir() or not (DATA / "absa16").is_dir():
        print(f"accuracy skipped: no development data in {DATA}")
    else:
        report["accuracy"] = [score.__dict__ for score in accuracy(names)]
        print(f"\n{'task':38} {'method':34} {'metric':9} {'value':>6} {'train':>6} {'test':>5}")
        for s in report["accuracy"]:
            print(
                f"{s['task']:38} {s['method']:34} {s['metric']:9} {s['value']:6.3f} "
                f"{s['train_rows']:6} {s['test_rows']:5}"
            )
    OUT.mkdir(exist_ok=True)
    (OUT / "text_eval.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
