"""``cxgap sso``: the policy and the group mappings, on the real database."""

from __future__ import annotations

from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import sso
from cxgap.services.core import Cxgap
from tests.factories import make_workspace

runner = CliRunner()


def cxgap(cx: Cxgap, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--database-url", cx.settings.database_url])
    return result.exit_code, result.stdout, result.stderr


def test_the_policy_and_mappings_are_set_from_the_command_line(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session, "acme", "Acme")
    code, out, _ = cxgap(
        sqlite_cx, "sso", "policy", "--new-user-workspace", "acme", "--new-user-role", "viewer"
    )
    assert code == 0 and "viewer in acme" in out
    assert cxgap(sqlite_cx, "sso", "map", "cx-team", "acme", "analyst")[0] == 0
    code, out, _ = cxgap(sqlite_cx, "sso", "status")
    assert code == 0 and "'cx-team' → analyst in acme" in out
    assert cxgap(sqlite_cx, "sso", "unmap", "cx-team", "acme")[0] == 0
    with sqlite_cx.reading() as session:
        assert sso.get_policy(session) == sso.PolicyView(True, "acme", "viewer")
        assert sso.list_group_roles(session) == []


def test_a_wrong_role_or_workspace_is_named(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session, "acme", "Acme")
    code, _, err = cxgap(sqlite_cx, "sso", "map", "cx-team", "acme", "owner")
    assert code == 2 and "'owner'" in err
    code, _, err = cxgap(sqlite_cx, "sso", "map", "cx-team", "nowhere", "viewer")
    assert code == 2 and "'nowhere'" in err


def test_passwords_stay_on_without_a_provider(sqlite_cx: Cxgap) -> None:
    code, _, err = cxgap(sqlite_cx, "sso", "policy", "--no-local-passwords")
    assert code == 2 and "CXGAP_OIDC_ISSUER" in err
    with sqlite_cx.reading() as session:
        assert sso.get_policy(session).local_passwords
