"""The Redis side of the queue: a list of job ids that workers block on.

Redis only dispatches: the job rows stay the source of truth. An id pushed twice, or an id
whose job another worker already took, is simply not claimable and is skipped; a push lost
(Redis restarted, it keeps nothing on disk) is made up for by the workers' periodic look at
the table.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from cxgap.errors import ConfigError, QueueUnavailableError

DEFAULT_KEY = "cxgap:enrichment-jobs"


class RedisQueue:
    """Job ids in a Redis list: pushed on the left, popped (blocking) on the right."""

    def __init__(self, url: str, *, key: str = DEFAULT_KEY) -> None:
        self.url = url
        self.key = key

    @cached_property
    def _client(self) -> Any:
        try:
            import redis
        except ImportError as error:
            raise ConfigError(
                "CXGAP_QUEUE=redis needs the Python package 'redis': pip install redis"
            ) from error
        return redis.Redis.from_url(self.url, socket_connect_timeout=3, socket_timeout=30)

    def ping(self) -> None:
        """Raise QueueUnavailableError unless the server answers."""
        try:
            self._client.ping()
        except Exception as error:  # redis raises its own ConnectionError/TimeoutError tree
            raise QueueUnavailableError(
                f"Cannot reach the Redis queue at {self.url}: {error}"
            ) from error

    def push(self, job_id: int) -> None:
        try:
            self._client.lpush(self.key, str(job_id))
        except Exception as error:
            raise QueueUnavailableError(
                f"Cannot reach the Redis queue at {self.url}: {error}"
            ) from error

    def pop(self, timeout: float) -> int | None:
        """The next job id, waiting up to ``timeout`` seconds; None when none came."""
        item = self._client.brpop([self.key], timeout=max(timeout, 0.01))
        if item is None:
            return None
        _key, raw = item
        try:
            return int(raw)
        except ValueError:
            return None  # not ours: someone else's value in our list

    def __len__(self) -> int:
        return int(self._client.llen(self.key))

    def clear(self) -> None:
        self._client.delete(self.key)

    def close(self) -> None:
        if "_client" in self.__dict__:
            self._client.close()
