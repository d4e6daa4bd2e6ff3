"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, the app, a web client."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from cxgap.config import Settings
from cxgap.db.engine import make_engine
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from tests import pg_reset, shared_compiled
from tests.prepared import Prepared

shared_compiled.install()  # each statement compiled once per test process, as in an app

POSTGRES_ADMIN_URL = os.environ.get(
    "CXGAP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


# Under pytest-xdist (`make unit` runs `-n auto --dist loadgroup`), the tests of these modules
# share one worker: the Ray module's cluster (a module fixture of two CPUs) starts once, and the
# tests that start several cxgap processes and time their heartbeats and rate limits do not run
# beside each other. Every other test goes to whichever worker is free.
SHARED_WORKER = {
    "tests/jobs/test_ray_engine.py": "processes",
    "tests/jobs/test_two_by_two.py": "processes",
    "tests/jobs/test_killed_worker.py": "processes",
    "tests/web/test_serve_workers.py": "processes",
    "tests/web/test_served_like_cxgap_serve.py": "processes",
}


# The layers under the pages and the commands (db, services, jobs, ...) run each test of the
# ``cx`` fixture on SQLite and on PostgreSQL. The web and CLI tests drive those layers through
# a thin layer that does not depend on the backend: they run on SQLite, except the modules
# marked ``on_postgresql``, where the backend changes the path (imports through COPY, jobs,
# survey posts, transactions, keyset paging). tests/web/test_pages_on_postgresql.py reads
# every page of the app on PostgreSQL.
THIN_LAYERS = ("tests/web/", "tests/cli/")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "cx" not in metafunc.fixturenames:
        return
    thin = metafunc.definition.nodeid.startswith(THIN_LAYERS)
    both = not thin or metafunc.definition.get_closest_marker("on_postgresql") is not None
    backends = ["sqlite", "postgresql"] if both else ["sqlite"]
    metafunc.parametrize("cx", backends, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        group = SHARED_WORKER.get(item.nodeid.split("::", 1)[0])
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


def _settings(url: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=url,
        secret_key="test-secret-key-not-for-production",
        survey_rate_limit=1000,
        max_upload_bytes=2 * 1024 * 1024,
    )


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's test profile: real hashing, without 0.2 s and 64 MiB per password."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test: migrating once keeps the suite fast."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = Cxgap(_settings(f"sqlite:///{path}", path.parent))
    app.upgrade()
    app.dispose()
    return path


@pytest.fixture(scope="session")
def prepared(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """Data many tests start from, written once per session on SQLite (tests/prepared.py),
    and once per run for every pytest-xdist worker (their shared folder: the run's base
    temporary folder, with the run's id in its name)."""
    shared = None
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is not None:
        shared = tmp_path_factory.getbasetemp().parent / f"prepared-{run}"
        shared.mkdir(exist_ok=True)
    return Prepared(sqlite_template, tmp_path_factory.mktemp("prepared"), _settings, shared)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL database, migrated once for the session."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cxgap_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            # A commit returns before its WAL reaches the disk (this throw-away database's
            # default, for every connection to it, the suite's cxgap processes included):
            # 0.4 ms a commit instead of 4.3 under load, and what other sessions see of a
            # commit is unchanged; only a crash of the server could lose the last ones.
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc.orig}"
        if os.environ.get("CXGAP_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    app = Cxgap(_settings(url, Path("/nonexistent")))
    app.upgrade()
    app.dispose()
    pg_reset.keep_insertion_order(url)
    yield url
    reset = _RESET_ENGINES.pop(url, None)
    if reset is not None:
        reset.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# One engine per database for the resets, kept for the session: a new connection's server
# process reads the catalogue of every table the reset probes again (a reset 195 ms of wall
# and 18 ms of server CPU from a new engine, 34 ms and 5 ms on a kept one, load 8).
_RESET_ENGINES: dict[str, Engine] = {}


def _truncate_postgres(url: str) -> None:
    """Empty tables, sequences at their start: what the previous test wrote, undone."""
    engine = _RESET_ENGINES.get(url)
    if engine is None:
        engine = _RESET_ENGINES[url] = create_engine(url, pool_size=1)
    pg_reset.empty_database(engine)


# The app's engine on PostgreSQL, kept for the session as the resets' is: each test gets a
# light copy (``execution_options()``: its own event listeners, the kept pool), so its first
# statements run on a server process that has the catalogue cached instead of a new one.
_APP_ENGINES: dict[str, Engine] = {}


def _kept_app_engine(url: str) -> Engine:
    engine = _APP_ENGINES.get(url)
    if engine is None:
        engine = _APP_ENGINES[url] = make_engine(url)
    return engine.execution_options()


@pytest.fixture
def cx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cxgap]:
    """A migrated, empty database on each backend (``pytest_generate_tests`` picks them)."""
    if request.param == "sqlite":
        path = tmp_path / "cxgap.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        _truncate_postgres(url)
    app = Cxgap(_settings(url, tmp_path))
    if request.param == "postgresql":
        app.__dict__["engine"] = _kept_app_engine(url)  # the cached property, set
        yield app  # not disposed: that would close the kept pool's connections
    else:
        yield app
        app.dispose()


@pytest.fixture
def sqlite_cx(sqlite_template: Path, tmp_path: Path) -> Iterator[Cxgap]:
    """SQLite only, for tests about the web layer where the backend does not matter."""
    path = tmp_path / "cxgap.sqlite3"
    shutil.copy(sqlite_template, path)
    app = Cxgap(_settings(f"sqlite:///{path}", tmp_path))
    yield app
    app.dispose()
