"""docs/api.md lists every route of the OpenAPI document, with the role the route matrix
checks: the table cannot fall behind the API."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from tests.warm_routes import app_for
from tests.web.test_api_routes import CALLS, documented_path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
ROW = re.compile(r"^\| `(GET|POST|PUT|PATCH|DELETE)` \| `([^`]+)` \| ([a-z ]+) \|", re.M)


def test_the_route_table_lists_every_endpoint_with_its_role(sqlite_cx: Cxgap) -> None:
    with TestClient(app_for(sqlite_cx)) as client:
        spec = client.get("/api/openapi.json").json()
    in_document = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    table = {(m, "/api/v1" + p): role for m, p, role in ROW.findall(DOC.read_text())}
    assert set(table) == in_document
    tested = {
        (c.method, documented_path(c.path)): "site admin" if c.token == "site" else c.role.value
        for c in CALLS
    }
    assert table == tested
