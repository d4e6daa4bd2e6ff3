"""``cxgap enrich --engine``: refusals that need no Ray cluster (the Ray runs themselves are
in tests/jobs/test_ray_engine.py)."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import Job
from cxgap.services.core import Cxgap
from tests.factories import make_workspace
from tests.listening import add_feedback

runner = CliRunner()


@pytest.fixture
def url(sqlite_cx: Cxgap) -> str:
    with sqlite_cx.transaction() as session:
        add_feedback(session, make_workspace(session), ["Late parcel"])
    return sqlite_cx.settings.database_url


def _jobs(cx: Cxgap) -> int:
    with cx.reading() as session:
        return session.scalar(select(func.count()).select_from(Job)) or 0


def test_without_ray_installed_the_ray_engine_says_how_to_install_it(
    sqlite_cx: Cxgap, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails
    result = runner.invoke(
        app, ["enrich", "--workspace", "acme", "--engine", "ray", "--database-url", url]
    )
    assert result.exit_code == 2
    assert "pip install 'cxgap[ray]'" in result.stderr
    assert _jobs(sqlite_cx) == 0  # refused before queuing anything


def test_an_address_needs_the_ray_engine(sqlite_cx: Cxgap, url: str) -> None:
    result = runner.invoke(
        app, ["enrich", "--workspace", "acme", "--address", "auto", "--database-url", url]
    )
    assert result.exit_code == 2
    assert "--address is for --engine ray" in result.stderr
    assert _jobs(sqlite_cx) == 0
