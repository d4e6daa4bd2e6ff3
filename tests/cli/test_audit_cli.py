"""``cxgap audit list/export`` and ``cxgap user password`` ending the user's sessions."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.audit import Action, Target, record
from cxgap.cli.main import app
from cxgap.db import tables
from cxgap.services import accounts, user_sessions
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace

runner = CliRunner()
LIFETIME = user_sessions.Lifetime.of(idle_minutes=60, max_days=1)


def _seed(cx: Cxgap) -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="admin")
        ana = accounts.principal_of(accounts.get_user(session, email="ana@example.com"))
        record(session, actor=ana, action=Action.SIGN_IN, details={"method": "password"})
        record(
            session,
            actor=ana,
            action=Action.DELETED,
            workspace=workspace,
            target=Target("persona", "=HYPERLINK(1)"),
        )
        return ana.user_id


def test_audit_list_and_export(cx: Cxgap, tmp_path: Path) -> None:
    _seed(cx)
    url = cx.settings.database_url
    listed = runner.invoke(app, ["audit", "list", "--database-url", url])
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.strip().splitlines()
    assert [line.split("\t")[2] for line in lines] == ["data.deleted", "auth.sign_in"]
    assert "2 of 2 events" in listed.stderr
    only = runner.invoke(app, ["audit", "list", "--action", "auth.sign_in", "--database-url", url])
    assert len(only.stdout.strip().splitlines()) == 1

    target = tmp_path / "audit.csv"
    done = runner.invoke(
        app, ["audit", "export", str(target), "--workspace", "acme", "--database-url", url]
    )
    assert done.exit_code == 0 and "1 events written" in done.stdout
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["action"] for r in rows] == ["data.deleted"]
    assert rows[0]["target_id"] == "'=HYPERLINK(1)"  # once guarded: a spreadsheet will not run it

    bad = runner.invoke(app, ["audit", "list", "--since", "yesterday", "--database-url", url])
    assert bad.exit_code == 2 and "since" in bad.stderr and "YYYY-MM-DD" in bad.stderr


def test_a_password_reset_on_the_command_line_ends_the_users_sessions(cx: Cxgap) -> None:
    ana = _seed(cx)
    with cx.transaction() as session:
        token = user_sessions.start(session, user_id=ana, lifetime=LIFETIME)
    result = runner.invoke(
        app,
        ["user", "password", "ana@example.com", "--database-url", cx.settings.database_url],
        input="a fresh long password\na fresh long password\n",
    )
    assert result.exit_code == 0, result.output
    with cx.transaction() as session:
        assert user_sessions.find_active(session, token, lifetime=LIFETIME) is None
        [event] = session.scalars(
            select(tables.AuditEvent).where(tables.AuditEvent.action == "account.password_changed")
        )
        assert event.details == {"via": "cli"} and event.target_id == str(ana)


def test_expiry_rules_of_the_session_store(cx: Cxgap) -> None:
    ana = _seed(cx)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with cx.transaction() as session:
        token = user_sessions.start(session, user_id=ana, lifetime=LIFETIME, now=start)
        later = start + timedelta(minutes=59)
        assert user_sessions.find_active(session, token, lifetime=LIFETIME, now=later)
        # Seen at 9:59, so alive until 10:59 (idle), but never past 9:00 the next day.
        assert user_sessions.find_active(
            session, token, lifetime=LIFETIME, now=later + timedelta(minutes=59)
        )
        assert not user_sessions.find_active(
            session, token, lifetime=LIFETIME, now=start + timedelta(days=1)
        )
        other = user_sessions.start(session, user_id=ana, lifetime=LIFETIME, now=start)
        assert not user_sessions.find_active(
            session, other, lifetime=LIFETIME, now=start + timedelta(minutes=61)
        )
        assert not user_sessions.find_active(session, "forged", lifetime=LIFETIME, now=start)


def test_user_agents_are_summarised() -> None:
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    )
    assert user_sessions.summarise_user_agent(firefox) == "Firefox on Linux"
    assert user_sessions.summarise_user_agent(iphone) == "Safari on iOS"
    assert user_sessions.summarise_user_agent("curl/8.5.0") == "curl"
    assert user_sessions.summarise_user_agent("") == ""


def test_ended_sessions_are_purged_at_the_next_sign_in(cx: Cxgap) -> None:
    ana = _seed(cx)
    with cx.transaction() as session:
        old = user_sessions.start(session, user_id=ana, lifetime=LIFETIME)
        user_sessions.end(session, old)
        user_sessions.start(session, user_id=ana, lifetime=LIFETIME)
        rows = session.scalars(select(tables.UserSession)).all()
    assert len(rows) == 1 and rows[0].revoked_at is None
