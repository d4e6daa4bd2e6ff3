"""Whether a JSON value has the shape a TypedDict describes, checked at run time.

Stored JSON (the results cache) comes back untyped and may predate a change of format; this
check lets the reader trust it, or recompute, instead of serving a payload whose keys the
code no longer matches. It covers what the results format uses: TypedDicts (with
``NotRequired`` keys), ``list[...]``, ``dict[str, ...]``, unions, ``Literal`` and the JSON
scalars. A float accepts a whole number (JSON writes ``38``, not ``38.0``); nothing accepts a
bool but ``bool``.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Literal, NotRequired, Union, get_args, get_origin, get_type_hints, is_typeddict


def matches_shape(value: object, hint: object) -> bool:
    """Whether ``value`` (as ``json.loads`` returns it) fits the type ``hint``.

    >>> from typing import TypedDict
    >>> class Point(TypedDict):
    ...     x: float
    ...     label: str | None
    >>> matches_shape({"x": 1, "label": None}, Point), matches_shape({"x": 1}, Point)
    (True, False)
    >>> matches_shape([{"x": True, "label": "a"}], list[Point])
    False
    """
    origin, args = get_origin(hint), get_args(hint)
    if is_typeddict(hint):
        return _matches_typeddict(value, hint)
    if origin in (Union, types.UnionType):
        return any(matches_shape(value, option) for option in args)
    if origin is Literal:
        return any(type(value) is type(option) and value == option for option in args)
    if origin is list:
        return isinstance(value, list) and all(matches_shape(item, args[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            isinstance(key, str) and matches_shape(item, args[1]) for key, item in value.items()
        )
    return _matches_scalar(value, hint)


def _matches_scalar(value: object, hint: object) -> bool:
    if hint is None or hint is type(None):
        return value is None
    if hint is float:
        return type(value) in (int, float)
    if hint in (int, str, bool):
        return type(value) is hint
    raise TypeError(f"no JSON shape for the type {hint!r}")


def _matches_typeddict(value: object, hint: object) -> bool:
    if not isinstance(value, dict):
        return False
    fields, optional = _fields(hint)
    if not set(fields) - optional <= value.keys() <= set(fields):
        return False
    return all(matches_shape(item, fields[key]) for key, item in value.items())


@cache
def _fields(hint: object) -> tuple[dict[str, object], frozenset[str]]:
    """A TypedDict's field types and its optional keys, read once.

    ``__optional_keys__`` misses ``NotRequired`` under ``from __future__ import annotations``
    on Python 3.11, so the keys are read from the resolved hints instead.
    """
    fields: dict[str, object] = {}
    optional: set[str] = set()
    for key, field in get_type_hints(hint, include_extras=True).items():
        if get_origin(field) is NotRequired:
            optional.add(key)
            field = get_args(field)[0]
        fields[key] = field
    return fields, frozenset(optional)
