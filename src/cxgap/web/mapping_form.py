"""The mapping step's form: what the page shows for a mapping, and the choices read back."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from cxgap.errors import FieldProblem, PayloadTooLargeError, ValidationError
from cxgap.ingest import MODES, SOURCE_TYPES, Mode
from cxgap.ingest.choices import CHOICES, CONSTANT_FIELDS, IGNORE, ColumnChoices
from cxgap.ingest.dateorder import DATE_ORDERS
from cxgap.ingest.preview import FilePreview
from cxgap.services.feedback_uploads import MappingStep
from cxgap.web.import_problems import reason
from cxgap.web.render import locale_of

ENCODINGS = ("", "utf-8", "cp1252", "latin-1")
# The CSV separators the form offers, by the name its options send ("" detects it).
SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "pipe": "|",
    "colon": ":",
    "tilde": "~",
    "caret": "^",
}
DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%d.%m.%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "unix",
    "unix_ms",
)
SAMPLE_VALUES = 3
MAX_MAPPED_COLUMNS = 16_384
"""The widest file the mapping form takes (a workbook's widest, XFD): one field per column.
The command line, which has no form, takes any width."""
MAX_FORM_FIELDS = MAX_MAPPED_COLUMNS + 200  # and the form's own fields (constants, options)


async def read_mapping_form(request: Request) -> FormData:
    """The mapping step's form, one field per column of the file; a form beyond the widest
    file it takes is refused with a page that says so (Starlette's default, 1,000 fields,
    refused files the command line imports, with a bare JSON body)."""
    try:
        return await request.form(max_fields=MAX_FORM_FIELDS)
    except HTTPException as exc:
        limit = f"{MAX_MAPPED_COLUMNS:,}"
        message = (
            f"The mapping form holds at most {limit} columns ({exc.detail}); import this file "
            "with `cxgap import feedback --mapping`, or remove columns"
        )
        raise PayloadTooLargeError(message).keyed(
            "security_files.mapping_form_too_large", limit=MAX_MAPPED_COLUMNS
        ) from None


def mapping_context(
    request: Request,
    context: dict[str, Any],
    step: MappingStep,
    *,
    mode: Mode = "all_or_nothing",
    pseudonymise: bool = True,
) -> dict[str, Any]:
    preview = step.preview
    columns = [
        {
            "index": index,
            "name": name,
            "samples": [short(v) for v in preview.values_of(name)[:SAMPLE_VALUES]],
            "choice": step.choices.columns.get(name, IGNORE),
        }
        for index, name in enumerate(preview.header)
    ]
    return context | {
        "reason": partial(reason, locale=locale_of(request)),
        "columns": columns,
        "choices": CHOICES,
        "source_types": SOURCE_TYPES,
        "encodings": ENCODINGS,
        "separators": SEPARATORS,
        "separator": separator_token(step.choices.delimiter),
        "is_csv": _is_csv(context),
        "warnings": [_shown(p) for p in step.warnings],
        "date_formats": DATE_FORMATS,
        "date_orders": DATE_ORDERS,
        "open_questions": _open_questions(step, preview),
        "modes": MODES,
        "mode": mode,
        "pseudonymise": pseudonymise,
        "problems": [_shown(p) for p in step.problems],
        "outcomes": [
            {"row": number, "problems": [_shown(p) for p in outcome]}
            if isinstance(outcome, list)
            else {"row": number, "record": outcome}
            for number, outcome in step.outcomes
        ],
        "mapping_json": json.dumps(step.document, ensure_ascii=False, indent=2),
    }


def _is_csv(context: dict[str, Any]) -> bool:
    item = context.get("item")
    suffix = getattr(item, "suffix", "")
    return suffix in (".csv", ".tsv", ".txt")


def separator_token(delimiter: str) -> str:
    """The form's name for a separator; "" when it is detected."""
    return next((token for token, char in SEPARATORS.items() if char == delimiter), "")


def delimiter_of(form: FormData) -> str:
    """The separator the person chose, "" to detect it."""
    token = text_of(form, "delimiter")
    if token and token not in SEPARATORS:
        raise ValidationError.single("delimiter", f"must be one of {', '.join(SEPARATORS)}", token)
    return separator_of(token)


def separator_of(token: str) -> str:
    """The separator a form token names ("" for an unknown one: detected)."""
    return SEPARATORS.get(token, "")


def _shown(problem: FieldProblem) -> dict[str, object]:
    """A problem as the page shows it: its figures kept, so its reason can be translated."""
    return problem.as_dict() | {"params": dict(problem.params)}


def _open_questions(step: MappingStep, preview: FilePreview) -> list[str]:
    """The text columns, when each of them gives its own verbatims (a survey's questions)."""
    fields = step.document.get("fields")
    text = fields.get("text") if isinstance(fields, dict) else None
    if not isinstance(text, dict) or not text.get("each"):
        return []
    return [_question(c, preview.labels) for c in step.choices.columns_for("text")]


def _question(column: str, labels: dict[str, str]) -> str:
    label = labels.get(column, "")
    return f"{column} · {label}" if label and label != column else column


def short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def text_of(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def mode_of(form: FormData) -> Mode:
    value = text_of(form, "mode") or "all_or_nothing"
    for mode in MODES:
        if value == mode:
            return mode
    raise ValidationError.single("mode", f"must be one of {', '.join(MODES)}", value)


def choices_of(
    form: FormData, preview: FilePreview, encoding: str, delimiter: str = ""
) -> ColumnChoices:
    columns: dict[str, str] = {}
    for index, name in enumerate(preview.header):
        choice = text_of(form, f"col-{index}") or IGNORE
        if choice not in CHOICES:
            raise ValidationError.single(name, f"must be one of {', '.join(CHOICES)}", choice)
        columns[name] = choice
    constants = {n: v for n in CONSTANT_FIELDS if (v := text_of(form, f"const-{n}"))}
    source_type = constants.get("source_type")
    if source_type is not None and source_type not in SOURCE_TYPES:
        allowed = ", ".join(SOURCE_TYPES)
        raise ValidationError.single("source_type", f"must be one of {allowed}", source_type)
    date_order = text_of(form, "date_order")
    if date_order not in ("", *DATE_ORDERS):
        raise ValidationError.single(
            "date_order", f"must be one of {', '.join(DATE_ORDERS)}", date_order
        )
    return ColumnChoices(
        columns,
        constants,
        text_of(form, "date_format"),
        encoding,
        date_order=date_order,
        delimiter=delimiter,
    )
