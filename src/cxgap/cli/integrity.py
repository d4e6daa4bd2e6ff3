"""``cxgap integrity check``: flags per response and per agent on a CSV, without a database
(docs/integrity.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import cli_locale, fail
from cxgap.errors import ValidationError
from cxgap.i18n import translate
from cxgap.integrity import Flag, IntegrityReport, Sentiment, check_integrity, report_json
from cxgap.integrity.reading import read_contacts, read_responses, refuse
from cxgap.integrity.words import flag_label, reason
from cxgap.text.dependencies import missing_text_distributions

app = typer.Typer(help="Integrity: flags on responses and agents.", no_args_is_help=True)


class Format(StrEnum):
    JSON = "json"
    TEXT = "text"


class Language(StrEnum):
    EN = "en"
    FR = "fr"


@app.command("check")
def check(
    file: Annotated[
        Path,
        typer.Argument(
            help="FILE.csv: response_id, submitted_at, duration_seconds, agent, nps, text, "
            "item_… (1–5), respondent_id, honeypot; every column optional."
        ),
    ],
    format: Annotated[
        Format, typer.Option("--format", help="json (the contract) or text.")
    ] = Format.JSON,
    contacts: Annotated[
        Path | None,
        typer.Option(help="CSV of agent, contacts[, surveyed]: checks selective surveying."),
    ] = None,
    sentiment: Annotated[
        bool,
        typer.Option(help="Read the comments' sentiment with cxgap's text analyzer."),
    ] = True,
    lang: Annotated[
        Language | None, typer.Option("--lang", help="fr or en (default: CXGAP_LOCALE).")
    ] = None,
) -> None:
    """Every response with its flags (none when clean) and every agent's verdict."""
    locale = lang.value if lang else cli_locale()
    try:
        responses = read_responses(_text(file), file.name)
        counts = read_contacts(_text(contacts), contacts.name) if contacts else None
    except ValidationError as exc:
        raise _refused(exc, locale) from None
    reader = _sentiment() if sentiment else None
    report = check_integrity(responses, sentiment=reader, contacts=counts)
    if format is Format.TEXT:
        typer.echo(_sentences(report, locale))
        return
    typer.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))


def _sentiment() -> Sentiment | None:
    """cxgap's text analyzer, or ``None`` (no mismatch flags) on a slim install."""
    if missing_text_distributions():
        return None
    from cxgap.text.analyzer import build_analyzer

    analyzer = build_analyzer()

    def read(texts: Sequence[str]) -> list[float | None]:
        return [analysis.sentiment_score for analysis in analyzer.analyze(texts)]

    return read


def _sentences(report: IntegrityReport, locale: str) -> str:
    lines = []
    for verdict in report.responses:
        for flag in verdict.flags:
            lines.append(f"{verdict.response_id}\t{_line(flag, locale)}")
    for agent in report.agents:
        for flag in agent.flags:
            lines.append(f"{agent.agent}\t{_line(flag, locale)}")
    flagged = sum(1 for verdict in report.responses if verdict.flags)
    total = len(report.responses)
    lines.append(translate("integrity.summary", locale, flagged=flagged, total=total))
    return "\n".join(lines)


def _line(flag: Flag, locale: str) -> str:
    label = flag_label(flag.name, locale)
    return translate("integrity.line", locale, label=label, reason=reason(flag, locale))


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        refuse(path.name, "unreadable", None, source=path.name)


def _refused(exc: ValidationError, locale: str) -> typer.Exit:
    """The problem in the reader's language: the file, the row, the column and the value."""
    problem = exc.problems[0]
    reason_text = translate(f"integrity.reason.{problem.code}", locale)
    where = [problem.source or ""]
    if problem.row is not None:
        where.append(translate("integrity.row", locale, row=problem.row))
    if problem.field != problem.source:
        where.append(translate("integrity.column", locale, column=problem.field))
    place = ", ".join(where)
    if problem.value is None:
        return fail(translate("integrity.refused_here", locale, place=place, reason=reason_text))
    value = json.dumps(problem.value, ensure_ascii=False)
    return fail(
        translate("integrity.refused", locale, place=place, reason=reason_text, value=value)
    )
