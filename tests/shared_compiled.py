"""One dialect and one compiled-statement cache per test process for the engines it makes.

SQLAlchemy keeps the SQL it compiled for a statement in its engine's cache, under a key that
holds the engine's dialect object. An app keeps one engine for its life and compiles each
statement once. A test process makes an engine per test (a new SQLite file each time) and
compiled every statement again for each: a quarter of the CPU of the SQLite half of
tests/services (profiled). With ``install()``, every engine ``make_engine`` builds in the
process takes the first *initialised* dialect of its kind (driver) and that dialect's cache,
so the process compiles each statement once, as an app does. Its own pool, connection
events, URL and data stay its own; only how a statement is written to SQL is shared, and that
depends on the driver alone (``make_engine`` passes the dialect no option).
tests/test_shared_compiled.py checks that two apps on different files share the cache and
still read their own rows.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import create_engine as _create_engine
from sqlalchemy.engine import Dialect
from sqlalchemy.util import LRUCache

import cxgap.db.engine

# Enough for every statement the suite compiles in one process (a few thousand), so that
# one test's statements do not push out another's.
CACHE_SIZE = 20_000

_shared: dict[str, tuple[Dialect, LRUCache[Any, Any]]] = {}
_waiting: dict[str, list[weakref.ReferenceType[Engine]]] = {}


def _kind(engine: Engine) -> str:
    return f"{engine.dialect.name}+{engine.dialect.driver}"


def _initialised(dialect: Dialect) -> bool:
    """Whether a first connection has run ``dialect.initialize`` (it reads the server's
    version; until then the dialect holds defaults)."""
    return dialect.server_version_info is not None


def _promote(kind: str) -> tuple[Dialect, LRUCache[Any, Any]] | None:
    for ref in _waiting.get(kind, []):
        engine = ref()
        if engine is not None and _initialised(engine.dialect):
            cache: LRUCache[Any, Any] = LRUCache(CACHE_SIZE)
            engine._compiled_cache = cache
            _shared[kind] = (engine.dialect, cache)
            del _waiting[kind]
            return _shared[kind]
    return None


def create_engine_sharing(*args: Any, **kwargs: Any) -> Engine:
    """``sqlalchemy.create_engine``, then the process's dialect and cache for its kind, once
    an engine of that kind has connected."""
    engine = _create_engine(*args, **kwargs)
    kind = _kind(engine)
    shared = _shared.get(kind) or _promote(kind)
    if shared is None:
        _waiting.setdefault(kind, []).append(weakref.ref(engine))
    else:
        engine.dialect, engine._compiled_cache = shared
    return engine


def install() -> None:
    """Make ``cxgap.db.engine.make_engine`` build its engines through ``create_engine_sharing``."""
    cxgap.db.engine.create_engine = create_engine_sharing
