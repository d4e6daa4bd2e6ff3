"""Render the assessment results object (docs/results-format.md) as HTML.

Two entry points:

* :func:`render_results_fragment` — the results body (no ``<html>``), for a page that has its
  own layout and stylesheet;
* :func:`render_report_html` — a complete, self-contained document (``cxgap assess report
  --format html``): the stylesheet inlined, every chart an inline SVG, no external reference,
  laid out for A4 when printed.

Embedding in the web app's own Jinja2 environment
-------------------------------------------------
The web results page may include the body template instead of calling
:func:`render_results_fragment`::

    env.loader = ChoiceLoader([FileSystemLoader(web_dir),
                               FileSystemLoader(str(reporting_template_dir()))])
    env.globals.update(reporting_globals())      # once, when the environment is built

and, in a page template, ``{% include "results_body.html" %}`` with these variables:

``results`` (dict, required)
    the results object, exactly as ``compute_assessment(...).to_dict()`` plus ``workspace``
    and ``computed_at``.
``locale`` (str, required)
    ``"en"`` or ``"fr"``; anything else renders in English.
``t`` (callable, required)
    ``t(key, **params) -> str``: :func:`cxgap.i18n.translate` bound to ``locale``.
``segment_names`` (optional)
    ``{segment_key: {"en": "...", "fr": "..."}}``; defaults to ``results["segment_names"]``
    (which the service adds); a segment without a name shows its key.
``statistics_doc_url`` (optional)
    where the "how it is computed" link points (the web app's bilingual method page); without
    it the method notes say where to find that page in the app.

``reporting_globals()`` provides ``cxgap_results_view``, the one function the template calls to
turn ``results`` into display values. Every reporting template name starts with ``results_``
so it cannot shadow a web template. The environment must autoescape (Starlette's does): charts
are passed as already-escaped markup, everything else is escaped by Jinja.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache, partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from cxgap.analytics.results_json import ResultsJson
from cxgap.i18n import LOCALES, translate
from cxgap.reporting.view import build_results_view

_TEMPLATES = Path(__file__).with_name("templates")
_STYLESHEET = Path(__file__).parent.parent / "web" / "static" / "cxgap.css"

SegmentNames = Mapping[str, Mapping[str, str]]


def reporting_template_dir() -> Path:
    """The folder holding ``results_body.html`` and the templates it includes."""
    return _TEMPLATES


def reporting_globals() -> dict[str, Callable[..., Any]]:
    """Globals the reporting templates need in whatever environment renders them."""
    return {"cxgap_results_view": build_results_view}


@cache
def _environment() -> Environment:
    # Built on first use, not at import: importing cxgap.reporting stays free.
    env = Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(reporting_globals())
    return env


@cache
def stylesheet() -> str:
    """The app's stylesheet, inlined into the self-contained report."""
    return _STYLESHEET.read_text(encoding="utf-8")


def _context(
    results: ResultsJson, locale: str, segment_names: SegmentNames | None
) -> dict[str, Any]:
    locale = locale if locale in LOCALES else "en"
    return {
        "results": results,
        "locale": locale,
        "t": partial(_translate, locale),
        "segment_names": segment_names or {},
        "plan_action_url": None,  # the web page's link to plan an action; none in a report
    }


def _translate(locale: str, key: str, /, **params: object) -> str:
    return translate(key, locale, **params)


def render_results_fragment(
    results: ResultsJson,
    *,
    locale: str,
    segment_names: SegmentNames | None = None,
    statistics_doc_url: str | None = None,
    plan_action_url: str | None = None,
) -> str:
    """The results body as an HTML fragment, to place inside a page that loads cxgap.css;
    with ``plan_action_url`` each priority pillar links to planning an action on it."""
    context = _context(results, locale, segment_names)
    context["statistics_doc_url"] = statistics_doc_url
    context["plan_action_url"] = plan_action_url
    return _environment().get_template("results_body.html").render(context)


def render_report_html(
    results: ResultsJson,
    *,
    locale: str,
    title: str | None = None,
    segment_names: SegmentNames | None = None,
    statistics_doc_url: str | None = None,
) -> str:
    """A complete HTML document that opens and prints anywhere, with nothing to fetch."""
    context = _context(results, locale, segment_names)
    workspace = str(results.get("workspace") or "")
    key = "results.report.title_workspace" if workspace else "results.report.title"
    default_title = translate(key, context["locale"], workspace=workspace)
    context.update(
        title=title or default_title,
        statistics_doc_url=statistics_doc_url,
        stylesheet=Markup(stylesheet().replace("</", "<\\/")),
    )
    return _environment().get_template("results_report.html").render(context)
