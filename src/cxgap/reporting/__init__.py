"""Results rendering: the assessment results object as HTML with inline SVG charts.

``render_results_fragment`` gives the body a web page embeds; ``render_report_html`` a
self-contained document (the executive report). ``reporting_template_dir`` and
``reporting_globals`` let another Jinja2 environment include ``results_body.html`` directly;
see :mod:`cxgap.reporting.render` for that contract.
"""

from __future__ import annotations

from cxgap.reporting.render import (
    render_report_html,
    render_results_fragment,
    reporting_globals,
    reporting_template_dir,
)

__all__ = [
    "render_report_html",
    "render_results_fragment",
    "reporting_globals",
    "reporting_template_dir",
]
