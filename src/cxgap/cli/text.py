"""``cxgap text``: classify and train on files, without any database."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer

from cxgap.cli.common import refusal, require_text_libraries
from cxgap.errors import CxgapError, ValidationError
from cxgap.files import open_private_text
from cxgap.text import files

app = typer.Typer(help="Text analytics on files (no database).", no_args_is_help=True)

ExistingFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]
TextColumn = Annotated[str, typer.Option("--text-column", help="Column holding the text.")]


@contextmanager
def _refusing() -> Iterator[None]:
    try:
        yield
    except CxgapError as exc:
        raise refusal(exc) from None


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with open_private_text(path, newline="") as stream:
        yield stream


def _delimiter(given: str | None, output: Path | None) -> str | None:
    """The CSV delimiter asked for; None leaves it to the input (a tab for a .tsv output)."""
    if given is None:
        return "\t" if output is not None and output.suffix.lower() == ".tsv" else None
    chosen = "\t" if given.lower() in ("tab", "\\t", "\t") else given
    if chosen not in files.OUTPUT_DELIMITERS:
        raise ValidationError.single(
            "--delimiter", f"--delimiter must be ',', ';' or 'tab', got {given!r}", value=given
        )
    return chosen


def _progress(rows: int) -> None:
    typer.echo(f"… {rows:,} rows classified", err=True)


@app.command("classify")
def classify(
    file: ExistingFile,
    text_column: TextColumn,
    output: Annotated[
        Path | None, typer.Option(help="Output file (.csv or .jsonl); default: standard output.")
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            file_okay=False,
            help="A classifier trained by `cxgap text train`, or a local Hugging Face model.",
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows analysed at a time.")] = (
        files.BATCH_SIZE
    ),
    delimiter: Annotated[
        str | None,
        typer.Option(
            help="Delimiter of a CSV output: ',', ';' or 'tab'; default: the input file's "
            "(',' for XLSX and JSON input, a tab for a .tsv output)."
        ),
    ] = None,
) -> None:
    """Add language, sentiment, score, intensity, topics and pillars to every row."""
    from cxgap.text.analyzer import build_analyzer

    require_text_libraries()  # before the output file is opened
    with _refusing():
        chosen = _delimiter(delimiter, output)
        fmt = files.output_format(output, files.input_format(file))
        label_model = files.load_label_model(model) if model else None
        analyzer = build_analyzer()
        with _output(output) as out:
            rows = files.classify_file(
                file,
                out,
                text_column=text_column,
                analyzer=analyzer,
                fmt=fmt,
                label_model=label_model,
                batch_size=batch_size,
                progress=_progress,
                delimiter=chosen,
            )
    typer.echo(f"{rows:,} rows classified ({analyzer.name}).", err=True)


@app.command("train")
def train(
    file: ExistingFile,
    text_column: TextColumn,
    label_column: Annotated[str, typer.Option("--label-column", help="Column of labels.")],
    output: Annotated[Path, typer.Option(file_okay=False, help="Folder to write the model to.")],
    multi_label: Annotated[
        bool, typer.Option("--multi-label", help="Several labels per row (or none).")
    ] = False,
    separator: Annotated[str, typer.Option(help="Separator of labels in a cell.")] = ";",
) -> None:
    """Train a classifier usable by `cxgap text classify --model`."""
    require_text_libraries()
    with _refusing():
        report = files.train_file(
            file,
            output,
            text_column=text_column,
            label_column=label_column,
            multi_label=multi_label,
            separator=separator,
        )
    kind = "multi-label" if report.multi_label else "single-label"
    typer.echo(
        f"Trained a {kind} classifier on {report.rows:,} rows ({report.skipped:,} skipped), "
        f"{len(report.labels)} labels: {', '.join(report.labels)}. Saved in {output}.",
        err=True,
    )
