"""What the sentiment encoder is fine-tuned on: the project's corpus and real labelled text
whose licence allows training, read from the shared data folder when it is there.

Real customer text is what the model has to read, and text the project wrote is not evidence
of that (docs/accuracy.md). Only files whose licence allows it are trained on (see
``docs/text-models.md``); every other real file is kept for measuring, never for training:

- ``fr_trustpilot_showroomprive_a.csv``: French Trustpilot reviews of an e-commerce site
  (MIT); 4–5 stars positive, 1–2 negative, 3 left out (a 3 is as often praise as blame);
- ``en_semeval2017_task4a_test_tweets.csv``: SemEval-2017 Task 4A tweets, 3 classes
  (TweetEval, "released without any restrictions").

The texts themselves never enter the repository; only the weights trained on them do.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cxgap.config import setting_value
from cxgap.errors import ConfigError
from cxgap.ingest.tables import RowValues, open_table
from cxgap.text.corpus import expand, load_examples
from cxgap.text.finetune import Labelled

REAL_WEIGHT = 2.0
"""French real reviews are few next to the tweets: each counts twice."""
TRAINING_FILES = {
    "dev_sentiment/fr_trustpilot_showroomprive_a.csv": "stars",
    "dev_sentiment/en_semeval2017_task4a_test_tweets.csv": "labels",
}


def shared_data_dir() -> Path | None:
    """``CXGAP_SHARED_DATA``, or ``../shared/data`` beside the checkout, when it exists."""
    configured = setting_value("CXGAP_SHARED_DATA")
    candidate = (
        Path(configured) if configured else Path(__file__).resolve().parents[4] / "shared" / "data"
    )
    return candidate if candidate.is_dir() else None


def corpus_set(seed: int = 0) -> list[Labelled]:
    """The project's own training sentences, expanded as for the other heads."""
    return [Labelled(e.text, e.sentiment) for e in expand(load_examples("train"), seed=seed)]


def real_sets(data_dir: Path) -> list[Labelled]:
    """The licensed real labelled files under ``data_dir``; a missing one is an error."""
    out: list[Labelled] = []
    for relative, kind in TRAINING_FILES.items():
        path = data_dir / relative
        if not path.is_file():
            raise ConfigError(f"Training file {path} is missing")
        rows = _stars(path) if kind == "stars" else _labels(path)
        out.extend(rows)
    return out


def _stars(path: Path) -> Iterator[Labelled]:
    for row in _rows(path):
        text = (row.get("text") or "").strip()
        rating = (row.get("rating") or "").strip().replace(",", ".")
        if not text or not rating:
            continue
        stars = int(float(rating))
        if stars != 3:
            yield Labelled(text, "positive" if stars >= 4 else "negative", REAL_WEIGHT)


def _labels(path: Path) -> Iterator[Labelled]:
    for row in _rows(path):
        text, label = (row.get("text") or "").strip(), row.get("label_name") or ""
        if text and label in ("positive", "neutral", "negative"):
            yield Labelled(text, label)


def _rows(path: Path) -> list[RowValues]:
    """The file's rows as every cxgap import reads a CSV: a byte order mark dropped, the
    encoding and delimiter detected (a file saved again by a spreadsheet still reads)."""
    with open_table(path) as table:
        return [values for _, values in table]
