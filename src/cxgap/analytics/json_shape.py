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
from collections.abc import Callable
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
    return _checker(hint)(value)


Check = Callable[[object], bool]

_SCALARS: dict[object, Check] = {
    None: lambda value: value is None,
    type(None): lambda value: value is None,
    float: lambda value: type(value) in (int, float),
    int: lambda value: type(value) is int,
    str: lambda value: type(value) is str,
    bool: lambda value: type(value) is bool,
}

# The Python types json.loads gives for each scalar hint.
_SCALAR_TYPES: dict[object, tuple[type, ...]] = {
    type(None): (type(None),),
    float: (int, float),
    int: (int,),
    str: (str,),
    bool: (bool,),
}


@cache
def _checker(hint: object) -> Check:
    """A check for ``hint``, built once: the cache reads a results object on every page."""
    origin, args = get_origin(hint), get_args(hint)
    if is_typeddict(hint):
        return _typeddict_checker(hint)
    if origin in (Union, types.UnionType):
        if all(option in _SCALAR_TYPES for option in args):  # float | None: most leaves
            allowed = frozenset(t for option in args for t in _SCALAR_TYPES[option])
            return lambda value: type(value) in allowed
        options = tuple(_checker(option) for option in args)
        return lambda value: any(check(value) for check in options)
    if origin is Literal:
        return lambda value: any(type(value) is type(a) and value == a for a in args)
    if origin is list:
        item = _checker(args[0])
        return lambda value: isinstance(value, list) and all(item(v) for v in value)
    if origin is dict:
        entry = _checker(args[1])
        return lambda value: (
            isinstance(value, dict)
            and all(type(key) is str and entry(v) for key, v in value.items())
        )
    if hint in _SCALARS:
        return _SCALARS[hint]
    raise TypeError(f"no JSON shape for the type {hint!r}")


def _typeddict_checker(hint: object) -> Check:
    fields, optional = _fields(hint)
    checks = {key: _checker(field) for key, field in fields.items()}
    keys = frozenset(fields)
    required = keys - optional

    def check(value: object) -> bool:
        if not isinstance(value, dict) or not required <= value.keys() <= keys:
            return False
        return all(checks[key](item) for key, item in value.items())

    return check


def _fields(hint: object) -> tuple[dict[str, object], frozenset[str]]:
    """A TypedDict's field types and its optional keys.

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
