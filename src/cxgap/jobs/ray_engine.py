"""Enrichment on a Ray cluster: a Ray Data pipeline (``jobs.ray_data``).

Read tasks read the pending texts from the database a batch at a time, an actor pool analyses
them (each actor loads the text models once; one GPU per actor when the cluster has GPUs),
and the driver (``cxgap enrich --engine ray``) takes the results back with ``iter_batches``
and stores each batch with ``enrichment.store_batch`` in the job's transaction, exactly as the
local engine does. Only pending texts are read, so a stopped or killed run loses at most the
batches in flight: they are still pending, and the next run reads them again.

The read tasks connect to the database themselves: PostgreSQL must be reachable from every
node; a SQLite file works with a local instance (one node, same path) and is refused on a
cluster of several nodes.

``ray`` is imported only inside the functions: cxgap imports without it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from cxgap.errors import ConfigError
from cxgap.services.enrichment import (
    MODEL_TAG_LENGTH,
    Analysed,
    AnalyzerRecipe,
    BatchAnalyser,
    PendingTexts,
    pending_count,
)

INSTALL_HINT = "pip install 'cxgap[ray]'"


def import_ray() -> ModuleType:
    """The ``ray`` module with Ray Data, or a ConfigError that says how to install it."""
    try:
        import ray
        import ray.data  # needs pandas and pyarrow: ray[data]
    except ImportError:
        raise ConfigError(f"--engine ray needs Ray, which is not installed: {INSTALL_HINT}").keyed(
            "ray.error.missing", hint=INSTALL_HINT
        ) from None
    return ray


@dataclass(frozen=True)
class Placement:
    """How many actors, and what each one asks the cluster for."""

    actors: int
    num_cpus: float
    num_gpus: float

    @classmethod
    def for_cluster(cls, resources: dict[str, float], *, actors: int | None) -> Placement:
        """One actor per GPU when the cluster has GPUs, else one per CPU.

        >>> Placement.for_cluster({"CPU": 8.0}, actors=None)
        Placement(actors=8, num_cpus=1, num_gpus=0)
        >>> Placement.for_cluster({"CPU": 16.0, "GPU": 2.0}, actors=None)
        Placement(actors=2, num_cpus=1, num_gpus=1)
        """
        gpus = int(resources.get("GPU", 0))
        cpus = max(int(resources.get("CPU", 1)), 1)
        if gpus:
            return cls(actors=actors or gpus, num_cpus=1, num_gpus=1)
        return cls(actors=actors or cpus, num_cpus=1, num_gpus=0)


@dataclass
class RayEngine:
    """Runs a job's analyses on a Ray cluster (``address``), or on a Ray instance started
    here on this machine's CPUs when ``address`` is None."""

    address: str | None = None
    num_cpus: int | None = None  # a local instance's CPUs (default: all of this machine's)
    actors: int | None = None  # default: one per GPU, or per CPU without GPUs
    actors_per_reader: int = 4  # read tasks at once: one per this many actors, at least one
    _started_here: bool = field(default=False, repr=False)

    def connect(self) -> ModuleType:
        """Join the cluster (or start the local instance) unless already connected."""
        ray = import_ray()
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address is None:
                options["num_cpus"] = self.num_cpus or os.cpu_count() or 1
            ray.init(address=self.address, **options)
            self._started_here = True
        return ray

    def close(self) -> None:
        """Stop the local instance this engine started (a cluster it joined keeps running)."""
        if self._started_here:
            import_ray().shutdown()
            self._started_here = False

    def analyser(self, recipe: AnalyzerRecipe, *, version: str) -> BatchAnalyser:
        return partial(self._analyse, recipe=recipe, version=version[:MODEL_TAG_LENGTH])

    def _analyse(
        self, texts: PendingTexts, *, recipe: AnalyzerRecipe, version: str
    ) -> Iterator[Analysed]:
        ray = self.connect()
        from cxgap.jobs import ray_data

        url = database_url(texts.sessions.kw["bind"])
        if url.startswith("sqlite") and len([n for n in ray.nodes() if n["Alive"]]) > 1:
            raise ConfigError(
                "--engine ray on a cluster of several nodes needs a database every node"
                " reaches (PostgreSQL), not a SQLite file"
            ).keyed("ray.error.sqlite")
        with texts.sessions() as session:
            pending = pending_count(session, texts.workspace_id, texts.version)
        if not pending:
            return
        placement = Placement.for_cluster(ray.cluster_resources(), actors=self.actors)
        ranges = math.ceil(pending / texts.batch_size)  # about a batch each
        pipeline = ray_data.Pipeline(
            # An actor that gets no range would only load the models (and Ray Data warns).
            actors=min(placement.actors, max(1, ranges // 2)),
            readers=max(1, placement.actors // self.actors_per_reader),
            ranges=ranges,
            num_cpus=placement.num_cpus,
            num_gpus=placement.num_gpus,
        )
        query = ray_data.PendingQuery(url, texts.workspace_id, texts.version, texts.batch_size)
        tables = ray_data.analysed_tables(ray, query, recipe, pipeline)
        try:
            for table in tables:
                batch, analyses, versions = ray_data.decode(table)
                _check_versions(versions, version)
                yield batch, analyses
                if texts.should_stop is not None and texts.should_stop():
                    return
        finally:
            close = getattr(tables, "close", None)
            if close is not None:
                close()  # stops the pipeline: its read tasks and actors


def database_url(engine: Engine) -> str:
    """The URL the read tasks connect with (a SQLite path made absolute: their working
    folder is not the driver's)."""
    url: URL = engine.url
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).resolve()))
    return url.render_as_string(hide_password=False)


def _check_versions(found: set[str], version: str) -> None:
    """Refuse to store a batch whose actor's models are not the driver's (another cxgap or
    model version installed on a node): its results would be stored under the wrong version."""
    for worker in sorted(found - {version}):
        raise ConfigError(
            f"A Ray worker's text models are {worker!r}, the driver's {version!r}:"
            " install the same cxgap version on every node"
        ).keyed("ray.error.version", worker=worker, driver=version)
