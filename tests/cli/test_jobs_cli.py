"""``cxgap jobs list|retry|cancel`` on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import Job
from cxgap.jobs import store
from cxgap.services.core import Cxgap
from tests.factories import make_workspace

runner = CliRunner()


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_retry_and_cancel(cx: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXGAP_DATA_DIR", str(tmp_path))
    url = cx.settings.database_url
    with cx.transaction() as session:
        acme = make_workspace(session)
        failed = store.enqueue(session, "mail", workspace_id=acme.id)
        failed.status, failed.error, failed.attempts = "failed", "MailServerError: down", 1
        queued = store.enqueue(session, "purge")
        session.flush()
        failed_id, queued_id = failed.id, queued.id
    code, out, err = cxgap("jobs", "list", "--database-url", url)
    assert code == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert [(f[0], f[1], f[2], f[3]) for f in lines] == [
        (str(queued_id), "purge", "-", "queued"),
        (str(failed_id), "mail", "acme", "failed"),
    ]
    assert lines[1][-1] == "MailServerError: down" and "2 job(s)." in err
    code, out, _ = cxgap("jobs", "list", "-w", "acme", "--status", "failed", "--database-url", url)
    assert code == 0 and out.count("\n") == 1
    code, _, err = cxgap("jobs", "list", "--status", "asleep", "--database-url", url)
    assert code == 2 and "asleep" in err
    code, out, _ = cxgap("jobs", "retry", str(failed_id), "--database-url", url)
    assert code == 0 and f"Job {failed_id} (mail) queued again." in out
    code, out, _ = cxgap("jobs", "cancel", str(queued_id), "--database-url", url)
    assert code == 0 and "cancelled" in out
    code, _, err = cxgap("jobs", "cancel", str(queued_id), "--database-url", url)
    assert code == 2 and "only a waiting or running job" in err
    with cx.reading() as session:
        assert session.get(Job, failed_id).status == "queued"  # type: ignore[union-attr]
        assert session.get(Job, queued_id).status == "cancelled"  # type: ignore[union-attr]
