"""Write one batch's text analyses: its ``text_enrichments`` and ``text_findings`` rows,
replacing an older model's, with the Listening counts moved in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from cxgap.db.listening_count_moves import moving
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding, utcnow
from cxgap.text.protocols import TextAnalysis


def replace_enrichments(
    session: Session,
    workspace_id: int,
    version: str,
    batch: Sequence[tuple[str, str]],
    analyses: Sequence[TextAnalysis],
) -> None:
    """Replace the batch's enrichments (an older model's, if any) with the new ones. The
    Listening counts of the records with these texts move with them, in this transaction,
    by the difference they make (db.listening_count_moves)."""
    hashes = [text_hash for text_hash, _ in batch]
    with moving(session, workspace_id, Feedback.text_hash.in_(hashes)):
        stale = select(TextEnrichment.id).where(
            TextEnrichment.workspace_id == workspace_id, TextEnrichment.text_hash.in_(hashes)
        )
        session.execute(delete(TextFinding).where(TextFinding.enrichment_id.in_(stale)))
        session.execute(
            delete(TextEnrichment).where(
                TextEnrichment.workspace_id == workspace_id, TextEnrichment.text_hash.in_(hashes)
            )
        )
        now = utcnow()
        rows = [
            _enrichment_values(workspace_id, version, text_hash, text, analysis, now)
            for (text_hash, text), analysis in zip(batch, analyses, strict=True)
        ]
        # render_nulls: the ORM would otherwise split the rows into one INSERT per run of
        # rows with the same None columns (a topic-less finding, then one with a topic…), one
        # round trip each; with it every batch goes in a few multi-row statements.
        inserted = session.execute(
            insert(TextEnrichment)
            .returning(TextEnrichment.text_hash, TextEnrichment.id)
            .execution_options(render_nulls=True),
            rows,
        )
        ids = {row[0]: row[1] for row in inserted}
        findings = [
            finding
            for (text_hash, text), analysis in zip(batch, analyses, strict=True)
            for finding in _finding_values(workspace_id, ids[text_hash], text, analysis)
        ]
        if findings:
            session.execute(insert(TextFinding).execution_options(render_nulls=True), findings)


def _enrichment_values(
    workspace_id: int,
    version: str,
    text_hash: str,
    text: str,
    analysis: TextAnalysis,
    now: datetime,
) -> dict[str, object]:
    empty = not text.strip()
    return {
        "workspace_id": workspace_id,
        "text_hash": text_hash,
        "language": "" if empty else analysis.language,
        "sentiment": "" if empty else analysis.sentiment,
        "sentiment_score": None if empty else analysis.sentiment_score,
        "intensity": None if empty else analysis.intensity,
        "topic_keys": [] if empty else list(analysis.topics),
        "model": version,
        "enriched_at": now,
    }


def _finding_values(
    workspace_id: int, enrichment_id: int, text: str, analysis: TextAnalysis
) -> Iterable[dict[str, object]]:
    """One row per clause and topic; a clause without a topic gets one row with none."""
    if not text.strip():
        return
    for position, finding in enumerate(analysis.findings):
        for topic in finding.topics or (None,):
            yield {
                "enrichment_id": enrichment_id,
                "workspace_id": workspace_id,
                "position": position,
                "start": finding.start,
                "end": finding.end,
                "sentiment": finding.sentiment,
                "sentiment_score": finding.sentiment_score,
                "intensity": finding.intensity,
                "topic_key": topic,
            }
