"""``cxgap listening rebuild-counts``: the repair tool puts damaged counts right."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db import listening_cube
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_count_tables import ListeningCount
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.listening import add_feedback

runner = CliRunner()


def test_rebuild_counts_repairs_a_workspace_and_refuses_an_unknown_one(
    cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    cx.upgrade()
    with cx.transaction() as session:
        add_feedback(session, make_workspace(session), ["Late parcel", "Late parcel", "Nice"])
    with cx.transaction() as session:  # damage: counts lost
        session.execute(delete(ListeningCount))
    url = cx.settings.database_url
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    result = runner.invoke(
        app, ["listening", "rebuild-counts", "-w", "acme", "--database-url", url]
    )
    assert result.exit_code == 0, result.stderr
    assert "Comptages d’écoute de acme recalculés" in result.stdout
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        assert listening_cube.count_verbatims(session, workspace.id, FeedbackFilter()) == 3
        assert session.scalar(select(func.count()).select_from(ListeningCount)) == 1
    result = runner.invoke(
        app, ["listening", "rebuild-counts", "-w", "nope", "--database-url", url]
    )
    assert result.exit_code == 2 and "nope" in result.stderr
