"""Mapping files: a JSON object describing a MappingSpec, optionally on top of a preset.

Every problem in the file is reported at once, each naming the key (``fields.nps.column``)
and the value.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.dateorder import DATE_ORDERS
from cxgap.ingest.dates import check_formats, zone
from cxgap.ingest.headers import HEADER_STYLES
from cxgap.ingest.presets import PRESETS
from cxgap.ingest.spec import RECORD_FIELDS, FieldMap, MappingSpec
from cxgap.ingest.tables import FORMATS, ReadOptions

_TOP_KEYS = {"preset", "name", "description", "read", "timezone", "fields", "keep", "keep_contacts"}
_FIELD_KEYS = {
    "column",
    "columns",
    "pattern",
    "tag_pattern",
    "companion",
    "const",
    "default",
    "values",
    "date_format",
    "separator",
    "optional",
    "each",
    "detect",
    "date_order",
}
_READ_TYPES: dict[str, type] = {
    "format": str,
    "encoding": str,
    "delimiter": str,
    "sheet": str,
    "header_rows": int,
    "header_style": str,
    "records_key": str,
}


class _Problems(list[FieldProblem]):
    def __init__(self, source: str | None) -> None:
        super().__init__()
        self.source = source

    def add(self, key: str, message: str, value: object = None, code: str = "format") -> None:
        self.append(FieldProblem(key, message, value, source=self.source, code=code))


def load_mapping(path: str | Path) -> MappingSpec:
    """Read a mapping file; a file that is not valid JSON is refused with its line."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise ValidationError(
            [FieldProblem("(file)", message, source=path.name, code="format")],
            summary="Mapping file refused",
        ) from None
    except RecursionError:  # a hostile file nested thousands of levels deep
        message = "nests objects or lists too deeply to be a mapping file"
        raise ValidationError(
            [FieldProblem("(file)", message, source=path.name, code="format")],
            summary="Mapping file refused",
        ) from None
    return parse_mapping(data, source=path.name)


def parse_mapping(data: object, *, source: str | None = None) -> MappingSpec:
    """A MappingSpec from a decoded JSON object (a mapping file, or the browser's form)."""
    problems = _Problems(source)
    if not isinstance(data, dict):
        problems.add("(mapping)", "must be a JSON object", type(data).__name__)
        raise ValidationError(problems, summary="Mapping file refused")
    for key in sorted(set(data) - _TOP_KEYS):
        problems.add(key, f"is not a mapping key (known: {', '.join(sorted(_TOP_KEYS))})")
    base = _base(data.get("preset"), problems)
    spec = dataclasses.replace(
        base,
        name=_text(data, "name", problems) or (base.name if data.get("preset") else "custom"),
        description=_text(data, "description", problems) or base.description,
        read=_read(data.get("read", {}), base.read, problems),
        fields=_fields(data.get("fields", {}), base.fields, problems),
        keep=_names(data, "keep", problems, base.keep),
        keep_contacts=_names(data, "keep_contacts", problems, base.keep_contacts),
        timezone=_timezone(data.get("timezone", base.timezone), problems),
    )
    if problems:
        raise ValidationError(problems, summary="Mapping file refused")
    return spec


def _base(preset: object, problems: _Problems) -> MappingSpec:
    if preset is None:
        return MappingSpec(name="custom", fields={})
    if isinstance(preset, str) and preset in PRESETS:
        return PRESETS[preset]
    problems.add("preset", f"must be one of {', '.join(PRESETS)}", preset, "choice")
    return MappingSpec(name="custom", fields={})


def _text(data: Mapping[str, object], key: str, problems: _Problems) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        problems.add(key, "must be text", value)
        return None
    return value


def _names(
    data: Mapping[str, object], key: str, problems: _Problems, inherited: tuple[str, ...]
) -> tuple[str, ...]:
    if key not in data:
        return inherited
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(key, "must be a list of column names", value)
        return ()
    return tuple(value)


def _timezone(value: object, problems: _Problems) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add("timezone", "must be text such as Europe/Paris", value)
        return None
    try:
        zone(value)
    except ValueError as exc:
        problems.add("timezone", str(exc), value, "choice")
        return None
    return value


def _read(value: object, base: ReadOptions, problems: _Problems) -> ReadOptions:
    if not isinstance(value, dict):
        problems.add("read", "must be an object", value)
        return base
    changes: dict[str, object] = {}
    for key, item in value.items():
        expected = _READ_TYPES.get(key)
        if expected is None:
            problems.add(f"read.{key}", f"is not a read option ({', '.join(_READ_TYPES)})")
        elif item is not None and (type(item) is not expected):
            problems.add(f"read.{key}", f"must be {expected.__name__}", item)
        else:
            changes[key] = item
    _check_read(changes, problems)
    try:
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return base


def _check_read(changes: dict[str, object], problems: _Problems) -> None:
    checks: dict[str, tuple[Callable[[Any], bool], str]] = {
        "format": (lambda v: v in FORMATS, f"must be one of {', '.join(FORMATS)}"),
        "header_style": (
            lambda v: v in HEADER_STYLES,
            f"must be one of {', '.join(HEADER_STYLES)}",
        ),
        "header_rows": (lambda v: 1 <= v <= 10, "must be from 1 to 10"),
        "delimiter": (lambda v: len(v) == 1, "must be a single character"),
    }
    for key, (ok, message) in checks.items():
        value = changes.get(key)
        if value is not None and not ok(value):
            problems.add(f"read.{key}", message, value, "choice")
            del changes[key]


def _fields(
    value: object, inherited: Mapping[str, FieldMap], problems: _Problems
) -> dict[str, FieldMap]:
    fields = dict(inherited)
    if not isinstance(value, dict):
        problems.add("fields", "must be an object", value)
        return fields
    for name, entry in value.items():
        if name not in RECORD_FIELDS:
            problems.add(f"fields.{name}", f"is not a record field ({', '.join(RECORD_FIELDS)})")
        elif entry is None:
            fields.pop(name, None)
        else:
            parsed = _field(f"fields.{name}", entry, problems)
            if parsed is not None:
                fields[name] = parsed
    return fields


def _field(key: str, entry: object, problems: _Problems) -> FieldMap | None:
    if isinstance(entry, str):
        return FieldMap(columns=(entry,))
    if not isinstance(entry, dict):
        problems.add(key, "must be a column name or an object", entry)
        return None
    known = ", ".join(sorted(_FIELD_KEYS))
    for unknown in sorted(set(entry) - _FIELD_KEYS):
        problems.add(f"{key}.{unknown}", f"is not a field option ({known})")
    count = len(problems)
    options = _field_options(key, entry, problems)
    return FieldMap(**options) if len(problems) == count else None  # type: ignore[arg-type]


def _field_options(key: str, entry: dict[str, object], problems: _Problems) -> dict[str, object]:
    columns = _string_list(entry.get("columns", []), f"{key}.columns", problems)
    if "column" in entry:
        columns = [*_string_list([entry["column"]], f"{key}.column", problems), *columns]
    if "const" in entry and "default" in entry:
        problems.add(f"{key}.const", "give const or default, not both")
    fixed = entry.get("const", entry.get("default"))
    options: dict[str, object] = {
        "columns": tuple(columns),
        "default": None if fixed is None else str(fixed),
        "values": _value_map(entry.get("values", {}), f"{key}.values", problems),
        "date_format": _date_formats(entry.get("date_format"), f"{key}.date_format", problems),
        "separator": str(entry.get("separator", "\n\n")),
        "optional": bool(entry.get("optional", False)),
        "each": bool(entry.get("each", False)),
        "detect": bool(entry.get("detect", False)),
        "date_order": _date_order(entry.get("date_order"), f"{key}.date_order", problems),
    }
    for name in ("pattern", "tag_pattern", "companion"):
        options[name] = _regex(entry.get(name), f"{key}.{name}", problems, name != "companion")
    if "const" in entry and (columns or options["pattern"] or options["tag_pattern"]):
        problems.add(f"{key}.const", "a constant takes no column; use default for a fallback")
    return options


def _date_order(value: object, key: str, problems: _Problems) -> str | None:
    if value is None or (isinstance(value, str) and value in DATE_ORDERS):
        return value
    problems.add(key, f"must be one of {', '.join(DATE_ORDERS)}", value, "choice")
    return None


def _string_list(value: object, key: str, problems: _Problems) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.add(key, "must be a column name or a list of them", value)
        return []
    return list(value)


def _value_map(value: object, key: str, problems: _Problems) -> dict[str, str | None]:
    if not isinstance(value, dict):
        problems.add(key, "must be an object mapping cell values to values", value)
        return {}
    mapped: dict[str, str | None] = {}
    for source, target in value.items():
        if target is not None and not isinstance(target, (str, int)):
            problems.add(f"{key}.{source}", "must be text, a whole number or null", target)
        else:
            mapped[source] = None if target is None else str(target)
    return mapped


def _date_formats(value: object, key: str, problems: _Problems) -> tuple[str, ...]:
    formats = [value] if isinstance(value, str) else value if value is not None else []
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        problems.add(key, "must be a date format or a list of them", value)
        return ()
    reason = check_formats(formats)
    if reason:
        problems.add(key, reason, value)
    return tuple(formats)


def _regex(value: object, key: str, problems: _Problems, compile_it: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        problems.add(key, "must be text", value)
        return None
    if compile_it:
        try:
            re.compile(value)
        except re.error as exc:
            problems.add(key, f"is not a valid regular expression: {exc}", value)
            return None
    return value
