"""Event mapping files: a JSON object in the style of the feedback mapping files
(``cxgap.ingest.mappingfile``), optionally on top of a preset::

    {
      "preset": "crm",
      "read": {"delimiter": ";", "encoding": "cp1252"},
      "timezone": "Europe/Paris",
      "fields": {"case": "Client", "activity": "Action",
                 "timestamp": {"column": "Quand", "date_format": "%d/%m/%Y %H:%M"},
                 "outcome": null},
      "date_order": "dmy",
      "keep": ["Agence"], "drop": ["Commentaire"], "keep_contacts": [],
      "activities": {"Appel entrant": "call-centre", "Relance": null}
    }

A field given as a column name (or a list of candidates) replaces the preset's candidates;
``null`` removes the field. ``activities`` maps activity names onto the workspace journey's
touchpoint keys (``null``: not a touchpoint). Every problem is reported at once, each naming
the key and the value.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

from cxgap.errors import FieldProblem, ValidationError
from cxgap.events.spec import ALL_PRESETS, EVENT_FIELDS, EventSpec
from cxgap.ingest.dateorder import DATE_ORDERS
from cxgap.ingest.mappingfile import _date_formats, _Problems, _read, _timezone
from cxgap.ingest.tables import ReadOptions

REFUSED = "Mapping file refused"
_TOP_KEYS = {
    "preset", "name", "description", "read", "timezone", "fields", "date_order", "keep",
    "drop", "keep_contacts", "activities",
}  # fmt: skip
_FIELD_KEYS = {"column", "columns", "date_format"}


def load_event_mapping(path: str | Path) -> EventSpec:
    """Read an event mapping file; a file that is not valid JSON is refused with its line."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = (
            f" at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            if isinstance(exc, json.JSONDecodeError)
            else ": not UTF-8 text"
        )
        problem = FieldProblem("(file)", f"is not valid JSON{where}", source=path.name)
        raise ValidationError([problem], summary=REFUSED) from None
    except RecursionError:
        problem = FieldProblem("(file)", "nests too deeply to be a mapping", source=path.name)
        raise ValidationError([problem], summary=REFUSED) from None
    return parse_event_mapping(data, source=path.name)


def parse_event_mapping(data: object, *, source: str | None = None) -> EventSpec:
    """An EventSpec from a decoded JSON object (a mapping file, or the browser's form)."""
    problems = _Problems(source)
    if not isinstance(data, dict):
        problems.add("(mapping)", "must be a JSON object", type(data).__name__)
        raise ValidationError(problems, summary=REFUSED)
    for key in sorted(set(data) - _TOP_KEYS):
        problems.add(key, f"is not a mapping key (known: {', '.join(sorted(_TOP_KEYS))})")
    base = _base(data.get("preset"), problems)
    fields, date_format = _fields(data.get("fields", {}), base, problems)
    named = set(data["fields"]) if isinstance(data.get("fields"), dict) else set()
    spec = dataclasses.replace(
        base,
        name=_text(data, "name", problems) or (base.name if data.get("preset") else "custom"),
        description=_text(data, "description", problems) or base.description,
        read=_read_options(data.get("read", {}), problems),
        fields=fields,
        hints={name: words for name, words in base.hints.items() if name not in named},
        date_format=date_format or base.date_format,
        date_order=_order(data.get("date_order", base.date_order), problems),
        timezone=_timezone(data.get("timezone", base.timezone), problems),
        keep=_names(data, "keep", problems, base.keep),
        drop=_names(data, "drop", problems, base.drop) or (),
        keep_contacts=_names(data, "keep_contacts", problems, base.keep_contacts) or (),
        activities=_activities(data.get("activities", {}), problems),
    )
    if problems:
        raise ValidationError(problems, summary=REFUSED)
    return spec


def _base(preset: object, problems: _Problems) -> EventSpec:
    if preset is None:
        return ALL_PRESETS["generic"]
    if isinstance(preset, str) and preset in ALL_PRESETS:
        return ALL_PRESETS[preset]
    problems.add("preset", f"must be one of {', '.join(ALL_PRESETS)}", preset, "choice")
    return ALL_PRESETS["generic"]


def _text(data: Mapping[str, object], key: str, problems: _Problems) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        problems.add(key, "must be text", value)
        return None
    return value


def _read_options(value: object, problems: _Problems) -> dict[str, object]:
    options = _read(value, ReadOptions(), problems)
    return {
        name: getattr(options, name)
        for name in ("format", "encoding", "delimiter", "sheet", "records_key")
        if getattr(options, name) is not None
    }


def _names(
    data: Mapping[str, object],
    key: str,
    problems: _Problems,
    inherited: tuple[str, ...] | None,
) -> tuple[str, ...] | None:
    if key not in data:
        return inherited
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.add(key, "must be a list of column names", value)
        return inherited
    return tuple(value)


def _order(value: object, problems: _Problems) -> str | None:
    if value is None or (isinstance(value, str) and value in DATE_ORDERS):
        return value
    problems.add("date_order", f"must be one of {', '.join(DATE_ORDERS)}", value, "choice")
    return None


def _fields(
    value: object, base: EventSpec, problems: _Problems
) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    fields = dict(base.fields)
    date_format: tuple[str, ...] = ()
    if not isinstance(value, dict):
        problems.add("fields", "must be an object", value)
        return fields, date_format
    for name, entry in value.items():
        key = f"fields.{name}"
        if name not in EVENT_FIELDS:
            problems.add(key, f"is not an event field ({', '.join(EVENT_FIELDS)})")
        elif entry is None:
            fields[name] = ()
        elif isinstance(entry, str) and entry:
            fields[name] = (entry,)
        elif isinstance(entry, list) and entry and all(isinstance(c, str) for c in entry):
            fields[name] = tuple(entry)
        elif isinstance(entry, dict):
            for unknown in sorted(set(entry) - _FIELD_KEYS):
                problems.add(
                    f"{key}.{unknown}", f"is not a field option ({', '.join(_FIELD_KEYS)})"
                )
            columns = [entry["column"]] if "column" in entry else list(entry.get("columns", []))
            if not columns or not all(isinstance(c, str) and c for c in columns):
                problems.add(f"{key}.column", "must be a column name or a list of them", entry)
            else:
                fields[name] = tuple(columns)
            if "date_format" in entry:
                if name != "timestamp":
                    problems.add(f"{key}.date_format", "only the timestamp takes a date format")
                date_format = tuple(
                    _date_formats(entry["date_format"], f"{key}.date_format", problems)
                )
        else:
            problems.add(key, "must be a column name, a list of them, an object or null", entry)
    return fields, date_format


def _activities(value: object, problems: _Problems) -> dict[str, str | None]:
    if not isinstance(value, dict):
        problems.add("activities", "must be an object mapping activity names to touchpoints", value)
        return {}
    mapped: dict[str, str | None] = {}
    for activity, touchpoint in value.items():
        if touchpoint is not None and (not isinstance(touchpoint, str) or not touchpoint.strip()):
            problems.add(f"activities.{activity}", "must be a touchpoint key or null", touchpoint)
        else:
            mapped[activity] = None if touchpoint is None else touchpoint.strip()
    return mapped
