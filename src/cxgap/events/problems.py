"""An event import's refusal said in French or English: each problem names the file, the
row, the column and the value, then what is wrong, from the catalogues
(``events_import.problem.<code>``, ``events_import.reason.<reason>`` and the feedback
import's ``imports_week.reason.<reason>`` for the file problems both imports share)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def refusal_document(exc: ValidationError) -> dict[str, object]:
    """The refusal as JSON values (kept on an import job's row), to be said again later in
    the reader's language by :func:`refusal_lines` on :func:`refusal_from_document`."""
    return {
        "key": exc.message_key,
        "params": _plain(exc.message_params),
        "summary": exc.summary,
        "problems": [p.as_dict() | {"params": _plain(p.params)} for p in exc.problems],
    }


def refusal_from_document(document: Mapping[str, object]) -> ValidationError:
    """The refusal :func:`refusal_document` kept."""
    problems = [
        FieldProblem(
            str(p["field"]),
            str(p["message"]),
            p.get("value"),
            _row(p.get("row")),
            source=None if p.get("source") is None else str(p["source"]),
            code=None if p.get("code") is None else str(p["code"]),
            params=dict(p.get("params") or {}),
        )
        for p in _dicts(document.get("problems"))
    ]
    refusal = ValidationError(problems, summary=str(document.get("summary") or ""))
    key = document.get("key")
    if isinstance(key, str):
        params = document.get("params")
        refusal.keyed(key, **(dict(params) if isinstance(params, Mapping) else {}))
    return refusal


def _plain(values: Mapping[str, object]) -> dict[str, object]:
    return {
        str(k): v if isinstance(v, (int, float, str, bool)) or v is None else str(v)
        for k, v in values.items()
    }


def _dicts(value: object) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _row(value: object) -> int | None:
    return value if isinstance(value, int) else None
