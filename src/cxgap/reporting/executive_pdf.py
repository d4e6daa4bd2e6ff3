"""The executive report as PDF, drawn with fpdf2: portrait A4 or Letter pages, a table of
contents on page 1 and the same sections as a PDF outline (bookmarks), the charts as vectors
(rectangles, lines and text set in the vendored DejaVu font, embedded and subset: the text is
selectable and searchable). Why fpdf2 rather than WeasyPrint or Chromium: docs/reports.md.
Pure."""

from __future__ import annotations

from typing import Any

from cxgap.errors import ConfigError, ValidationError
from cxgap.i18n import translate
from cxgap.journeys.export import FONT_DIR, FONT_FAMILY, FONT_FILES
from cxgap.reporting import executive_view as view
from cxgap.reporting.executive_charts import Box, Chart, Label, Stroke, gaps_chart, journey_chart
from cxgap.reporting.executive_model import ExecutiveReport

PAPERS = ("a4", "letter")
MARGIN = 42.0  # points (about 15 mm)
INK = (31, 41, 55)
MUTED = (75, 85, 99)
ACCENT = (0, 114, 178)
RULE = (156, 163, 175)


def check_paper(paper: str | None, locale: str) -> str:
    """``a4`` or ``letter``; empty: A4 in French, Letter in English; else refused."""
    chosen = (paper or ("a4" if locale == "fr" else "letter")).strip().lower()
    if chosen not in PAPERS:
        raise ValidationError.single("paper", "must be a4 or letter", paper)
    return chosen


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _document(report: ExecutiveReport, locale: str, paper: str) -> Any:
    import fpdf

    title = translate("executive.title", locale, workspace=report.workspace_name)

    class _PDF(fpdf.FPDF):
        def footer(self) -> None:
            self.set_y(-MARGIN + 12)
            self.set_font(FONT_FAMILY, "", 8)
            self.set_text_color(*MUTED)
            page = translate("executive.pdf.page", locale, n=self.page_no(), total="{nb}")
            self.cell(0, 10, f"{title} · {report.period.label} · {page}", align="R")

    pdf = _PDF(orientation="portrait", unit="pt", format=paper)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN + 6)
    pdf.set_title(f"{title} · {report.period.label}")
    pdf.set_creator("cxgap")
    pdf.set_lang(locale)
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, str(FONT_DIR / name))
    return pdf


def _toc(locale: str) -> Any:
    def render(pdf: Any, outline: list[Any]) -> None:
        pdf.set_x(MARGIN)
        pdf.set_font(FONT_FAMILY, "B", 14)
        pdf.set_text_color(*INK)
        pdf.cell(0, 22, translate("executive.contents", locale), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, "", 11)
        for number, section in enumerate(outline, start=1):
            link = pdf.add_link(page=section.page_number)
            label = f"{number}. {section.name}"
            pdf.cell(pdf.epw - 40, 18, label, link=link)
            pdf.cell(
                40,
                18,
                str(section.page_number),
                align="R",
                link=link,
                new_x="LMARGIN",
                new_y="NEXT",
            )

    return render


def _heading(pdf: Any, text: str) -> None:
    if pdf.get_y() > pdf.h - MARGIN - 120:
        pdf.add_page()
    pdf.ln(10)
    pdf.start_section(text)
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 20, text, new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y()
    pdf.set_draw_color(*ACCENT)
    pdf.line(MARGIN, y, pdf.w - MARGIN, y)
    pdf.set_draw_color(*RULE)  # tables draw their borders in the current colour
    pdf.ln(6)


def _note(pdf: Any, text: str) -> None:
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 12, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _table(pdf: Any, table: view.Table, empty: str) -> None:
    if not table.rows:
        _note(pdf, empty)
        return
    pdf.set_font(FONT_FAMILY, "", 8.5)
    pdf.set_text_color(*INK)
    columns = range(len(table.header))
    align = tuple("RIGHT" if i in table.numeric else "LEFT" for i in columns)
    # Text columns get room, numbers as little as they need; a quoted verbatim the most.
    widths = table.widths or tuple(1.0 if i in table.numeric else 2.2 for i in columns)
    with pdf.table(
        col_widths=widths, text_align=align, line_height=11, padding=3, repeat_headings=1
    ) as out:
        heading = out.row()
        for cell in table.header:
            heading.cell(cell)
        for row in table.rows:
            line = out.row()
            for cell in row:
                line.cell(cell)
    pdf.ln(6)


def _chart(pdf: Any, chart: Chart) -> None:
    """The chart's shapes as PDF vectors, scaled to the printable width."""
    k = min(1.0, pdf.epw / chart.width)
    if pdf.get_y() + chart.height * k > pdf.h - MARGIN - 10:
        pdf.add_page()
    x0, y0 = MARGIN, pdf.get_y()
    for shape in chart.shapes:
        if isinstance(shape, Box):
            pdf.set_fill_color(*_rgb(shape.fill))
            pdf.rect(x0 + shape.x * k, y0 + shape.y * k, shape.w * k, shape.h * k, style="F")
        elif isinstance(shape, Stroke):
            pdf.set_draw_color(*_rgb(shape.colour))
            pdf.set_line_width(shape.width * k)
            pdf.line(x0 + shape.x1 * k, y0 + shape.y1 * k, x0 + shape.x2 * k, y0 + shape.y2 * k)
        elif isinstance(shape, Label):
            _label(pdf, shape, x0, y0, k)
    pdf.set_line_width(0.6)
    pdf.set_draw_color(*INK)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_y(y0 + chart.height * k + 6)


def _label(pdf: Any, label: Label, x0: float, y0: float, k: float) -> None:
    pdf.set_font(FONT_FAMILY, "B" if label.bold else "", label.size * k)
    pdf.set_text_color(*_rgb(label.colour))
    width = pdf.get_string_width(label.text)
    shift = {"start": 0.0, "middle": width / 2, "end": width}[label.anchor]
    pdf.text(x0 + label.x * k - shift, y0 + label.y * k, label.text)


def render_executive_pdf(
    report: ExecutiveReport, *, locale: str, paper: str | None = None
) -> bytes:
    """The report in ``locale`` on ``paper`` (``a4`` or ``letter``) as PDF bytes."""
    try:
        import fpdf  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError("PDF export needs fpdf2: pip install fpdf2") from exc
    locale = "fr" if locale == "fr" else "en"
    pdf = _document(report, locale, check_paper(paper, locale))
    t = view.section_title
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 20)
    pdf.set_text_color(*INK)
    title = translate("executive.title", locale, workspace=report.workspace_name)
    pdf.multi_cell(0, 26, title, new_x="LMARGIN", new_y="NEXT")
    _note(pdf, view.period_line(report, locale))
    _note(pdf, translate("executive.generated", locale, at=report.generated_at))
    pdf.insert_toc_placeholder(_toc(locale), pages=1)
    _heading(pdf, t("headlines", locale))
    _note(pdf, translate("executive.headlines.note", locale, previous=report.previous.label))
    _table(pdf, view.headline_table(report, locale), translate("executive.none", locale))
    _heading(pdf, t("gaps", locale))
    _note(pdf, translate("executive.gaps.note", locale))
    if report.gaps:
        _chart(pdf, gaps_chart(report.gaps, locale))
    _table(pdf, view.gaps_table(report, locale), translate("executive.gaps.none", locale))
    _heading(pdf, t("priorities", locale))
    priorities = view.priority_lines(report, locale)
    text = "\n".join(f"{i}. {name}" for i, name in enumerate(priorities, 1))
    _note(pdf, text or translate("executive.priorities.none", locale))
    _heading(pdf, t("irritants", locale))
    _table(pdf, view.irritants_table(report, locale), translate("executive.irritants.none", locale))
    _heading(pdf, t("journey", locale))
    if report.journey is not None:
        _note(
            pdf,
            translate("executive.journey.note", locale, journey=report.journey.name.get(locale)),
        )
        if report.journey.touchpoints:
            _chart(pdf, journey_chart(report.journey.touchpoints, locale))
    _table(pdf, view.journey_table(report, locale), translate("executive.journey.none", locale))
    _heading(pdf, t("actions", locale))
    _table(pdf, view.actions_table(report, locale), translate("executive.actions.none", locale))
    _heading(pdf, t("integrity", locale))
    warnings = "\n".join(f"• {w}" for w in report.integrity_warnings)
    _note(pdf, warnings or translate("executive.integrity.none", locale))
    return bytes(pdf.output())
