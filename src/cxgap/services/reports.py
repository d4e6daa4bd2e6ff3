"""The executive report: the results object rendered as one self-contained HTML file."""

from __future__ import annotations

from cxgap.analytics.results_json import ResultsJson
from cxgap.i18n import translate


def render_report(
    results: ResultsJson,
    *,
    locale: str,
    workspace_name: str,
    statistics_doc_url: str | None = None,
) -> str:
    """``statistics_doc_url``: the in-app page that explains the figures (absolute, since
    the report is a file opened outside the app)."""
    from cxgap.reporting.render import render_report_html

    title = translate("report.title", locale, workspace=workspace_name)
    return render_report_html(
        results, locale=locale, title=title, statistics_doc_url=statistics_doc_url
    )
