"""The Ray Data pipeline of the Ray engine (``jobs.ray_engine`` imports it only when it runs).

    read_datasource(PendingSource)   read tasks, num_cpus=0, at most ``readers`` at once:
        |                            each reads the pending texts of one range of text
        |                            hashes (about a batch) from the database
    map_batches(AnalyseTexts)        an actor pool: each actor builds the analyzer (loads the
        |                            text models) once, then analyses batch after batch
    iter_batches (driver)            the driver stores each batch with the local engine's code

Only the texts still pending are read, when they are read: a run stopped part-way resumes
with what is left. The read tasks need the database from where they run: PostgreSQL reachable
from every node, or a SQLite file on the one node of a local instance.

Read tasks ask for no CPU (``num_cpus=0``) and at most ``readers`` run at once: with a CPU
each, they waited for the CPUs the actor pool holds (a deadlock on 2 CPUs); with no CPU and
no limit, Ray started one worker process per waiting task (100 s for 30 trivial batches).
A read task's blocks are joined into one before they move on: hence a range per batch, so
that results stream back while the next ranges are read.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from ray.data import Datasource, ReadTask
from ray.data.block import BlockMetadata
from sqlalchemy.orm import Session, sessionmaker

from cxgap.db.engine import make_engine, make_sessionmaker
from cxgap.jobs.hash_ranges import hash_ranges
from cxgap.services.enrichment import (
    MODEL_TAG_LENGTH,
    AnalyzerRecipe,
    Batch,
    analyze_batch,
    pending_batches,
)
from cxgap.text.protocols import TextAnalysis


@dataclass(frozen=True)
class PendingQuery:
    """What a read task needs to read its range: picklable values, no connection."""

    database_url: str = field(repr=False)  # may hold a password: kept out of Ray's logs
    workspace_id: int
    version: str
    batch_size: int

    def read(self, after: str | None, until: str | None) -> Iterator[pa.Table]:
        sessions = _sessions(self.database_url)
        for batch in pending_batches(
            sessions, self.workspace_id, self.version, batch_size=self.batch_size,
            after=after, until=until,
        ):  # fmt: skip
            yield pa.table({"text_hash": [h for h, _ in batch], "text": [t for _, t in batch]})


_SESSIONS: dict[str, sessionmaker[Session]] = {}


def _sessions(url: str) -> sessionmaker[Session]:
    """One engine per database in a worker process: it runs read task after read task."""
    if url not in _SESSIONS:
        _SESSIONS[url] = make_sessionmaker(make_engine(url))
    return _SESSIONS[url]


class PendingSource(Datasource):
    """The pending texts of one workspace, in ``parallelism`` read tasks of a hash range.

    Ray Data joins the blocks one read task yields into one block (up to 128 MiB): a read
    task of about one batch keeps the results streaming back, a batch at a time."""

    def __init__(self, query: PendingQuery) -> None:
        self.query = query

    def estimate_inmemory_data_size(self) -> int | None:
        return None

    def get_read_tasks(
        self, parallelism: int, per_task_row_limit: int | None = None, data_context: Any = None
    ) -> list[ReadTask]:
        metadata = BlockMetadata(num_rows=None, size_bytes=None, input_files=None, exec_stats=None)
        return [
            ReadTask(_reader(self.query, after, until), metadata)
            for after, until in hash_ranges(max(parallelism, 1))
        ]


def _reader(query: PendingQuery, after: str | None, until: str | None) -> Any:
    def read() -> Iterable[pa.Table]:
        return query.read(after, until)

    return read


class AnalyseTexts:
    """The actor pool's class: one analyzer per actor, built when the actor starts."""

    def __init__(self, recipe: AnalyzerRecipe) -> None:
        self.analyzer = recipe.build()
        self.version = self.analyzer.name[:MODEL_TAG_LENGTH]

    def __call__(self, table: pa.Table) -> pa.Table:
        hashes = table.column("text_hash").to_pylist()
        texts = table.column("text").to_pylist()
        analyses = analyze_batch(self.analyzer, list(zip(hashes, texts, strict=True)))
        return pa.table(
            {
                "text_hash": hashes,
                "text": texts,
                "analysis": pa.array([pickle.dumps(a) for a in analyses], pa.binary()),
                "version": [self.version] * len(hashes),
            }
        )


def decode(table: pa.Table) -> tuple[Batch, list[TextAnalysis], set[str]]:
    """A result block: the batch, its analyses and the versions of the actors that made them."""
    batch = list(
        zip(table.column("text_hash").to_pylist(), table.column("text").to_pylist(), strict=True)
    )
    analyses = [pickle.loads(blob) for blob in table.column("analysis").to_pylist()]
    return batch, analyses, set(table.column("version").to_pylist())


@dataclass(frozen=True)
class Pipeline:
    """How the dataset is laid out on the cluster."""

    actors: int
    readers: int  # read tasks at once
    ranges: int  # read tasks in all
    num_cpus: float
    num_gpus: float


def analysed_tables(
    ray: Any, query: PendingQuery, recipe: AnalyzerRecipe, pipeline: Pipeline
) -> Iterator[pa.Table]:
    """Run the pipeline; the results as they come back, a range at a time, in any order."""
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the job row (and the CLI's line) show progress
    dataset = ray.data.read_datasource(
        PendingSource(query),
        num_cpus=0,
        concurrency=pipeline.readers,
        override_num_blocks=pipeline.ranges,
    ).map_batches(
        AnalyseTexts,
        fn_constructor_args=(recipe,),
        batch_size=None,  # a block (a range, about a batch) at a time, never two joined
        batch_format="pyarrow",
        concurrency=pipeline.actors,
        num_cpus=pipeline.num_cpus,
        num_gpus=pipeline.num_gpus,
    )
    tables: Iterator[pa.Table] = iter(dataset.iter_batches(batch_size=None, batch_format="pyarrow"))
    return tables
