"""Rendering pages: one Jinja2 environment with the translation function and CSRF token."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from cxgap import __version__
from cxgap.errors import FieldProblem
from cxgap.i18n import LOCALES, catalog, plural_form, translate
from cxgap.i18n.numbers import format_signed
from cxgap.ingest.records import SOURCE_TYPES
from cxgap.journeys.model import CHANNELS, channel_label
from cxgap.text.contacts import TOKENS as MASKS
from cxgap.text.contacts import shown_masks
from cxgap.text.dependencies import INSTALL_COMMAND, missing_text_distributions
from cxgap.web.import_problems import keyed_reason
from cxgap.web.security import CSRF_FIELD, csrf_token

TEMPLATE_DIR = Path(__file__).with_name("templates")


def make_templates() -> Jinja2Templates:
    from cxgap.reporting.render import reporting_template_dir

    templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
    templates.env.loader = ChoiceLoader(
        [FileSystemLoader(str(TEMPLATE_DIR)), FileSystemLoader(str(reporting_template_dir()))]
    )
    return templates


def locale_of(request: Request) -> str:
    return str(getattr(request.state, "locale", "en"))


def lang_url(request: Request, code: str) -> str:
    """The current URL in another language."""
    params = dict(request.query_params)
    params["lang"] = code
    return f"{request.url.path}?{urlencode(params)}"


def page(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    locale = locale_of(request)
    full = {
        "request": request,
        "locale": locale,
        "locales": LOCALES,
        "t": partial(translate_for, locale),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "lang_url": partial(lang_url, request),
        "version": __version__,
        "num": partial(_number, locale),
        "pct": partial(_percent, locale),
        "nps_text": partial(_nps, locale),
        "signed": partial(_signed, locale),
        "problem_text": partial(problem_text, locale),
        "tn": partial(translate_count, locale),
        "channel_name": partial(channel_name, locale),
        "verbatim": partial(shown_verbatim, locale),
        "text_missing": missing_text_distributions,
        "text_install_command": INSTALL_COMMAND,
        **(context or {}),
    }
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, full, status_code=status_code)


def shown_verbatim(locale: str, text: str) -> str:
    """A stored verbatim with its masked contact details named in the reader's language
    (``[phone]`` → ``[téléphone]``)."""
    labels = {token: translate(f"security_privacy.mask.{token}", locale) for token in MASKS}
    return shown_masks(text, labels)


def translate_for(locale: str, key: str, /, **params: object) -> str:
    return translate(key, locale, **params)


def translate_count(locale: str, key: str, count: int, /, **params: object) -> str:
    """``key_one`` or ``key_other`` by the count's plural form, with ``{n}`` filled in as the
    reader writes numbers (``1,200`` / ``12 000``). A message with two counted nouns is made
    of counted phrases, one per count (``segments.check_result``)."""
    from cxgap.reporting.formatting import format_count

    number = format_count(count, locale)
    return translate(f"{key}_{plural_form(count, locale)}", locale, **{"n": number, **params})


def channel_name(locale: str, value: str) -> str:
    """A feedback channel as the reader says it: a journey channel (``app``), a source type
    (``survey``) or a channel cxgap names itself (``recovery``) by its label; any other
    channel is the importer's own word, shown as it is."""
    if value in CHANNELS:
        return channel_label(value, locale)
    if value in SOURCE_TYPES:
        return translate(f"listening.source.{value}", locale)
    if f"listening.channel.{value}" in catalog(locale):  # cxgap's own (``recovery``)
        return translate(f"listening.channel.{value}", locale)
    return value


def _number(locale: str, value: object, decimals: int = 1) -> str:
    from cxgap.reporting.formatting import format_number

    return format_number(value, locale, decimals=decimals)


def _percent(locale: str, share: object) -> str:
    from cxgap.reporting.formatting import format_percent

    return format_percent(share, locale)


def _signed(locale: str, value: object, decimals: int = 2) -> str:
    """A value whose sign matters (``+0,61``, ``−14``): ``cxgap.i18n.numbers``."""
    return format_signed(value, locale, decimals=decimals)


def _nps(locale: str, score: object) -> str:
    from cxgap.reporting.formatting import format_nps

    return format_nps(score, locale)


def problem_text(locale: str, problem: FieldProblem) -> str:
    """Where and what, in the reader's language when the problem has a known code."""
    where = [problem.source] if problem.source else []
    if problem.row is not None:
        where.append(translate("web.problem.row", locale, row=problem.row))
        if problem.field != "(row)":  # the row as a whole: its number says where
            where.append(translate("web.problem.column", locale, field=problem.field))
    elif problem.field == "(file)":  # the file as a whole: its name says where
        pass
    elif problem.source:  # a problem with the file itself: its columns
        where.append(translate("web.problem.column", locale, field=problem.field))
    else:
        where.append(translate("web.problem.field", locale, field=problem.field))
    key = f"web.problem.{problem.code}"
    known = problem.code is not None and key in catalog(locale)
    what = keyed_reason(problem.params, locale)
    if what is None:
        what = translate(key, locale, **problem.params) if known else problem.message
    if problem.value is not None:
        what += f" ({translate('web.problem.got', locale, value=problem.value)})"
    return f"{', '.join(where)} : {what}" if locale == "fr" else f"{', '.join(where)}: {what}"
