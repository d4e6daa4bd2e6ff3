"""Enrichment on a Ray cluster: a pool of actors, each building the text models once.

The driver (``cxgap enrich --engine ray``) is the only process that talks to the database.
It reads the pending texts a batch at a time (``enrichment.pending_batches``), hands each
batch to an actor, and stores each result with ``enrichment.store_batch`` in the job's
transaction, exactly as the local engine does: only texts travel to the cluster, never a
database connection, so a cluster works whatever database the driver uses (SQLite included).
At most ``in_flight_per_actor`` batches per actor are out at once, so neither the driver nor
the object store ever holds the workspace as a whole, and a killed run loses at most the
batches in flight (they are still pending; the next run enriches them).

Each actor builds its analyzer from an :class:`~cxgap.services.enrichment.AnalyzerRecipe`
(topics, workspace model folder, version tags: picklable values) when it starts, and is
kept for the whole run. An actor asks for one GPU when the cluster has GPUs, else one CPU.

Why actors and not a Ray Data pipeline: Ray Data reads its input itself (files, or SQL from
every worker, which needs the database reachable from the whole cluster), and a driver-fed
dataset measured here either deadlocks (a read task waiting for a CPU that the actor pool
holds) or starts a worker process per waiting task (103 s for 30 trivial batches on two
CPUs). A driver-fed actor pool streams with bounded memory and no such contention.

``ray`` is imported only inside the functions: cxgap imports without it.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from types import ModuleType
from typing import Any

from cxgap.errors import ConfigError
from cxgap.services.enrichment import (
    MODEL_TAG_LENGTH,
    Analysed,
    AnalyzerRecipe,
    Batch,
    BatchAnalyser,
    analyze_batch,
)
from cxgap.text.protocols import TextAnalysis

INSTALL_HINT = "pip install 'cxgap[ray]'"


def import_ray() -> ModuleType:
    """The ``ray`` module, or a ConfigError that says how to install it."""
    try:
        import ray
    except ImportError:
        raise ConfigError(f"--engine ray needs Ray, which is not installed: {INSTALL_HINT}").keyed(
            "ray.error.missing", hint=INSTALL_HINT
        ) from None
    return ray


class BatchAnalyzerActor:
    """One actor of the pool: builds the analyzer once, then analyses batch after batch."""

    def __init__(self, recipe: AnalyzerRecipe) -> None:
        self.analyzer = recipe.build()

    def version(self) -> str:
        return self.analyzer.name[:MODEL_TAG_LENGTH]

    def analyse(self, batch: Batch) -> list[TextAnalysis]:
        return analyze_batch(self.analyzer, batch)


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
    in_flight_per_actor: int = 2
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
        self, batches: Iterator[Batch], *, recipe: AnalyzerRecipe, version: str
    ) -> Iterator[Analysed]:
        ray = self.connect()
        placement = Placement.for_cluster(ray.cluster_resources(), actors=self.actors)
        remote = ray.remote(BatchAnalyzerActor).options(
            num_cpus=placement.num_cpus, num_gpus=placement.num_gpus
        )
        pool = [remote.remote(recipe) for _ in range(placement.actors)]
        try:
            _check_versions(ray, pool, version)
            yield from _stream(ray, pool, batches, self.in_flight_per_actor * len(pool))
        finally:
            for actor in pool:
                ray.kill(actor)


def _check_versions(ray: ModuleType, pool: list[Any], version: str) -> None:
    """Refuse to run when an actor's models are not the driver's (another cxgap or model
    version installed on a node): its results would be stored under the wrong version."""
    for found in ray.get([actor.version.remote() for actor in pool]):
        if found != version:
            raise ConfigError(
                f"A Ray worker's text models are {found!r}, the driver's {version!r}:"
                " install the same cxgap version on every node"
            ).keyed("ray.error.version", worker=found, driver=version)


def _stream(
    ray: ModuleType, pool: list[Any], batches: Iterator[Batch], limit: int
) -> Iterator[Analysed]:
    """Send batches round robin and give results back in the order the batches were read,
    keeping at most ``limit`` batches out at once."""
    out: deque[tuple[Batch, Any]] = deque()
    for number, batch in enumerate(batches):
        out.append((batch, pool[number % len(pool)].analyse.remote(batch)))
        if len(out) >= limit:
            sent, result = out.popleft()
            yield sent, ray.get(result)
    while out:
        sent, result = out.popleft()
        yield sent, ray.get(result)
