"""Files in, files out, no database: what ``cxgap text classify`` and ``cxgap text train`` do.

Input files are read with :mod:`cxgap.ingest` (CSV with its delimiter and encoding detected,
XLSX, JSON, JSON Lines), streamed in batches so that memory stays bounded whatever the size.
Output is CSV or JSON Lines, chosen by the output file's extension, else by the input's
format. The CSV is written by the app's one writer (:mod:`cxgap.ingest.csvwrite`: UTF-8 with
a byte order mark, RFC 4180 quoting, formulas kept inert) with the input's delimiter unless
one is given (``,`` for XLSX and JSON input), and a decimal comma when that delimiter is
``;``, so that it opens in the spreadsheet the input came from and reads back with the same
reader. Every input row is written back, in order, with the analysis columns appended; a row
whose text is empty gets empty analysis columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, TextIO

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.csvwrite import csv_writer
from cxgap.ingest.delimited import sniff_delimiter
from cxgap.ingest.encoding import SAMPLE_BYTES, detect_encoding
from cxgap.ingest.tables import ReadOptions, Row, RowValues, Table, format_of, open_table
from cxgap.text.embeddings import DEFAULT_EMBEDDER, load_embedder
from cxgap.text.heads import LinearHead, train_head
from cxgap.text.hybrid import HybridHead, is_hybrid, train_hybrid
from cxgap.text.protocols import Embedder, TextAnalysis, TextAnalyzer

ANALYSIS_COLUMNS = ("language", "sentiment", "sentiment_score", "intensity", "topics", "pillars")
LABELS_COLUMN = "labels"
BATCH_SIZE = 256
OutputFormat = str  # "csv" or "jsonl"
OUTPUT_DELIMITERS = (",", ";", "\t")
Progress = Callable[[int], None]


class LabelModel(Protocol):
    """A user's classifier given with ``--model``: texts in, labels out."""

    def labels_for(self, texts: Sequence[str]) -> list[tuple[str, ...]]: ...


class HeadModel:
    """A head trained by ``cxgap text train`` on the vectors of its embedder (loaded once)."""

    def __init__(self, head: LinearHead) -> None:
        self.head = head

    def labels_for(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        return self.head.predict(self._embedder.embed(list(texts)))

    @cached_property
    def _embedder(self) -> Embedder:
        return load_embedder(self.head.embedder or DEFAULT_EMBEDDER)


class HybridModel:
    """A multi-label head trained by ``cxgap text train`` on n-grams and sentence vectors."""

    def __init__(self, head: HybridHead) -> None:
        self.head = head

    def labels_for(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        return self.head.predict(texts, self._embedder.embed(list(texts)))

    @cached_property
    def _embedder(self) -> Embedder:
        return load_embedder(self.head.embedder or DEFAULT_EMBEDDER)


def load_label_model(directory: Path) -> LabelModel:
    """The classifier in ``directory``: one trained by ``cxgap text train`` (multi-label: a
    hybrid head; single-label: a linear head), or a local Hugging Face transformers
    classification model (needs ``transformers`` and ``torch``)."""
    if is_hybrid(directory):
        return HybridModel(HybridHead.load(directory))
    if (directory / "head.json").exists():
        return HeadModel(LinearHead.load(directory))
    from cxgap.text.transformers_model import TransformersModel

    return TransformersModel.load(directory)


def output_format(output: Path | None, input_format: str) -> OutputFormat:
    """``csv`` or ``jsonl``: the output's extension decides, else the input's format.

    >>> output_format(Path("out.jsonl"), "csv"), output_format(None, "xlsx")
    ('jsonl', 'csv')
    """
    if output is not None:
        suffix = output.suffix.lower()
        if suffix in (".jsonl", ".ndjson", ".json"):
            return "jsonl"
        if suffix in (".csv", ".tsv", ".txt"):
            return "csv"
    return "jsonl" if input_format in ("json", "jsonl") else "csv"


def classify_file(
    source: Path,
    out: TextIO,
    *,
    text_column: str,
    analyzer: TextAnalyzer,
    fmt: OutputFormat,
    label_model: LabelModel | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    delimiter: str | None = None,
) -> int:
    """Analyse the ``text_column`` of every row of ``source`` into ``out``; the row count.

    A CSV output takes ``delimiter``, by default the input's (:func:`input_delimiter`).
    """
    with _opened(source, text_column) as table:
        extra = ANALYSIS_COLUMNS + ((LABELS_COLUMN,) if label_model else ())
        columns = [*table.header, *(c for c in extra if c not in table.header)]
        writer = _writer(out, fmt, columns, delimiter or input_delimiter(source))
        done = 0
        for batch in _batches(table, batch_size):
            texts = [(values.get(text_column) or "").strip() for _, values in batch]
            analyses = analyzer.analyze(texts)
            labels = _labels(label_model, texts)
            for (_, values), text, analysis, found in zip(
                batch, texts, analyses, labels, strict=True
            ):
                row = dict(values)
                row.update(_analysis_cells(analysis, text, label_model, found))
                writer(row)
            done += len(batch)
            if progress:
                progress(done)
        return done


def _labels(model: LabelModel | None, texts: list[str]) -> list[tuple[str, ...]]:
    if model is None:
        return [() for _ in texts]
    present = [i for i, text in enumerate(texts) if text]
    found = model.labels_for([texts[i] for i in present]) if present else []
    out: list[tuple[str, ...]] = [() for _ in texts]
    for i, labels in zip(present, found, strict=True):
        out[i] = labels
    return out


def _analysis_cells(
    analysis: TextAnalysis, text: str, model: LabelModel | None, labels: tuple[str, ...]
) -> dict[str, Any]:
    cells: dict[str, Any] = {
        "language": analysis.language,
        "sentiment": analysis.sentiment,
        "sentiment_score": analysis.sentiment_score,
        "intensity": analysis.intensity,
        "topics": ";".join(analysis.topics),
        "pillars": ";".join(analysis.pillars),
    }
    if model is not None:
        cells[LABELS_COLUMN] = ";".join(labels) if text else ""
    return cells


def input_delimiter(source: Path) -> str:
    """The delimiter of a CSV input, which its CSV output keeps; ``,`` for other formats, and
    for a ``|``-separated file (spreadsheets do not split on it when they open a CSV)."""
    if input_format(source) != "csv":
        return ","
    with source.open("rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    codec = detect_encoding(sample, source=str(source))
    found = sniff_delimiter(sample.decode(codec, errors="replace"))
    return found if found in OUTPUT_DELIMITERS else ","


def _writer(
    out: TextIO, fmt: OutputFormat, columns: list[str], delimiter: str
) -> Callable[[dict[str, Any]], None]:
    if fmt == "jsonl":

        def write_json(row: dict[str, Any]) -> None:
            out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")

        return write_json
    writer = csv_writer(out, delimiter=delimiter)
    writer.writerow(columns)
    decimal = "," if delimiter == ";" else "."

    def write_csv(row: dict[str, Any]) -> None:
        writer.writerow(["" if row.get(c) is None else _cell(row[c], decimal) for c in columns])

    return write_csv


def _cell(value: object, decimal: str) -> str:
    """A float with four decimals (a comma where French Excel expects one); texts are kept
    inert by the writer (a cell a previous run protected was restored by the reader)."""
    if isinstance(value, float):
        return f"{value:.4f}".replace(".", decimal)
    return str(value)


def _batches(table: Table, size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in table:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _opened:
    """``open_table`` that also checks the named columns exist, naming file and column."""

    def __init__(self, source: Path, *columns: str) -> None:
        self.table = open_table(source, ReadOptions(), name=str(source))
        missing = [c for c in columns if c not in self.table.header]
        if missing:
            self.table.close()
            known = ", ".join(self.table.header)
            raise ValidationError(
                [
                    FieldProblem(
                        "(file)",
                        f"no column {column!r} in {source} (columns: {known})",
                        value=column,
                        source=str(source),
                        code="missing_column",
                    )
                    for column in missing
                ],
                summary=f"Cannot read {source}",
            )

    def __enter__(self) -> Table:
        return self.table

    def __exit__(self, *exc: object) -> None:
        self.table.close()


def input_format(source: Path) -> str:
    """The format of ``source`` as the readers see it (csv, xlsx, json, jsonl)."""
    return format_of(str(source), ReadOptions())


@dataclass(frozen=True)
class TrainingReport:
    """What ``cxgap text train`` learned from."""

    rows: int
    skipped: int
    labels: tuple[str, ...]
    multi_label: bool


def train_file(
    source: Path,
    out_dir: Path,
    *,
    text_column: str,
    label_column: str,
    multi_label: bool = False,
    separator: str = ";",
) -> TrainingReport:
    """Train a classifier on the labelled rows of ``source`` and save it in ``out_dir``.

    Rows with an empty text are skipped, and in single-label mode rows with an empty label;
    in multi-label mode an empty label cell means "none of the labels", a valid row.
    """
    texts: list[str] = []
    labels: list[Any] = []
    skipped = 0
    with _opened(source, text_column, label_column) as table:
        for _, values in table:
            text, cell = _text_and_label(values, text_column, label_column)
            if not text or (not multi_label and not cell):
                skipped += 1
                continue
            texts.append(text)
            labels.append(_split(cell, separator) if multi_label else cell)
    _check_learnable(source, label_column, labels, multi_label)
    embedder = load_embedder()
    vectors = embedder.embed(texts)
    head: LinearHead | HybridHead
    if multi_label:  # n-grams + sentence vectors: docs/accuracy.md
        head = train_hybrid(texts, vectors, labels, embedder=embedder.name)
    else:
        head = train_head(vectors, labels, embedder=embedder.name)
    head.save(out_dir)
    return TrainingReport(len(texts), skipped, head.labels, multi_label)


def _text_and_label(values: RowValues, text_column: str, label_column: str) -> tuple[str, str]:
    return (values.get(text_column) or "").strip(), (values.get(label_column) or "").strip()


def _split(cell: str, separator: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in cell.split(separator) if part.strip()))


def _check_learnable(source: Path, column: str, labels: list[Any], multi_label: bool) -> None:
    distinct = (
        {label for row in labels for label in row} if multi_label else {str(x) for x in labels}
    )
    if not labels:
        message = f"{source} has no row with both a text and a label to learn from"
    elif multi_label and not distinct:
        message = f"no row of {source} has a label in column {column!r}: nothing to learn"
    elif not multi_label and len(distinct) < 2:
        message = (
            f"column {column!r} of {source} holds one class only ({', '.join(sorted(distinct))});"
            " a classifier needs at least two"
        )
    else:
        return
    raise ValidationError.single(column, message, value=sorted(distinct)[:5])
