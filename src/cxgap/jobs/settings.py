"""The queue's settings, read from the environment on demand (like ``cxgap.config``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from cxgap.config import Setting
from cxgap.errors import ConfigError

QUEUES = ("embedded", "redis")

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "CXGAP_QUEUE",
        "embedded",
        "Where enrichment jobs are dispatched: 'embedded' (a thread of the web app or "
        "`cxgap enrich`; nothing to install) or 'redis' (workers started with `cxgap worker`).",
    ),
    Setting("CXGAP_REDIS_URL", "redis://127.0.0.1:6379/0", "The Redis server of the queue."),
    Setting(
        "CXGAP_REDIS_KEY",
        "cxgap:enrichment-jobs",
        "The Redis list holding job ids (one per installation sharing a Redis server).",
    ),
    Setting(
        "CXGAP_JOB_STALE_SECONDS",
        "120",
        "A running job whose worker sent no heartbeat for this long is resumed by another.",
    ),
    Setting("CXGAP_ENRICH_BATCH_SIZE", "256", "Distinct texts enriched per transaction."),
    Setting(
        "CXGAP_WEBHOOK_SECONDS",
        "2",
        "How often workers look for webhook deliveries due (a job is queued only when some are).",
    ),
    Setting(
        "CXGAP_PURGE_HOURS",
        "24",
        "How often finished job rows and abandoned uploads are purged.",
    ),
    Setting(
        "CXGAP_JOB_KEEP_DAYS",
        "30",
        "Finished jobs (done, failed, cancelled) are kept this many days, then purged.",
    ),
)


@dataclass(frozen=True)
class QueueSettings:
    queue: str = "embedded"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_key: str = "cxgap:enrichment-jobs"
    stale_seconds: int = 120
    batch_size: int = 256

    @classmethod
    def from_env(cls) -> QueueSettings:
        """The settings from the environment, refused with the variable's name when invalid."""
        queue = _env("CXGAP_QUEUE")
        if queue not in QUEUES:
            raise ConfigError(f"CXGAP_QUEUE must be one of {', '.join(QUEUES)}, got {queue!r}")
        return cls(
            queue=queue,
            redis_url=_env("CXGAP_REDIS_URL"),
            redis_key=_env("CXGAP_REDIS_KEY"),
            stale_seconds=_positive("CXGAP_JOB_STALE_SECONDS"),
            batch_size=_positive("CXGAP_ENRICH_BATCH_SIZE"),
        )


def _env(name: str) -> str:
    default = next(s.default for s in SETTINGS if s.name == name)
    return os.environ.get(name) or default or ""


def _positive(name: str) -> int:
    raw = _env(name)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value!r}")
    return value


@dataclass(frozen=True)
class ScheduleSettings:
    """How often the scheduled tasks run (``jobs/schedule.py``)."""

    webhook_seconds: int = 2
    purge_hours: int = 24
    keep_days: int = 30

    @classmethod
    def from_env(cls) -> ScheduleSettings:
        return cls(
            webhook_seconds=_positive("CXGAP_WEBHOOK_SECONDS"),
            purge_hours=_positive("CXGAP_PURGE_HOURS"),
            keep_days=_positive("CXGAP_JOB_KEEP_DAYS"),
        )
