"""The report stage of ``bench.e5_teacher`` (project virtualenv): macro-F1 of the fine-tuned
e5 on each real test file beside ``cx-2`` (same run and published), the hybrid that asks
the teacher only where ``cx-2`` is unsure, and the teacher's speed in pure numpy."""

from __future__ import annotations

import dataclasses
import json
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.real_sentiment import THREE, real_texts
from bench.text_analyzer import BINARY, macro_f1
from cxgap.text.e5_encoder import E5Encoder
from cxgap.text.e5_tokenizer import E5Tokenizer
from cxgap.text.e5_weights import read_e5_weights
from cxgap.text.sentiment_data import shared_data_dir

LABELS = ("negative", "neutral", "positive")
PUBLISHED_CX2 = {  # docs/accuracy.md, the cx-2 column
    "fr_trustpilot_multisector_2021.csv": 0.760,
    "fr_trustpilot_showroomprive_b.csv": 0.828,
    "fr_trustpilot_keytrade_bank.csv": 0.890,
    "fr_insurance_reviews_avis1.csv": 0.916,
    "en_sanders_brand_tweets.csv": 0.600,
    "en_complaints_tweets_9domains.csv": 0.680,
    "en_trustpilot_keytrade_bank.csv": 0.938,
}


def labels_of(kind: str, probabilities: np.ndarray) -> list[str]:
    """As ``bench.real_sentiment`` reads a model: binary by the sign of P(pos) - P(neg),
    3 classes by the most probable, complaint = the most probable is negative."""
    best = [LABELS[i] for i in probabilities.argmax(axis=1)]
    if kind == "three":
        return best
    if kind == "complaint":
        return ["negative" if b == "negative" else "other" for b in best]
    return ["positive" if p - n > 0 else "negative" for n, _, p in probabilities]


def cx2_labels(kind: str, test: dict[str, Any]) -> list[str]:
    if kind == "three":
        return list(test["cx2_label"])
    if kind == "complaint":
        return ["negative" if b == "negative" else "other" for b in test["cx2_label"]]
    return ["positive" if (s or 0) > 0 else "negative" for s in test["cx2_score"]]


def file_scores(test: dict[str, Any], teacher: np.ndarray, threshold: float) -> dict[str, Any]:
    kind, truth = test["kind"], test["truth"]
    labels = THREE if kind == "three" else BINARY if kind == "binary" else ("negative", "other")
    scores = np.abs(np.array([s or 0.0 for s in test["cx2_score"]]))
    unsure = scores < threshold
    mine, theirs = labels_of(kind, teacher), cx2_labels(kind, test)
    hybrid = [m if u else c for m, c, u in zip(mine, theirs, unsure, strict=True)]
    # the most any teacher could add at this threshold: right on every unsure text
    ceiling = [t if u else c for t, c, u in zip(truth, theirs, unsure, strict=True)]
    return {
        "rows": len(truth),
        "teacher": round(macro_f1(truth, mine, labels), 3),
        "cx2_same_run": round(macro_f1(truth, theirs, labels), 3),
        "hybrid": round(macro_f1(truth, hybrid, labels), 3),
        "hybrid_ceiling": round(macro_f1(truth, ceiling, labels), 3),
        "unsure_0.3": round(float((scores < 0.3).mean()), 3),
        "unsure_0.5": round(float((scores < 0.5).mean()), 3),
    }


def speed(model: Path, work: Path, settings: dict[str, Any], n: int = 512) -> dict[str, Any]:
    """The fine-tuned teacher in numpy float32 on ``n`` real verbatims, batches of 64:
    loading, tokenising and reading, timed apart."""
    data = shared_data_dir()
    if data is None:
        return {}
    texts = real_texts(data, n)
    start = time.perf_counter()
    weights = read_e5_weights(model, layers=settings["layers"])
    with np.load(work / "teacher_top.npz") as archive:
        top = {key: archive[key] for key in archive.files}
    tensors = dict(weights.tensors)
    for key, value in top.items():  # "blocks.0.w.q_w" -> "l4.q.w"
        if key.startswith("blocks."):
            _, index, _, name = key.split(".")
            layer = settings["frozen"] + int(index)
            tensors[f"l{layer}.{name.replace('_', '.')}"] = value.astype(np.float32)
    encoder = E5Encoder(dataclasses.replace(weights, tensors=tensors))
    tokenizer = E5Tokenizer(weights.vocab)
    loaded = time.perf_counter()
    ids = [tokenizer.encode(t, max_tokens=settings["max_tokens"]) for t in texts]
    tokenised = time.perf_counter()
    classify_w, classify_b = top["classify.weight"], top["classify.bias"]
    for i in range(0, len(ids), 64):
        pooled = encoder.mean_pooled(ids[i : i + 64])
        _ = pooled @ classify_w.T + classify_b
    done = time.perf_counter()
    deeper = {}
    full = E5Encoder(read_e5_weights(model))
    for layers in (6, 12):  # the same texts through more layers, for scale
        begin = time.perf_counter()
        for i in range(0, 128, 64):
            full.mean_pooled(ids[i : i + 64], layers=layers)
        deeper[f"read_per_s_{layers}_layers"] = round(128 / (time.perf_counter() - begin), 1)
    return {
        **deeper,
        "texts": len(texts),
        "tokens": sum(map(len, ids)),
        "load_s": round(loaded - start, 1),
        "tokenise_per_s": round(len(texts) / (tokenised - loaded), 1),
        "read_per_s": round(len(texts) / (done - tokenised), 1),
        "end_to_end_per_s": round(len(texts) / (done - start), 1),
        "without_load_per_s": round(len(texts) / (done - loaded), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average": [round(x, 2) for x in __import__("os").getloadavg()],
    }


def report(work: Path, model: Path, settings: dict[str, Any]) -> None:
    if not (work / "teacher_probs.json").is_file():
        print("skipped: run `prepare` and `train` first")
        return
    tests = json.loads((work / "tests.json").read_text(encoding="utf-8"))
    probabilities = json.loads((work / "teacher_probs.json").read_text(encoding="utf-8"))
    threshold = settings["hybrid_threshold"]
    result: dict[str, Any] = {"settings": settings, "files": {}}
    head = (
        "file | rows | cx-2 published | cx-2 same rows | teacher | hybrid | ceiling | <0.3 | <0.5"
    )
    print(f"| {head} |\n|---|" + "---:|" * 8)
    for name, done in probabilities.items():
        rows = done["rows"]
        test = {k: v if k == "kind" else [v[i] for i in rows] for k, v in tests[name].items()}
        row = file_scores(test, np.array(done["p"]), threshold)
        row["of_rows"] = len(tests[name]["truth"])
        row["cx2_published"] = PUBLISHED_CX2.get(name)
        result["files"][name] = row
        cells = [name, *(row[k] for k in ("rows", "cx2_published", "cx2_same_run", "teacher"))]
        cells += [row[k] for k in ("hybrid", "hybrid_ceiling", "unsure_0.3", "unsure_0.5")]
        print("| " + " | ".join(map(str, cells)) + " |")
    if model.is_file() and (work / "teacher_top.npz").is_file():
        result["speed"] = speed(model, work, settings)
        print(json.dumps(result["speed"]))
    (work / "report.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
