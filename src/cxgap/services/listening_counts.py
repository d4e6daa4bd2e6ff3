"""The Listening counts' repair tool: one workspace's counts recomputed from its rows
(``db.listening_counts.rebuild``), with how many count rows it now has."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import Workspace


@dataclass(frozen=True)
class Rebuilt:
    workspace: str
    rows: int  # count rows now stored, all tables together


def rebuild_counts(session: Session, *, workspace: Workspace) -> Rebuilt:
    """Recompute the workspace's Listening counts in the caller's transaction."""
    listening_counts.rebuild(session, workspace.id)
    rows = 0
    for model in listening_counts.TABLES:
        table = model.__table__
        query = select(func.count()).select_from(table).where(table.c.workspace_id == workspace.id)
        rows += int(session.scalar(query) or 0)
    return Rebuilt(workspace.key, rows)
