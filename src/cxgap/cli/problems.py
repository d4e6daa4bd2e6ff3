"""A refusal said in the reader's language on the command line.

The ingest package names each file problem's message (``params["reason"]``) and figures; the
web says them from the catalogues, and so does the CLI when the reader's locale is French.
Problems without a catalogue message keep their English text.
"""

from __future__ import annotations

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import catalog, plural_form, translate

_SHOWN = 20


def said(problem: FieldProblem, locale: str) -> str:
    """The problem in ``locale``: where it is, then what is wrong."""
    params = dict(problem.params)
    key = f"imports_week.reason.{params.pop('reason', '')}"
    count = params.get("count")
    if isinstance(count, int) and f"{key}_one" in catalog(locale):
        key = f"{key}_{plural_form(count, locale)}"
    if locale == "en":
        return problem.describe()
    if key not in catalog(locale):
        return _coded(problem, locale)
    where = [problem.source] if problem.source else []
    if problem.row is not None:
        where.append(translate("web.problem.row", locale, row=problem.row))
    what = translate(key, locale, **params)
    return f"{', '.join(where) or problem.field} : {what}"


def _coded(problem: FieldProblem, locale: str) -> str:
    """A value refused with a code the pages say (``web.problem.<code>``): the field, the
    reason and the value in ``locale``; otherwise the service's own (English) words."""
    key = f"web.problem.{problem.code}"
    if problem.code is None or key not in catalog(locale):
        return problem.describe()
    where = translate("web.problem.field", locale, field=problem.field)
    what = translate(key, locale, **problem.params)
    if problem.value is not None:
        what += f" ({translate('web.problem.got', locale, value=problem.value)})"
    return f"{where} : {what}"


def refusal_text(exc: ValidationError, locale: str) -> str:
    """The refusal's summary and its problems, as the CLI prints them."""
    if locale == "en":
        return str(exc)
    lines = [said(p, locale) for p in exc.problems[:_SHOWN]]
    more = len(exc.problems) - len(lines)
    if more > 0:
        lines.append(f"… {more}")
    summary = translate("security_files.cli_error", locale) + " "
    summary += translate("feedback_import.refused", locale)
    return summary + ("\n  " + "\n  ".join(lines) if lines else "")
