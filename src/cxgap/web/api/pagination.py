"""Pages of a list: ``limit`` and an opaque ``cursor``, answered with ``items`` and ``next``."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from cxgap.errors import ValidationError

T = TypeVar("T")
DEFAULT_LIMIT = 100
MAX_LIMIT = 500

LimitQuery = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})")
]
CursorQuery = Annotated[
    str | None, Query(max_length=200, description="The `next` value of the previous page")
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = Field(
        None, description="Pass as `cursor` to get the next page; null on the last page"
    )


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def decode_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw.startswith("o") and raw[1:].isdigit():
            return int(raw[1:])
    except (ValueError, UnicodeDecodeError):
        pass
    raise ValidationError.single("cursor", "is not a page cursor from this API", cursor)


def paginate(items: Sequence[T], *, limit: int, cursor: str | None) -> tuple[list[T], str | None]:
    """One page of ``items`` and the cursor of the next page (None at the end)."""
    start = decode_offset(cursor)
    end = start + limit
    return list(items[start:end]), encode_offset(end) if end < len(items) else None
