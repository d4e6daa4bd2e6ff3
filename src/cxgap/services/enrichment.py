"""Enrich a workspace's feedback: language, sentiment, intensity and topics per clause.

Identical texts are enriched once: feedback joins its enrichment on ``(workspace, text_hash)``.
Work goes in batches, one transaction per batch, each writing the batch's
``text_enrichments`` and ``text_findings`` rows together with whatever the caller records
for the batch (a job's progress and heartbeat). A crash therefore loses at most the batch in
flight, and a restart asks again which texts are still pending: nothing is enriched twice.

A text is pending when it has no enrichment made by the current analyzer version. The
version is the analyzer's ``name`` plus a digest of the workspace's active topics and of its
own trained model (see :func:`workspace_analyzer`), so editing the taxonomy or learning from
corrections re-enriches the workspace, and a new bundled model does too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from cxgap.db.enrichment_store import replace_enrichments
from cxgap.db.tables import Feedback, TextEnrichment, Workspace, utcnow
from cxgap.services import case_rules
from cxgap.text.protocols import TextAnalysis, TextAnalyzer, TopicSpec
from cxgap.webhooks.store import emit_apart

DEFAULT_BATCH_SIZE = 256
MODEL_TAG_LENGTH = 120  # text_enrichments.model
EMPTY_ANALYSIS = TextAnalysis(
    language="", sentiment="", sentiment_score=None, intensity=None, topics=(), pillars=(),
    findings=(),
)  # fmt: skip


class AnalyzerFactory(Protocol):
    """Builds the analyzer for a workspace from its active topics and its own model folder."""

    def __call__(
        self, topics: Sequence[TopicSpec], *, workspace_model_dir: Path | None = None
    ) -> TextAnalyzer: ...


Batch = list[tuple[str, str]]
"""Pending texts as (text_hash, text) pairs, in text_hash order."""

Analysed = tuple[Batch, list[TextAnalysis]]

BatchAnalyser = Callable[["PendingTexts"], Iterator[Analysed]]
"""An enrichment engine: given what is pending, each pending batch with its analyses out (in
any order, each batch once); it may read ahead and analyse several batches at a time, read
the batches itself (the Ray engine's read tasks), and it stops once ``should_stop`` says so."""

Progress = Callable[[int, int], None]
"""Called after each batch with (texts enriched so far in this run, texts pending at start)."""

BatchHook = Callable[[Session, int], None]
"""Called inside each batch's transaction with the number of texts the batch enriched; it may
write (a job's progress) or raise to roll the batch back (the job was taken over)."""


@dataclass(frozen=True)
class PendingTexts:
    """The texts one run enriches: a workspace's texts without an enrichment by ``version``."""

    sessions: sessionmaker[Session]
    workspace_id: int
    version: str
    batch_size: int = DEFAULT_BATCH_SIZE
    should_stop: Callable[[], bool] | None = None

    def batches(self, *, after: str | None = None, until: str | None = None) -> Iterator[Batch]:
        """The pending batches whose hashes are above ``after`` and at most ``until``."""
        return pending_batches(
            self.sessions, self.workspace_id, self.version, batch_size=self.batch_size,
            should_stop=self.should_stop, after=after, until=until,
        )  # fmt: skip


@dataclass(frozen=True)
class EnrichmentRun:
    """What one call of :func:`enrich_pending` did."""

    pending: int  # distinct texts pending when it started
    enriched: int  # distinct texts it enriched
    batches: int


class VersionedAnalyzer:
    """An analyzer whose ``name`` also says which taxonomy and workspace model it uses."""

    def __init__(self, inner: TextAnalyzer, *, taxonomy: str, workspace_model: str) -> None:
        self.inner = inner
        self.taxonomy = taxonomy
        self.workspace_model = workspace_model

    @property
    def name(self) -> str:
        return analysis_version(self.inner.name, self.taxonomy, self.workspace_model)

    def analyze(self, texts: Sequence[str]) -> list[TextAnalysis]:
        return self.inner.analyze(texts)


@dataclass(frozen=True)
class AnalyzerRecipe:
    """What builds a workspace's :class:`VersionedAnalyzer`: picklable values only (the
    factory is a module-level function), so a process on another machine (a Ray actor) can
    build the same analyzer as this one without the database."""

    factory: AnalyzerFactory
    topics: tuple[TopicSpec, ...]
    workspace_model_dir: Path | None
    taxonomy: str  # fingerprint of the active topics
    workspace_model: str  # stamp of the trained workspace model, "" when none

    @property
    def key(self) -> str:
        """Equal for recipes that build the same analyzer (given the same workspace)."""
        return f"{self.taxonomy}:{self.workspace_model}"

    def build(self) -> VersionedAnalyzer:
        inner = self.factory(self.topics, workspace_model_dir=self.workspace_model_dir)
        return VersionedAnalyzer(
            inner, taxonomy=self.taxonomy, workspace_model=self.workspace_model
        )


def analysis_version(model: str, taxonomy: str, workspace_model: str) -> str:
    """The tag stored with every enrichment, short enough for its column.

    >>> analysis_version("use-v3+heads-1", "a1b2c3", "")
    'use-v3+heads-1;topics=a1b2c3;ws=none'
    >>> len(analysis_version("x" * 200, "a1b2c3", "7"))
    120
    """
    tag = f"{model};topics={taxonomy};ws={workspace_model or 'none'}"
    if len(tag) <= MODEL_TAG_LENGTH:
        return tag
    digest = hashlib.sha256(tag.encode()).hexdigest()[:16]
    return f"{tag[: MODEL_TAG_LENGTH - 17]}#{digest}"


def default_analyzer_factory(
    topics: Sequence[TopicSpec], *, workspace_model_dir: Path | None = None
) -> TextAnalyzer:
    """The bundled text models (``cxgap.text.analyzer``), imported only when first needed."""
    return _default_analyzer_factory(topics, workspace_model_dir=workspace_model_dir)


def _default_analyzer_factory(
    topics: Sequence[TopicSpec], *, workspace_model_dir: Path | None = None
) -> TextAnalyzer:
    from cxgap.text.analyzer import build_analyzer

    analyzer: TextAnalyzer = build_analyzer(topics, workspace_model_dir=workspace_model_dir)
    return analyzer


def pending_count(session: Session, workspace_id: int, version: str) -> int:
    """How many distinct texts of the workspace have no enrichment by ``version``."""
    query = select(func.count()).select_from(_pending_hashes(workspace_id, version).subquery())
    return session.scalar(query) or 0


def enrich_pending(
    sessions: sessionmaker[Session],
    workspace: Workspace | int,
    analyzer: TextAnalyzer,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    on_batch: BatchHook | None = None,
    should_stop: Callable[[], bool] | None = None,
    analyse: BatchAnalyser | None = None,
) -> EnrichmentRun:
    """Enrich every distinct text of the workspace still pending for ``analyzer.name``.

    ``analyse`` is the engine: it turns the pending texts into (batch, analyses) pairs. By
    default ``analyzer`` analyses each batch here, in this thread; the Ray engine
    (``jobs.ray_engine``) reads and analyses them on a cluster. Either way the batches are
    stored and counted by this one loop, so the engines cannot differ in what they store.
    """
    workspace_id = workspace if isinstance(workspace, int) else workspace.id
    version = analyzer.name[:MODEL_TAG_LENGTH]
    with sessions() as session:
        pending = pending_count(session, workspace_id, version)
    enriched = batches = 0
    started = utcnow()
    texts = PendingTexts(sessions, workspace_id, version, batch_size, should_stop)
    analysed = analyse(texts) if analyse is not None else _analysed_here(analyzer, texts.batches())
    try:
        for batch, analyses in analysed:
            store_batch(sessions, workspace_id, version, batch, analyses, on_batch=on_batch)
            enriched += len(batch)
            batches += 1
            if progress is not None:
                progress(enriched, pending)
    finally:
        _close(analysed)  # an engine stops its workers even when a batch's hook raised
    if enriched:
        _open_topic_cases(sessions, workspace_id, started)
    emit_apart(sessions, workspace_id, "enrichment.finished", {"enriched": enriched})
    return EnrichmentRun(pending=pending, enriched=enriched, batches=batches)


def _open_topic_cases(sessions: sessionmaker[Session], workspace_id: int, since: datetime) -> None:
    """The rules on a topic read the findings: one set-based pass over the items whose text
    this run enriched, after it (never one per batch or item)."""
    fresh = select(TextEnrichment.text_hash).where(
        TextEnrichment.workspace_id == workspace_id, TextEnrichment.enriched_at >= since
    )
    with sessions() as session, session.begin():
        case_rules.apply_rules(
            session, workspace_id, Feedback.text_hash.in_(fresh), topic_rules_only=True
        )


def pending_batches(
    sessions: sessionmaker[Session],
    workspace_id: int,
    version: str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    should_stop: Callable[[], bool] | None = None,
    after: str | None = None,
    until: str | None = None,
) -> Iterator[Batch]:
    """The pending (text_hash, text) pairs, a batch at a time in text_hash order, each read in
    its own short session when asked for: the workspace is never in memory as a whole.
    Only hashes above ``after`` and at most ``until`` (when given) are read.

    ``should_stop`` is asked before each read; once it says yes no further batch is read.
    """
    # after: the keyset cursor, batches go in text_hash order
    while should_stop is None or not should_stop():
        # Read, analyse outside any transaction, then write in one short transaction that
        # starts with a write: the models never hold a database lock, and SQLite never has
        # to upgrade a read snapshot that another writer made stale.
        with sessions() as session:
            batch, after = _next_batch(
                session, workspace_id, version, batch_size, after=after, until=until
            )
        if not batch:
            return
        yield batch


def store_batch(
    sessions: sessionmaker[Session],
    workspace_id: int,
    version: str,
    batch: Batch,
    analyses: Sequence[TextAnalysis],
    *,
    on_batch: BatchHook | None = None,
) -> None:
    """Store one batch's analyses and run ``on_batch`` in the same transaction."""
    with sessions() as session, session.begin():
        replace_enrichments(session, workspace_id, version, batch, analyses)
        if on_batch is not None:
            on_batch(session, len(batch))


def analyze_batch(analyzer: TextAnalyzer, batch: Batch) -> list[TextAnalysis]:
    """Analyse the non-empty texts; empty ones get empty values without asking the models."""
    wanted = [text for _, text in batch if text.strip()]
    found = analyzer.analyze(wanted) if wanted else []
    if len(found) != len(wanted):
        raise RuntimeError(f"The analyzer returned {len(found)} analyses for {len(wanted)} texts")
    analyses = iter(found)
    return [next(analyses) if text.strip() else EMPTY_ANALYSIS for _, text in batch]


def _analysed_here(analyzer: TextAnalyzer, batches: Iterable[Batch]) -> Iterator[Analysed]:
    for batch in batches:
        yield batch, analyze_batch(analyzer, batch)


def _close(analysed: Iterator[Analysed]) -> None:
    close = getattr(analysed, "close", None)
    if close is not None:
        close()


def _pending_hashes(workspace_id: int, version: str) -> Select[str]:
    done = select(TextEnrichment.id).where(
        TextEnrichment.workspace_id == workspace_id,
        TextEnrichment.text_hash == Feedback.text_hash,
        TextEnrichment.model == version,
    )
    return (
        select(Feedback.text_hash)
        .where(Feedback.workspace_id == workspace_id, ~done.exists())
        .group_by(Feedback.text_hash)
    )


def _next_batch(
    session: Session,
    workspace_id: int,
    version: str,
    size: int,
    *,
    after: str | None,
    until: str | None = None,
) -> tuple[list[tuple[str, str]], str | None]:
    """Up to ``size`` pending (text_hash, text) pairs after ``after`` in hash order, and where
    the scan stopped.

    The workspace's hashes are read in index order a window at a time and checked against the
    enrichments of this version, so each batch costs a bounded index range whatever the
    table's size (one anti-join sorted as a whole would cost the entire remainder, per batch).
    """
    picked: list[str] = []
    cursor = after
    while len(picked) < size:
        query = select(Feedback.text_hash).where(Feedback.workspace_id == workspace_id)
        if cursor is not None:
            query = query.where(Feedback.text_hash > cursor)
        if until is not None:
            query = query.where(Feedback.text_hash <= until)
        window = list(
            dict.fromkeys(session.scalars(query.order_by(Feedback.text_hash).limit(2 * size)))
        )
        if not window:
            break
        done = set(
            session.scalars(
                select(TextEnrichment.text_hash).where(
                    TextEnrichment.workspace_id == workspace_id,
                    TextEnrichment.model == version,
                    TextEnrichment.text_hash.in_(window),
                )
            )
        )
        for text_hash in window:
            cursor = text_hash
            if text_hash not in done:
                picked.append(text_hash)
                if len(picked) == size:
                    break
    if not picked:
        return [], cursor
    texts = session.execute(
        select(Feedback.text_hash, func.min(Feedback.text))
        .where(Feedback.workspace_id == workspace_id, Feedback.text_hash.in_(picked))
        .group_by(Feedback.text_hash)
    )
    found = {row[0]: row[1] for row in texts}
    return [(text_hash, found[text_hash] or "") for text_hash in picked], cursor
