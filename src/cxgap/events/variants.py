"""A workspace's variants: on PostgreSQL counted by the server (only the distinct paths come
back); elsewhere in one ordered scan of the stored events' case and activity.

The contract of ``cxgap events variants``: a variant is the sequence of activity names of
one case in timestamp order, ties kept in file order; every event counts unless the caller
asks for some lifecycle transitions only (``lifecycles``, e.g. ``{"complete"}``).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from cxgap.db.event_reads import case_paths, variant_counts
from cxgap.paths.variants import Variant, Variants, count_variants

# Whether PostgreSQL counts the variants itself; the bench (bench/events_import.py) sets
# False to time the scan in the same run.
on_server = True


def workspace_variants(
    session: Session, workspace_id: int, *, lifecycles: Collection[str] | None = None
) -> Variants:
    """Every variant of the workspace's events, most frequent first."""
    wanted = None if lifecycles is None else sorted({name.lower() for name in lifecycles})
    if not (on_server and session.get_bind().dialect.name == "postgresql"):
        return count_variants(path for _, path in case_paths(session, workspace_id, wanted))
    counted = list(variant_counts(session, workspace_id, wanted))
    cases = sum(n for _, n in counted)
    return Variants(
        cases=cases,
        events=sum(len(path) * n for path, n in counted),
        variants=tuple(Variant(path, n, n / cases) for path, n in counted),
    )
