"""Which feedback rows a membership change is about, as values, and their SQL condition with
bind parameters: the statements of a membership's upkeep (``db.segment_members``,
``db.listening_segments``) are then built once per shape and reused with these values.

Building them on every call (a SQLAlchemy statement of unions and upserts per Listening
table) was about 30 % of the CPU of a demo build, for a few milliseconds of SQL each.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import BindParameter, ColumnElement, Integer, bindparam

from cxgap.db.tables import Feedback, SegmentMember

SEGMENT = "members_segment_id"
WORKSPACE = "members_workspace_id"
_AFTER, _UPTO, _IDS = "members_after", "members_upto", "members_ids"


@dataclass(frozen=True)
class IdRange:
    """The feedback rows whose id is above ``after`` and at most ``upto``."""

    after: int
    upto: int


@dataclass(frozen=True)
class IdList:
    """The feedback rows of these ids."""

    ids: tuple[int, ...]


Rows = IdRange | IdList


def shape(rows: Rows) -> str:
    """The key of the statements that take ``rows`` as parameters."""
    return "range" if isinstance(rows, IdRange) else "ids"


def condition(shape: str) -> ColumnElement[bool]:
    """``Feedback.id`` among the rows of ``shape``, their bounds or ids as parameters."""
    if shape == "range":
        after = bindparam(_AFTER, type_=Integer)
        return (Feedback.id > after) & (Feedback.id <= bindparam(_UPTO, type_=Integer))
    return Feedback.id.in_(bindparam(_IDS, expanding=True))


def member_ids_condition() -> ColumnElement[bool]:
    """``SegmentMember.feedback_id`` among the rows of shape "ids"."""
    return SegmentMember.feedback_id.in_(bindparam(_IDS, expanding=True))


def segment() -> BindParameter[int]:
    """The segment's id, as the parameter ``SEGMENT``."""
    return bindparam(SEGMENT, type_=Integer)


def values(rows: Rows) -> dict[str, Any]:
    """The parameters of ``condition(shape(rows))``."""
    if isinstance(rows, IdRange):
        return {_AFTER: rows.after, _UPTO: rows.upto}
    return {_IDS: list(rows.ids)}


K = TypeVar("K")
V = TypeVar("V")


class Built(Generic[K, V]):
    """Statements built once per key, the least recently used dropped past ``size`` (keys
    may hold a segment's rule: a long-lived server must not keep every rule it ever saw)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()  # a web process upkeeps from several threads

    def get(self, key: K, build: Callable[[], V]) -> V:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                found = self._items[key] = build()
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return found
