"""Every page of the app read on PostgreSQL.

The web tests run on SQLite (tests/conftest.py THIN_LAYERS): the pages call the same
services on either backend, and those run every test on both. What a page adds (its own
reads, a query only it makes) is checked here: the authorisation matrix's world written on
PostgreSQL, and every page its admin may read (and every public page) opened there, with
the status the matrix expects and never a 5xx.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.services.core import Cxgap
from tests import pg_reset
from tests.conftest import _settings
from tests.web.authz_seed import world_on
from tests.web.test_authorization_matrix import (
    ANY_ADMIN,
    IDENTITY_LEVEL,
    LEVEL,
    PAGE_RULES,
    _send,
    app_routes,
)

pytestmark = pytest.mark.postgres


def _read_by_admin(role: str) -> bool:
    return role in {"public", "user", ANY_ADMIN} or LEVEL.get(role, 99) <= IDENTITY_LEVEL["admin"]


def test_every_page_an_admin_may_read_opens_on_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    cx = Cxgap(_settings(postgres_url, tmp_path))
    pg_reset.empty_database(cx.engine)
    try:
        for world in world_on(cx):
            world.routes = app_routes(world.api.client.app)
            pages = sorted(
                (method, path)
                for (method, path), rule in PAGE_RULES.items()
                if method == "GET" and _read_by_admin(rule.role)
            )
            assert len(pages) > 100
            wrong = []
            for method, path in pages:
                rule = PAGE_RULES[(method, path)]
                identity = "anonymous" if rule.role == "public" else "admin"
                response = _send(world, identity, method, path, rule)
                if response.status_code not in {200, *rule.also}:
                    wrong.append((path, response.status_code, response.text[:200]))
            assert wrong == []
    finally:
        pg_reset.empty_database(cx.engine)
        cx.dispose()
