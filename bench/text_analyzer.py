"""The default analyzer's report for ``python -m bench.text_eval`` (see its docstring)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cxgap.text.corpus import load_examples
from cxgap.text.heads import micro_f1
from cxgap.text.lexicon import lexical_features

BINARY = ("positive", "negative")


def macro_f1(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Macro-F1 over ``labels`` (a prediction outside them counts as a miss)."""
    scores = []
    for label in labels:
        tp = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(p == label != t for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label != p for t, p in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return float(np.mean(scores))


def lexicon_only(text: str, language: str) -> str:
    """The plain baseline: the sign of the lexicon's net polarity, neutral when zero."""
    net = lexical_features(text, language)[2]  # type: ignore[arg-type]
    return "positive" if net > 0 else "negative" if net < 0 else "neutral"


def heldout_scores(analyzer: Any) -> list[dict[str, Any]]:
    scores = []
    for language in ("fr", "en"):
        examples = load_examples("heldout", (language,))
        results = analyzer.analyze([e.text for e in examples])
        truth = [e.sentiment for e in examples]
        predicted = [r.sentiment for r in results]
        baseline = [lexicon_only(e.text, language) for e in examples]
        polar = [i for i, t in enumerate(truth) if t in BINARY]
        topics = sorted({t for e in examples for t in e.topics})
        truth_topics = np.array([[t in e.topics for t in topics] for e in examples])
        found = np.array([[t in r.topics for t in topics] for r in results])
        name = f"held-out {language.upper()}"
        three = ("positive", "neutral", "negative")
        scores += [
            _score(f"{name}, sentiment 3 classes", "default analyzer", "macro-F1",
                   macro_f1(truth, predicted, three), len(examples)),
            _score(f"{name}, sentiment 3 classes", "lexicon sign (baseline)", "macro-F1",
                   macro_f1(truth, baseline, three), len(examples)),
            _score(f"{name}, positive vs negative", "default analyzer", "macro-F1",
                   macro_f1([truth[i] for i in polar], [predicted[i] for i in polar], BINARY),
                   len(polar)),
            _score(f"{name}, topics", "default analyzer", "micro-F1",
                   micro_f1(truth_topics, found), len(examples)),
        ]  # fmt: skip
    return scores


def allocine_scores(analyzer: Any, data: Path) -> list[dict[str, Any]]:
    rows = [
        line.split("\t", 1)
        for line in (data / "allocine" / "dev.tsv").read_text(encoding="utf-8").splitlines()
        if "\t" in line
    ]
    truth = ["positive" if label == "1" else "negative" for label, _ in rows]
    results = analyzer.analyze([text for _, text in rows])
    predicted = [r.sentiment for r in results]
    by_sign = ["positive" if (r.sentiment_score or 0) > 0 else "negative" for r in results]
    baseline = [lexicon_only(text, "fr") for _, text in rows]
    task = "Allociné dev, no training (proxy)"
    return [
        _score(task, "default analyzer", "macro-F1", macro_f1(truth, predicted, BINARY), len(rows)),
        _score(task, "default analyzer, sign of score", "macro-F1",
               macro_f1(truth, by_sign, BINARY), len(rows)),
        _score(task, "lexicon sign (baseline)", "macro-F1",
               macro_f1(truth, baseline, BINARY), len(rows)),
    ]  # fmt: skip


def absa_scores(data: Path) -> list[dict[str, Any]]:
    """Aspect classifiers trained by ``cxgap text train``'s code on 80 % of each ABSA file."""
    import csv

    from bench.text_eval import absa, fixed_split, tfidf_aspects
    from cxgap.text.files import HybridModel, load_label_model, train_file

    scores = []
    for language in ("fr", "en"):
        texts, labels = absa(language)
        train, test = fixed_split(len(texts))
        with tempfile.TemporaryDirectory() as scratch:
            source = Path(scratch) / "train.csv"
            with source.open("w", encoding="utf-8", newline="") as stream:
                writer = csv.writer(stream)
                writer.writerow(["text", "aspects"])
                writer.writerows([texts[i], ";".join(labels[i])] for i in train)
            train_file(source, Path(scratch) / "model", text_column="text",
                       label_column="aspects", multi_label=True)  # fmt: skip
            model = load_label_model(Path(scratch) / "model")
            assert isinstance(model, HybridModel)
        found = model.labels_for([texts[i] for i in test])
        classes = model.head.labels
        truth = np.array([[c in labels[i] for c in classes] for i in test])
        predicted = np.array([[c in row for c in classes] for row in found])
        task = f"aspects {language.upper()}, ABSA16 80/20"
        scores.append(_score(task, "cxgap text train (hybrid)", "micro-F1",
                             micro_f1(truth, predicted), len(test), len(train)))  # fmt: skip
        baseline = tfidf_aspects(texts, labels, train, test)
        scores.append(_score(task, "tfidf+logreg (baseline)", "micro-F1",
                             baseline, len(test), len(train)))  # fmt: skip
    return scores


def absa_cv_scores(data: Path, folds: int = 5) -> list[dict[str, Any]]:
    """The same heads on a seeded 5-fold cross-validation of each ABSA file (mean micro-F1),
    so that one lucky 80/20 split cannot flatter a change; sentence vectors computed once."""
    from bench.text_eval import absa, embed, tfidf_aspects
    from cxgap.text.embeddings import load_embedder
    from cxgap.text.heads import train_head
    from cxgap.text.hybrid import train_hybrid

    scores = []
    for language in ("fr", "en"):
        texts, labels = absa(language)
        vectors = embed(load_embedder(), texts)
        found: dict[str, list[float]] = {"hybrid": [], "use": [], "tfidf": []}
        for train, test in kfold(len(texts), folds):
            rows, held = [labels[i] for i in train], [labels[i] for i in test]
            hybrid = train_hybrid([texts[i] for i in train], vectors[train], rows)
            truth = np.array([[c in row for c in hybrid.labels] for row in held])
            proba = hybrid.predict_proba([texts[i] for i in test], vectors[test])
            found["hybrid"].append(micro_f1(truth, proba >= hybrid.thresholds))
            use = train_head(vectors[train], rows, multi_label=True)
            truth = np.array([[c in row for c in use.labels] for row in held])
            found["use"].append(micro_f1(truth, use.predict_proba(vectors[test]) >= use.threshold))
            found["tfidf"].append(tfidf_aspects(texts, labels, train, test))
        task = f"aspects {language.upper()}, ABSA16 {folds}-fold"
        held_out = len(texts) // folds
        for key, method in (("hybrid", "cxgap text train (hybrid)"),
                            ("use", "USE head only (before)"),
                            ("tfidf", "tfidf+logreg (baseline)")):  # fmt: skip
            value = float(np.mean(found[key]))
            scores.append(_score(task, method, "micro-F1", value, held_out, len(texts) - held_out))
    return scores


def kfold(n: int, folds: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Seeded folds: (train, test) index arrays, every row tested once."""
    parts = np.array_split(np.random.default_rng(seed).permutation(n), folds)
    return [(np.concatenate(parts[:k] + parts[k + 1 :]), parts[k]) for k in range(folds)]


def _score(
    task: str, method: str, metric: str, value: float, test: int, train: int = 0
) -> dict[str, Any]:
    return {"task": task, "method": method, "metric": metric, "value": round(value, 3),
            "train_rows": train, "test_rows": test}  # fmt: skip


def report_analyzer(n: int, *, skip_accuracy: bool, data: Path, out: Path) -> None:
    print(f"cxgap default text analyzer on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    command = [sys.executable, "-m", "bench.text_eval", "--analyzer-child", "--verbatims", str(n)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    report: dict[str, Any] = {"speed": json.loads(done.stdout.strip().splitlines()[-1])}
    print(json.dumps(report["speed"]))
    if (data / "dev_sentiment").is_dir():
        command[3] = "--real-speed-child"
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        report["real_speed"] = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(report["real_speed"]))
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared)")
    if not skip_accuracy:
        from cxgap.text.analyzer import build_analyzer

        analyzer = build_analyzer()
        scores = heldout_scores(analyzer)
        if (data / "dev_sentiment").is_dir():
            from bench.real_sentiment import real_sentiment_scores

            scores += real_sentiment_scores(analyzer, data)
        if (data / "allocine").is_dir():
            scores += allocine_scores(analyzer, data)
        if (data / "absa16").is_dir():
            scores += absa_scores(data) + absa_cv_scores(data)
        else:
            print(f"ABSA accuracy skipped: no development data in {data / 'absa16'}")
        report["accuracy"] = scores
        print(f"\n{'task':40} {'method':32} {'metric':9} {'value':>6} {'train':>6} {'test':>5}")
        for s in scores:
            print(f"{s['task']:40} {s['method']:32} {s['metric']:9} {s['value']:6.3f} "
                  f"{s['train_rows']:6} {s['test_rows']:5}")  # fmt: skip
    out.mkdir(exist_ok=True)
    (out / "text_analyzer.json").write_text(json.dumps(report, indent=2))
