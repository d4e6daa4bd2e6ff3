"""Every CSV the app serves, found by walking its routes, downloaded from a French and an
English demo: the byte order mark, the delimiter of docs/export.md, and the shared reader
reading back exactly the rows a strict RFC 4180 parse finds. A new CSV download that does
not go through the shared writer, or that nobody lists here, fails this test."""

from __future__ import annotations

import csv
import inspect
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import update

from cxgap.db.tables import CustomerResponse, Feedback, TextEnrichment
from cxgap.ingest.csvwrite import delimiter_for
from cxgap.ingest.delimited import Rfc4180
from cxgap.ingest.tables import open_table
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.feedback_imports import import_feedback, list_imports
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app
from tests.factories import make_user
from tests.web.conftest import log_in

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"
API_ANSWERS = "/api/v1/workspaces/{key}/answers/export"
API_FEEDBACK = "/api/v1/workspaces/{key}/feedback/export"
PROBLEMS = "/w/{key}/import/feedback/imports/{import_id}/problems.csv"
# Route → the URLs that download it (``{import_id}`` filled in at run time) and whose language
# sets its delimiter: the workspace's (its customers', docs/export.md) or the reader's.
DOWNLOADS: dict[str, tuple[tuple[str, ...], str]] = {
    "/w/{key}/export/{name}.csv": (
        ("/w/demo/export/customer_answers.csv", "/w/demo/export/internal_answers.csv"),
        "workspace",
    ),
    "/w/{key}/listening/export.{fmt}": (("/w/demo/listening/export.csv",), "workspace"),
    "/w/{key}/import/template.csv": (("/w/demo/import/template.csv",), "workspace"),
    PROBLEMS: (
        ("/w/demo/import/feedback/imports/{import_id}/problems.csv",),
        "reader",
    ),
    API_ANSWERS: (
        (
            "/api/v1/workspaces/demo/answers/export?which=customer",
            "/api/v1/workspaces/demo/answers/export?which=internal",
        ),
        "workspace",
    ),
    API_FEEDBACK: (("/api/v1/workspaces/demo/feedback/export?format=csv",), "workspace"),
    # Last: the downloads above are in it (an admin's audit log of the workspace).
    "/audit.csv": (("/audit.csv?workspace=demo",), "reader"),
}


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every API route of the app with its full path, included routers opened."""
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(router.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def csv_routes(cx: Cxgap) -> set[str]:
    """GET routes that can answer CSV: by their path, their declared responses, or their
    code naming CSV or a table of media types."""
    found: set[str] = set()
    for path, route in _walk(create_app(cx=cx).routes):
        if "GET" not in route.methods:
            continue
        code = inspect.getsource(route.endpoint)
        clues = (
            "csv" in path,
            "{fmt}" in path,
            "text/csv" in str(route.responses),
            re.search(r"(?<![a-z])csv(?![a-z])", code.lower()) is not None,  # not "TopicsView"
            "MEDIA_TYPES" in code,
        )
        if any(clues):
            found.add(path)
    return found


def test_every_csv_route_of_the_app_is_checked_here(sqlite_cx: Cxgap) -> None:
    found = csv_routes(sqlite_cx)
    assert "/w/{key}/listening/export.{fmt}" in found  # the walk reached the routers
    assert found - DOWNLOADS.keys() == set(), f"add these routes to DOWNLOADS: {found}"
    assert DOWNLOADS.keys() - found == set()


@pytest.fixture(params=["fr", "en"])
def demo(request: pytest.FixtureRequest, cx: Cxgap) -> tuple[Cxgap, str, str]:
    """The demo (French customers), or the demo whose customers all wrote in English; its
    language, and an API token of an analyst of it."""
    language = str(request.param)
    with cx.transaction() as session:
        create_demo_workspace(session, n_customers=40, locale=language)
        workspace = get_workspace(session, "demo")
        make_user(session, workspace=workspace, role="admin")  # admin: the audit log too
        token = accounts.create_api_token(session, email="ana@example.com", name="csv")
        path = DATA / "generic_broken.csv"  # an import whose problems can be downloaded
        import_feedback(
            session,
            workspace=workspace,
            source=path,
            name=path.name,
            preset="generic",
            mapping=None,
            mode="skip_invalid",
        )
        if language == "en":
            for table, column in (
                (CustomerResponse, CustomerResponse.language),
                (Feedback, Feedback.language_hint),
                (TextEnrichment, TextEnrichment.language),
            ):
                session.execute(
                    update(table)
                    .where(table.workspace_id == workspace.id)  # type: ignore[attr-defined]
                    .values({column.key: "en"})
                )
    return cx, language, token


def strict_rows(body: bytes, delimiter: str) -> list[list[str]]:
    """The rows as RFC 4180 reads them with the delimiter the file must have."""
    text = body.decode("utf-8").removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), Rfc4180, delimiter=delimiter)
    return [row for row in reader if any(row)]


def shared_rows(body: bytes, name: str) -> list[list[str]]:
    """The rows as every cxgap import reads them: BOM, delimiter and encoding detected."""
    with open_table(io.BytesIO(body), name=name) as table:
        header = list(table.header)
        rows = [header]
        for number, values in table:
            assert values.defect is None, (name, number, values.defect)
            rows.append([values.get(column) or "" for column in header])
    return rows


def test_every_csv_download_has_the_bom_the_delimiter_and_reads_back(
    demo: tuple[Cxgap, str, str], client: TestClient
) -> None:
    cx, language, token = demo
    log_in(client, "ana@example.com")
    with cx.reading() as session:
        (problems_import,) = list_imports(session, get_workspace(session, "demo"))
    checked = 0
    for route, (urls, rule) in DOWNLOADS.items():
        for url in urls:
            for reader in ("fr", "en"):
                target = url.format(import_id=problems_import.id)
                target += f"{'&' if '?' in target else '?'}lang={reader}"
                headers = {"authorization": f"Bearer {token}"} if route.startswith("/api") else {}
                response = client.get(target, headers=headers)
                assert response.status_code == 200, (target, response.text[:300])
                assert response.headers["content-type"].startswith("text/csv"), target
                body = response.content
                assert body.startswith(b"\xef\xbb\xbf"), f"{target}: no byte order mark"
                delimiter = delimiter_for(language if rule == "workspace" else reader)
                expected = strict_rows(body, delimiter)
                assert len(expected) >= 2 and len(expected[0]) >= 2, (target, body[:200])
                width = len(expected[0])
                assert all(len(row) == width for row in expected), f"{target}: {delimiter!r}"
                assert shared_rows(body, "download.csv") == expected, target
                checked += 1
    assert checked == 2 * sum(len(urls) for urls, _ in DOWNLOADS.values())
