"""Frozen view objects (dataclasses of numbers, strings, dates, tuples, lists and dicts) to
JSON and back, guided by their type hints: a page's figures computed by a job, stored, and
read again by the page as the very objects the service returns (``services.listening_exact``).

``decode(T, encode(value)) == value`` for every such value; a float that is not finite is
stored as its name (JSON has no NaN), a date or a time in ISO 8601.

>>> from cxgap.analytics.irritants import PeriodShare
>>> encode(PeriodShare("2026-01-01", 4, 1))
{'period': '2026-01-01', 'mentions': 4, 'negative': 1}
>>> decode(PeriodShare, {"period": "2026-01-01", "mentions": 4, "negative": 1})
PeriodShare(period='2026-01-01', mentions=4, negative=1)
>>> decode(tuple[float, float] | None, ["nan", 2])
(nan, 2.0)
"""

from __future__ import annotations

import dataclasses
import math
import types
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints

T = TypeVar("T")
Json = None | bool | int | float | str | list[Any] | dict[str, Any]


def encode(value: object) -> Json:
    """``value`` as JSON values (dicts, lists, strings, numbers, None)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {_key(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [encode(item) for item in items]
    raise TypeError(f"Cannot store a {type(value).__name__} as JSON")


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"Only string keys are stored, not {key!r}")
    return key


def decode(hint: type[T] | Any, data: Any) -> T:
    """The value of type ``hint`` that :func:`encode` gave ``data`` for."""
    return cast(T, _decode(hint, data))


def _decode(hint: Any, data: Any) -> Any:
    if hint is Any or hint is object:
        return data
    origin, args = get_origin(hint), get_args(hint)
    if origin is Union or origin is types.UnionType:
        return _union(args, data)
    if origin is Literal:
        if data not in args:
            raise ValueError(f"{data!r} is not one of {args}")
        return data
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in data)
        if len(args) != len(data):
            raise ValueError(f"expected {len(args)} values, got {len(data)}")
        return tuple(_decode(a, item) for a, item in zip(args, data, strict=True))
    if origin in (list, Sequence):
        return [_decode(args[0] if args else Any, item) for item in data]
    if origin in (frozenset, set):
        items = (_decode(args[0] if args else Any, item) for item in data)
        return frozenset(items) if origin is frozenset else set(items)
    if origin in (dict, Mapping):
        value = args[1] if args else Any
        return {str(k): _decode(value, v) for k, v in data.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        known = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{name: _decode(hints[name], v) for name, v in data.items() if name in known})
    return _scalar(hint, data)


def _union(args: tuple[Any, ...], data: Any) -> Any:
    if data is None and type(None) in args:
        return None
    problems = []
    for arg in args:
        if arg is type(None):
            continue
        try:
            return _decode(arg, data)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            problems.append(str(exc))
    raise ValueError(f"{data!r} fits none of {args}: {'; '.join(problems)}")


def _scalar(hint: Any, data: Any) -> Any:
    if hint is datetime:
        return datetime.fromisoformat(data)
    if hint is date:
        return date.fromisoformat(data)
    if hint is float:
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            raise TypeError(f"{data!r} is not a number")
        return float(data)
    if hint in (int, str, bool):
        if not isinstance(data, hint) or (hint is int and isinstance(data, bool)):
            raise TypeError(f"{data!r} is not a {hint.__name__}")
        return data
    raise TypeError(f"Cannot read a {hint!r} from JSON")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)
