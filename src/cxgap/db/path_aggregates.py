"""A workspace's events read as *case shapes*: one row per case, in case order, with the
codes of its events and their times, for the paths report (``services.paths_compact``).

Activities, channels and touchpoints get small codes (``Codes``: 1, 2, …; 0 for a missing
channel or touchpoint). Each case comes back as ``(case, activities, channels,
touchpoints, times)``: three strings of comma-joined codes, its events in time order with
ties in file order (the order of ``event_reads.path_events``), and their instants in whole
microseconds since 1970. No event object is built, and cases that did the same things share
the same strings.

On PostgreSQL the server makes these rows (``string_agg`` per case), so one short row per
case travels. Elsewhere (SQLite) the same rows are made here from one ordered read of plain
tuples.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby
from operator import itemgetter

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cxgap.db.event_reads import STREAM
from cxgap.db.event_tables import EventRow

ShapeRow = tuple[str, str, str, str, list[int]]  # case, activities, channels, touchpoints, µs

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# The memory PostgreSQL may use to sort within a case, this transaction.
SHAPES_WORK_MEM = "64MB"

# Each case's strings, aggregated over the whole case in time and file order: a window
# (one sort of the events, shared by the five aggregates) rather than five ordered
# aggregates, which PostgreSQL 15 sorts one by one in every case.
_CASE_SHAPES = """
SELECT case_ref, activities, channels, touchpoints, times FROM (
  SELECT e.case_ref,
         row_number() OVER w AS place,
         string_agg(a.code::text, ',') OVER w AS activities,
         string_agg(coalesce(c.code, 0)::text, ',') OVER w AS channels,
         string_agg(coalesce(t.code, 0)::text, ',') OVER w AS touchpoints,
         string_agg(((extract(epoch FROM e.at) * 1000000)::bigint)::text, ',') OVER w AS times
  FROM events AS e
  JOIN unnest(CAST(:activities AS text[])) WITH ORDINALITY AS a(name, code)
    ON a.name = e.activity
  LEFT JOIN unnest(CAST(:channels AS text[])) WITH ORDINALITY AS c(name, code)
    ON c.name = e.channel
  LEFT JOIN unnest(CAST(:touchpoints AS text[])) WITH ORDINALITY AS t(name, code)
    ON t.name = e.touchpoint
  WHERE e.workspace_id = :workspace {kept}
  WINDOW w AS (PARTITION BY e.case_ref ORDER BY e.at, e.id
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
) AS per_event
WHERE place = 1
ORDER BY case_ref
"""


class Coded:
    """Names coded by their place in ``names``, from 1; code 0 stands for None."""

    def __init__(self, names: Sequence[str] = ()) -> None:
        self.names: list[str | None] = [None, *names]
        self._codes = {name: index for index, name in enumerate(self.names)}

    def code(self, name: str | None) -> int:
        """The code of ``name``, a new one the first time it is met."""
        found = self._codes.get(name)
        if found is None:
            self.names.append(name)
            found = self._codes[name] = len(self.names) - 1
        return found

    def decode(self, codes: str) -> list[str | None]:
        """The names of a comma-joined string of codes, in order."""
        names = self.names
        return [names[int(code)] for code in codes.split(",")]


@dataclass(frozen=True)
class Codes:
    """The codes of a workspace's activities, channels and touchpoints."""

    activities: Coded
    channels: Coded
    touchpoints: Coded

    def activity_names(self, codes: str) -> list[str]:
        return [str(name) for name in self.activities.decode(codes)]


def event_codes(session: Session, workspace_id: int) -> Codes:
    """The workspace's activities, channels and touchpoints, coded (sorted by name)."""
    rows = session.execute(
        select(EventRow.activity, EventRow.channel, EventRow.touchpoint)
        .where(EventRow.workspace_id == workspace_id)
        .group_by(EventRow.activity, EventRow.channel, EventRow.touchpoint)
    ).all()
    return Codes(
        *(Coded(sorted({str(row[i]) for row in rows if row[i] is not None})) for i in range(3))
    )


def case_shapes(
    session: Session, workspace_id: int, members: Collection[str] | None = None
) -> tuple[Codes, Iterator[ShapeRow]]:
    """The workspace's codes and its cases as shape rows, in case order (see the module);
    ``members``: the cases to keep (None: all), left out by the server on PostgreSQL."""
    if session.get_bind().dialect.name != "postgresql":
        codes = Codes(Coded(), Coded(), Coded())
        rows = _read_shapes(session, workspace_id, codes)
        if members is not None:
            rows = (row for row in rows if row[0] in members)
        return codes, rows
    codes = event_codes(session, workspace_id)
    return codes, _server_shapes(session, workspace_id, codes, members)


def _server_shapes(
    session: Session, workspace_id: int, codes: Codes, members: Collection[str] | None
) -> Iterator[ShapeRow]:
    """PostgreSQL: the rows made by the server, read through a server-side cursor."""
    conn = session.connection()
    conn.execute(text(f"SET LOCAL work_mem = '{SHAPES_WORK_MEM}'"))
    params: dict[str, object] = {
        "workspace": workspace_id,
        "activities": codes.activities.names[1:],
        "channels": codes.channels.names[1:],
        "touchpoints": codes.touchpoints.names[1:],
    }
    kept = ""
    if members is not None:  # a hashed array test: one lookup an event
        kept, params["members"] = "AND e.case_ref = ANY(CAST(:members AS text[]))", list(members)
    statement = text(_CASE_SHAPES.format(kept=kept)).execution_options(yield_per=STREAM)
    rows = conn.execute(statement, params)
    for case, activities, channels, touchpoints, times in rows:
        yield case, activities, channels, touchpoints, list(map(int, times.split(",")))


def _read_shapes(session: Session, workspace_id: int, codes: Codes) -> Iterator[ShapeRow]:
    """Any database: one ordered read of plain tuples, grouped by case here."""
    statement = (
        select(EventRow.case_ref, EventRow.at, EventRow.activity, EventRow.channel,
               EventRow.touchpoint)
        .where(EventRow.workspace_id == workspace_id)
        .order_by(EventRow.case_ref, EventRow.at, EventRow.id)
        .execution_options(yield_per=STREAM)
    )  # fmt: skip
    kinds = (codes.activities, codes.channels, codes.touchpoints)
    for case, rows in groupby(session.connection().execute(statement), key=itemgetter(0)):
        events = list(rows)
        activities, channels, touchpoints = (
            ",".join(str(coded.code(names)) for names in column)
            for coded, column in zip(kinds, list(zip(*events, strict=True))[2:], strict=True)
        )
        yield (case, activities, channels, touchpoints,
               [(at - _EPOCH) // _MICROSECOND for _, at, _, _, _ in events])  # fmt: skip
