"""``cxgap actions impact``: whether an action moved its metric, on a CSV series, without a
database (docs/actions.md)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import cli_locale, fail
from cxgap.errors import ValidationError
from cxgap.i18n import translate
from cxgap.impact import measure_impact, read_series
from cxgap.impact.did import difference_in_differences
from cxgap.impact.did_words import did_assumption, did_sentences
from cxgap.impact.series import parse_period, refuse
from cxgap.impact.words import assumptions, sentences

app = typer.Typer(
    help="Action plans: actions, their steps and comments, and the impact of an action on its "
    "metric.",
    no_args_is_help=True,
)


class Format(StrEnum):
    JSON = "json"
    TEXT = "text"


class Language(StrEnum):
    EN = "en"
    FR = "fr"


@app.command("impact")
def impact(
    series: Annotated[
        Path,
        typer.Option("--series", help="FILE.csv: columns period (a date), value, n (optional)."),
    ],
    date: Annotated[str, typer.Option("--date", help="The action's start, YYYY-MM-DD.")],
    format: Annotated[
        Format, typer.Option("--format", help="json (the contract) or text.")
    ] = Format.JSON,
    lags: Annotated[
        int | None,
        typer.Option(help="Newey-West lags (default floor(4·(n/100)^(2/9)), docs/actions.md)."),
    ] = None,
    lang: Annotated[
        Language | None, typer.Option("--lang", help="fr or en (default: CXGAP_LOCALE).")
    ] = None,
    control: Annotated[
        Path | None,
        typer.Option(
            "--control",
            help="FILE.csv: an untouched series (same columns); adds a difference-in-differences.",
        ),
    ] = None,
) -> None:
    """Level and slope change at the action's date (segmented regression, Newey-West errors),
    or a before/after comparison when the series is short; with --control, the
    difference-in-differences against an untouched series too."""
    locale = lang.value if lang else cli_locale()
    try:
        when = parse_period(date)
        if when is None:
            refuse("--date", "date", date)
        points = read_series(_text(series), series.name)
        result = measure_impact(points, when, lags=lags)
        others = None if control is None else read_series(_text(control), control.name)
    except ValidationError as exc:
        raise _refused(exc, locale) from None
    did = None if others is None else difference_in_differences(points, others, when)
    if format is Format.TEXT:
        typer.echo(sentences(result, locale))
        if did is not None:
            typer.echo("\n".join(did_sentences(did, locale)))
        return
    document = {**result.as_json(), "assumptions": assumptions(result, locale)}
    if did is not None:
        document["did"] = {**did.as_json(), "assumptions": did_assumption(did, locale)}
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        refuse(path.name, "unreadable", None, source=path.name)


def _refused(exc: ValidationError, locale: str) -> typer.Exit:
    """The problem in the reader's language: the file, the row, the column and the value."""
    problem = exc.problems[0]
    reason = translate(f"impact.reason.{problem.code}", locale)
    where = [problem.source] if problem.source else []
    if problem.row is not None:
        where.append(translate("impact.row", locale, row=problem.row))
    if problem.field != problem.source:
        field = problem.field if problem.field.startswith("--") else f"--{problem.field}"
        if problem.source:
            field = translate("impact.column", locale, column=problem.field)
        where.append(field)
    place = ", ".join(where)
    if problem.value is None:
        return fail(translate("impact.refused_here", locale, place=place, reason=reason))
    value = json.dumps(problem.value, ensure_ascii=False)
    return fail(translate("impact.refused", locale, place=place, reason=reason, value=value))
