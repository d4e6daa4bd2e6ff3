"""What an import did: counts, duplicates and problems, and whether anything may be stored.

Two modes, the user's choice, and never a silent half-import:

- ``all_or_nothing``: one problem anywhere and the caller stores nothing (``ok`` is False);
- ``skip_invalid``: the valid records are stored and the refused rows are reported.

A problem with the file itself (unreadable, no header, a mapped column missing) refuses the
import in both modes. Problems are kept up to ``MAX_PROBLEMS_KEPT``, the rest only counted,
so that a file of a million bad rows cannot exhaust memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Literal

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.records import FeedbackRecord

Mode = Literal["all_or_nothing", "skip_invalid"]
MODES: tuple[Mode, ...] = ("all_or_nothing", "skip_invalid")
MAX_PROBLEMS_KEPT = 1_000
MAX_DUPLICATES_KEPT = 100
# In-file duplicates are found from a 64-bit fingerprint per id; past this many records
# (about 100 MB of fingerprints) the check stops and the store's upsert takes over.
MAX_IDS_TRACKED = 1_000_000
_content_fields = attrgetter(*(f.name for f in fields(FeedbackRecord) if f.name != "attributes"))


@dataclass
class ImportReport:
    """Counts and problems of one import, filled in while its records stream through."""

    source: str
    mode: Mode = "all_or_nothing"
    rows_read: int = 0
    records_valid: int = 0
    rows_refused: int = 0
    duplicates: int = 0
    # Responses with no answer and no score: normal in survey exports, skipped and counted.
    skipped_blank: int = 0
    problems_total: int = 0
    file_refused: bool = False
    problems: list[FieldProblem] = field(default_factory=list)
    # (row, row of its first occurrence) for the first MAX_DUPLICATES_KEPT duplicates.
    duplicate_rows: list[tuple[int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")

    @property
    def ok(self) -> bool:
        """May the caller store the valid records?"""
        if self.file_refused:
            return False
        return self.mode == "skip_invalid" or self.problems_total == 0

    @property
    def problems_not_kept(self) -> int:
        return self.problems_total - len(self.problems)

    def restart(self) -> None:
        """Forget every count and problem: the file is read again from its first row."""
        fresh = ImportReport(source=self.source, mode=self.mode)
        self.__dict__.update(fresh.__dict__)

    def add_problems(self, problems: Iterable[FieldProblem]) -> None:
        for problem in problems:
            self.problems_total += 1
            if len(self.problems) < MAX_PROBLEMS_KEPT:
                self.problems.append(problem)

    def refuse_file(self, problems: Iterable[FieldProblem]) -> None:
        self.file_refused = True
        self.add_problems(problems)

    def refuse_row(self, problems: list[FieldProblem]) -> None:
        self.rows_refused += 1
        self.add_problems(problems)

    def add_duplicate(self, row: int, first_row: int) -> None:
        self.duplicates += 1
        if len(self.duplicate_rows) < MAX_DUPLICATES_KEPT:
            self.duplicate_rows.append((row, first_row))

    def raise_if_refused(self) -> None:
        """Raise the ValidationError the front ends render when nothing may be stored."""
        if not self.ok:
            raise ValidationError(self.problems, summary=self.summary())

    def summary(self) -> str:
        if self.ok:
            return (
                f"{self.source}: {self.records_valid:,} records, {self.rows_refused:,} rows "
                f"refused, {self.duplicates:,} duplicates skipped, {self.skipped_blank:,} "
                "blank responses skipped"
            )
        return f"Import of {self.source} refused, nothing was stored"

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "mode": self.mode,
            "ok": self.ok,
            "rows_read": self.rows_read,
            "records_valid": self.records_valid,
            "rows_refused": self.rows_refused,
            "duplicates": self.duplicates,
            "skipped_blank": self.skipped_blank,
            "duplicate_rows": [list(pair) for pair in self.duplicate_rows],
            "problems_total": self.problems_total,
            "problems_not_kept": self.problems_not_kept,
            "problems": [p.as_dict() | {"params": dict(p.params)} for p in self.problems],
            "notes": list(self.notes),
        }


def _content(record: FeedbackRecord) -> int:
    """A 32-bit fingerprint of everything a record says."""
    return hash((_content_fields(record), *record.attributes.items())) & 0xFFFFFFFF


class DuplicateFilter:
    """Spots a source id seen earlier in the same file.

    The same id with the same content is a duplicate (skipped, counted); the same id with
    different content is a problem, since one of the two rows would silently be lost.
    Memory: one fingerprint pair per record, for the first ``limit`` records. Fingerprints
    are Python's own 64-bit hashes: salted per process, which is fine for one file's check.
    """

    def __init__(self, limit: int = MAX_IDS_TRACKED) -> None:
        self.limit = limit
        self.seen: dict[int, int] = {}  # id fingerprint -> content fingerprint << 32 | row
        self.full = False

    def check(self, record: FeedbackRecord, row: int) -> tuple[str, int] | None:
        """None for a new id, else ("duplicate" | "conflict", row of the first occurrence)."""
        key = hash((record.source_type, record.source_id))
        content = _content(record)
        earlier = self.seen.get(key)
        if earlier is not None:
            kind = "duplicate" if earlier >> 32 == content else "conflict"
            return kind, earlier & 0xFFFFFFFF
        if len(self.seen) < self.limit:
            self.seen[key] = content << 32 | (row & 0xFFFFFFFF)
        else:
            self.full = True
        return None
