"""Ranges of text hashes that split the pending texts of an enrichment between read tasks
(``jobs.ray_data``); apart from Ray Data so that it imports, and its example runs, without it."""

from __future__ import annotations

HASH_PREFIX = 8  # hex digits of the bounds between read ranges


def hash_ranges(count: int) -> list[tuple[str | None, str | None]]:
    """``count`` ranges (above the first bound, up to the second) that cover every string;
    text hashes are hexadecimal SHA-256 digests, so each range holds about as many.

    >>> hash_ranges(1)
    [(None, None)]
    >>> hash_ranges(4)
    [(None, '40000000'), ('40000000', '80000000'), ('80000000', 'c0000000'), ('c0000000', None)]
    """
    space = 16**HASH_PREFIX
    bounds: list[str | None] = [
        format(space * n // count, f"0{HASH_PREFIX}x") for n in range(1, count)
    ]
    return list(zip([None, *bounds], [*bounds, None], strict=True))
