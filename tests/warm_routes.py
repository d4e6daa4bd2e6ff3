"""One route table per test process, lent to every web test's app (``create_app(like=…)``).

An app built by ``create_app`` builds the state of its routes (dependants, pydantic validators
of ~300 routes) on the first request that reaches them: about 1.5 s of CPU on an idle core, 3–5
s on this loaded machine, paid by every test that made its own app. ``app_for(cx)`` gives the
test an app of its own — its ``cx``, its middleware (secret key, cookies, limits), its error
handlers — whose routes and templates are those of one app made once per process, so that cost
is paid once per xdist worker. tests/test_warm_routes.py checks that two such apps on different
databases, data folders and settings answer from their own, and that nothing one serves leaks
into the other.

Tests about building an app (the log filters it installs, its background jobs, its OpenAPI
document) still call ``create_app`` themselves.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import FastAPI

from cxgap.config import Settings
from cxgap.services.core import Cxgap
from cxgap.web.app import create_app


@cache
def warm_app() -> FastAPI:
    """The process's lender: built once, never served itself (its database is never opened),
    its routes warmed by whichever test's app is served first."""
    nowhere = Path("/nonexistent/cxgap-warm-routes")
    settings = Settings(
        data_dir=nowhere,
        database_url=f"sqlite:///{nowhere}/never-opened.sqlite3",
        secret_key="warm-routes-lender-never-serves",
    )
    return create_app(cx=Cxgap(settings))


def app_for(cx: Cxgap, *, background_jobs: bool = False) -> FastAPI:
    """An app serving ``cx``, with the process's warm routes and templates."""
    return create_app(cx=cx, background_jobs=background_jobs, like=warm_app())
