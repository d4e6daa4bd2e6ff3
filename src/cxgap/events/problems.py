"""An event import's refusal said in French or English: each problem names the file, the
row, the column and the value, then what is wrong, from the catalogues
(``events_import.problem.<code>``, ``events_import.reason.<reason>`` and the feedback
import's ``imports_week.reason.<reason>`` for the file problems both imports share)."""

from __future__ import annotations

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import catalog, translate

SHOWN = 20


def _what(problem: FieldProblem, locale: str) -> str:
    params = dict(problem.params)
    reason = params.pop("reason", None)
    known = catalog(locale)
    for key in (
        f"events_import.reason.{reason}",
        f"imports_week.reason.{reason}",
        f"events_import.problem.{problem.code}",
    ):
        if key.rsplit(".", 1)[1] not in {"None", ""} and key in known:
            try:
                return translate(key, locale, **params)
            except (KeyError, IndexError):  # a catalogue text wanting a figure not given
                break
    return problem.message


def problem_text(problem: FieldProblem, locale: str) -> str:
    """Where the problem is (file, row, column), what is wrong, and the value refused."""
    where = [problem.source] if problem.source else []
    if problem.row is not None:
        where.append(translate("events_import.row", locale, row=problem.row))
        where.append(translate("events_import.column", locale, column=problem.field))
    elif problem.field != "(file)":
        where.append(translate("events_import.column", locale, column=problem.field))
    colon = " : " if locale == "fr" else ": "  # French sets the colon apart
    text = f"{', '.join(where)}{colon}{_what(problem, locale)}"
    if problem.value is not None:
        text += " " + translate("events_import.value", locale, value=problem.value)
    return text


def refusal_lines(exc: ValidationError, locale: str) -> list[str]:
    """The refusal's summary, then its problems one per line (the first ``SHOWN``)."""
    params = dict(exc.message_params)
    total = int(str(params.get("count", len(exc.problems))))
    if exc.message_key == "events_import.refused":
        lines = [translate("events_import.refused", locale, **params)]
    else:
        lines = [translate("events_import.refused_short", locale)]
    lines += ["  " + problem_text(p, locale) for p in exc.problems[:SHOWN]]
    if total > SHOWN:
        lines.append("  " + translate("events_import.more", locale, count=total - SHOWN))
    return lines
