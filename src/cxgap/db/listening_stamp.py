"""What a workspace's Listening figures depend on, read in one small statement: the stamp
that a page's stored exact figures (``services.listening_exact``) are kept under and read
back only while it is unchanged.

The data revision moves with every import, answer and segment change (``db.revisions``); an
enrichment does not move it, so the stamp adds the records and enriched records of the
Listening day counts (kept in the transaction of every change, a few thousand rows at 10 M
items) and the newest enrichment of the workspace (an enrichment done again replaces its
rows: a new id). The newest enrichment is read down the primary key (``ORDER BY id DESC
LIMIT 1``), which stops at the first row of the workspace.
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cxgap.db.feedback_tables import TextEnrichment
from cxgap.db.listening_count_tables import ListeningCount
from cxgap.db.revisions import revision_column
from cxgap.db.tables import Workspace


def data_stamp(session: Session, workspace_id: int) -> tuple[int, str]:
    """The workspace's data revision and, beyond it, what else the figures depend on."""
    counts = ListeningCount
    records = (
        select(func.coalesce(func.sum(counts.n), 0))
        .where(counts.workspace_id == workspace_id)
        .scalar_subquery()
    )
    enriched = (
        select(func.coalesce(func.sum(case((counts.enriched == 1, counts.n), else_=0)), 0))
        .where(counts.workspace_id == workspace_id)
        .scalar_subquery()
    )
    newest = (
        select(TextEnrichment.id)
        .where(TextEnrichment.workspace_id == workspace_id)
        .order_by(TextEnrichment.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    row = session.execute(
        select(revision_column(), records, enriched, newest).where(Workspace.id == workspace_id)
    ).one_or_none()
    if row is None:
        return 0, ""
    revision, *rest = row
    return int(revision or 0), "|".join(str(value) for value in rest)
