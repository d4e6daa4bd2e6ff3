"""Form problems of the persona and journey editors, said in the reader's language."""

from __future__ import annotations

from cxgap.errors import FieldProblem
from cxgap.i18n import catalog, translate


def errors_by_field(locale: str, problems: list[FieldProblem]) -> dict[str, list[str]]:
    """Each problem said in the reader's language when its code is known."""
    known = catalog(locale)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        key = f"journey_editor.problem.{problem.code}"
        text = translate(key, locale, **problem.params) if key in known else problem.message
        if problem.value is not None and problem.code in {"format", "unique", "reserved", "choice"}:
            text += f" ({problem.value})"
        errors.setdefault(problem.field, []).append(text)
    return errors
