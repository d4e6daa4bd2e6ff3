"""``cxgap replies check`` and ``cxgap replies template``: the tone check of a draft and the
reply templates, without a database (docs/replies.md)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cxgap.cli.common import cli_locale, fail, refusal
from cxgap.errors import CxgapError, FieldProblem, ValidationError
from cxgap.i18n import translate
from cxgap.services.replies import ReplyRequest, check_reply, reply_template
from cxgap.tone.guidance import guidance_lines
from cxgap.tone.report import check_table

app = typer.Typer(help="Replies in the right tone: guidance, templates, tone check.")


class Format(StrEnum):
    JSON = "json"
    TABLE = "table"


def refused(exc: ValidationError) -> typer.Exit:
    """The first problem in the reader's language: the option and the value."""
    problem: FieldProblem = exc.problems[0]
    locale = cli_locale()
    key = f"tone.refused.{problem.code or 'format'}"
    params = {k: str(v) for k, v in problem.params.items()}
    params |= {"field": problem.field, "value": "" if problem.value is None else str(problem.value)}
    return fail(translate(key, locale, **params))


def read_draft(draft: str) -> str:
    if draft == "-":
        return sys.stdin.read()
    try:
        return Path(draft).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = translate(
            "tone.cli.unreadable", cli_locale(), path=draft, error=type(exc).__name__
        )
        raise fail(message) from None


def instant(option: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.utcoffset() is None:
        raise fail(translate("tone.cli.due", cli_locale(), option=option, value=value))
    return parsed


@app.command("check")
def check(
    draft: Annotated[
        str, typer.Argument(help="The draft reply: a UTF-8 text file, or - for stdin.")
    ],
    channel: Annotated[str, typer.Option(help="email, chat, phone, social, sms or letter.")],
    language: Annotated[
        str | None, typer.Option(help="fr or en (default: detected from the draft).")
    ] = None,
    address: Annotated[str, typer.Option(help="vous (formal) or tu (informal).")] = "vous",
    length: Annotated[str, typer.Option(help="The reader's taste: short, standard, detailed.")] = (
        "standard"
    ),
    due: Annotated[
        str | None,
        typer.Option(help="SLA due time, ISO 8601 with an offset: promises after it are found."),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(help="When the reply is sent, ISO 8601 with an offset (default: now)."),
    ] = None,
    timezone: Annotated[
        str, typer.Option(help="Zone of business hours (Mon–Fri 09:00–18:00) and of dates.")
    ] = "Europe/Paris",
    customer_sentiment: Annotated[
        str | None, typer.Option(help="The customer's sentiment: positive, neutral, negative.")
    ] = None,
    customer_intensity: Annotated[
        float | None, typer.Option(help="Its intensity, 0 to 1 (0.6 and above: angry).")
    ] = None,
    draft_sentiment: Annotated[
        str | None, typer.Option(help="The analyzer's sentiment of the draft itself.")
    ] = None,
    agent_name: Annotated[str | None, typer.Option(help="Who signs the reply.")] = None,
    customer_message: Annotated[
        list[str] | None,
        typer.Option(
            help="A file holding one of the customer's messages (repeat it): the bundled "
            "analyzer reads their mood when --customer-sentiment is not given."
        ),
    ] = None,
    analyze_draft: Annotated[
        bool, typer.Option("--analyze-draft", help="Let the analyzer read the draft's sentiment.")
    ] = False,
    format: Annotated[Format, typer.Option("--format", help="json or table.")] = Format.TABLE,
) -> None:
    """The tone check of a draft: findings with their place and a message in FR and EN."""
    text = read_draft(draft)
    request = ReplyRequest(
        text=text,
        channel=channel,
        language=language,
        address=address,
        length=length,
        due=instant("--due", due),
        now=instant("--now", now),
        timezone=timezone,
        customer_sentiment=customer_sentiment,
        customer_intensity=customer_intensity,
        draft_sentiment=draft_sentiment,
        agent_name=agent_name,
        customer_messages=[read_draft(path) for path in customer_message or []],
        analyze_draft=analyze_draft,
    )
    try:
        result = check_reply(request)
    except ValidationError as exc:
        raise refused(exc) from None
    except CxgapError as exc:  # the text libraries missing
        raise refusal(exc) from None
    if format is Format.JSON:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        locale = cli_locale()
        typer.echo(translate("tone.findings.guidance", locale))
        for line in guidance_lines(result.guidance, locale):
            typer.echo(f"  - {line}")
        typer.echo("")
        typer.echo(check_table(text, result.findings, locale))
    if result.findings:  # as a linter does: a script can stop on a draft to rework
        raise typer.Exit(1)


@app.command("template")
def template(
    situation: Annotated[
        str,
        typer.Option(
            help="late_delivery, refund, defect, billing_error, rude_staff, follow_up, praise, "
            "information."
        ),
    ],
    language: Annotated[str, typer.Option(help="fr or en.")],
    address: Annotated[str, typer.Option(help="vous or tu (French only).")] = "vous",
    var: Annotated[
        list[str] | None,
        typer.Option("--var", help="A value, name=value (first_name, order_ref, due_date…)."),
    ] = None,
) -> None:
    """A reply template with the customer's details filled in; missing ones stay visible."""
    values: dict[str, str] = {}
    for item in var or []:
        name, sign, value = item.partition("=")
        if not sign or not name.strip():
            raise fail(translate("tone.cli.var", cli_locale(), value=item))
        values[name.strip()] = value
    try:
        filled = reply_template(
            situation=situation, language=language, address=address, values=values
        )
    except ValidationError as exc:
        raise refused(exc) from None
    typer.echo(filled.text, nl=False)
    locale = cli_locale()
    if filled.missing:
        names = ", ".join(filled.missing)
        typer.secho(translate("tone.cli.missing", locale, names=names), err=True, fg="yellow")
    if filled.unused:
        names = ", ".join(filled.unused)
        typer.secho(translate("tone.cli.unused", locale, names=names), err=True, fg="yellow")
