"""``cxgap user token --workspace KEY --role ROLE``: the Integrations page's scoped token made
from the command line, and what the API then lets it do."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.warm_routes import app_for

runner = CliRunner()


def _token(cx: Cxgap, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["user", "token", *args, "--database-url", cx.settings.database_url]
    )
    return result.exit_code, result.stdout.strip() or result.stderr.strip()


def test_a_scoped_token_from_the_cli_acts_in_its_workspace_with_its_role(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        acme = make_workspace(session)
        make_workspace(session, "other", "Other")
        make_user(session, "adam@example.com", workspace=acme, role="admin")
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
    code, token = _token(
        sqlite_cx, "adam@example.com", "--workspace", "acme", "--role", "analyst", "--name", "ci"
    )
    assert code == 0 and token.startswith("cxg_"), token
    headers = {"authorization": f"Bearer {token}"}
    with TestClient(app_for(sqlite_cx)) as client:
        listed = client.get("/api/v1/workspaces", headers=headers).json()
        assert listed == [{"key": "acme", "name": "Acme", "role": "analyst"}]
        assert client.get("/api/v1/workspaces/acme/members", headers=headers).status_code == 403
        assert client.get("/api/v1/workspaces/acme/corrections", headers=headers).status_code == 200
    code, message = _token(sqlite_cx, "vic@example.com", "--workspace", "acme", "--role", "viewer")
    assert code == 2 and "needs the admin role" in message
    code, message = _token(sqlite_cx, "adam@example.com", "--workspace", "acme", "--role", "boss")
    assert code == 2 and "role" in message and "boss" in message
    code, message = _token(sqlite_cx, "adam@example.com", "--role", "viewer")
    assert code == 2 and "needs --workspace" in message
