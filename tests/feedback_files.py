"""Large feedback files written on the fly (the generic preset's columns)."""

from __future__ import annotations

from pathlib import Path

HEADER = "source_id,source_type,channel,collected_at,text,nps,customer_ref,language\n"


def write_generic_csv(path: Path, rows: int, prefix: str = "G") -> Path:
    """``rows`` distinct reviews, ``{prefix}-1`` … ``{prefix}-{rows}``."""
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(1, rows + 1):
            out.write(
                f"{prefix}-{i},review,web,2024-03-11T10:30:00+01:00,"
                f"Delivery number {i} came late,{i % 11},C-{i % 97},en\n"
            )
    return path
