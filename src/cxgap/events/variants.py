"""A workspace's variants, computed in one ordered scan of its stored events.

The contract of ``cxgap events variants``: a variant is the sequence of activity names of
one case in timestamp order, ties kept in file order; every event counts unless the caller
asks for some lifecycle transitions only (``lifecycles``, e.g. ``{"complete"}``).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from cxgap.db.event_reads import case_paths
from cxgap.paths.variants import Variants, count_variants


def workspace_variants(
    session: Session, workspace_id: int, *, lifecycles: Collection[str] | None = None
) -> Variants:
    """Every variant of the workspace's events, most frequent first."""
    wanted = None if lifecycles is None else sorted({name.lower() for name in lifecycles})
    return count_variants(path for _, path in case_paths(session, workspace_id, wanted))
