"""Member invitations: passwordless account, single-use expiring link, forced change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from cxgap.db.tables import MemberInvitation
from cxgap.errors import AuthenticationError, MemberInvitationError, NotFoundError, ValidationError
from cxgap.services import accounts, invitations
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import PASSWORD, make_user, make_workspace

NEW_PASSWORD = "a long new password"


def _invite(cx: Cxgap, email: str = "zoe@example.com") -> invitations.Invitation:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        return invitations.invite_member(
            session, workspace=workspace, email=email, role="analyst", name="Zoé", locale="fr"
        )


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "admin@example.com", workspace=workspace, role="admin")
    return cx


def test_an_invitee_cannot_sign_in_until_they_choose_a_password(acme: Cxgap) -> None:
    invitation = _invite(acme)
    assert invitation.token and invitation.expires_at
    assert invitation.expires_at - datetime.now(UTC) > timedelta(days=6, hours=23)
    with acme.transaction() as session:
        with pytest.raises(AuthenticationError):
            accounts.authenticate(session, email="zoe@example.com", password="")
        assert invitations.check_invitation(session, invitation.token).workspace_key == "acme"
        principal = invitations.accept_invitation(
            session, token=invitation.token, password=NEW_PASSWORD
        )
        assert principal.email == "zoe@example.com" and not principal.must_change_password
    with acme.transaction() as session:
        assert accounts.authenticate(session, email="zoe@example.com", password=NEW_PASSWORD)
        assert accounts.get_user(session, email="zoe@example.com").locale == "fr"


def test_the_link_works_once(acme: Cxgap) -> None:
    token = _invite(acme).token
    assert token
    with acme.transaction() as session:
        invitations.accept_invitation(session, token=token, password=NEW_PASSWORD)
    with acme.transaction() as session:
        with pytest.raises(MemberInvitationError) as caught:
            invitations.accept_invitation(session, token=token, password="another password!")
        assert caught.value.reason == "used"
        assert accounts.authenticate(session, email="zoe@example.com", password=NEW_PASSWORD)


def test_an_expired_link_is_refused(acme: Cxgap) -> None:
    token = _invite(acme).token
    assert token
    with acme.transaction() as session:
        past = datetime.now(UTC) - timedelta(minutes=1)
        session.execute(update(MemberInvitation).values(expires_at=past))
    with acme.transaction() as session, pytest.raises(MemberInvitationError) as caught:
        invitations.check_invitation(session, token)
    assert caught.value.reason == "expired"


def test_only_the_hash_of_the_link_is_stored(acme: Cxgap) -> None:
    token = _invite(acme).token
    assert token
    with acme.reading() as session:
        stored = session.execute(text("SELECT * FROM member_invitations")).all()
    assert stored and all(token not in str(value) for row in stored for value in row)


def test_inviting_again_kills_the_previous_link(acme: Cxgap) -> None:
    first = _invite(acme).token
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        user = accounts.get_user(session, email="zoe@example.com")
        second = invitations.reissue(session, workspace=workspace, user_id=user.id).token
        assert invitations.pending_member_ids(session, workspace) == {user.id}
    assert first and second and first != second
    with acme.transaction() as session:
        with pytest.raises(MemberInvitationError):
            invitations.check_invitation(session, first)
        invitations.accept_invitation(session, token=second, password=NEW_PASSWORD)
        workspace = get_workspace(session, "acme")
        assert invitations.pending_member_ids(session, workspace) == set()
        with pytest.raises(NotFoundError):  # nothing pending any more
            invitations.reissue(session, workspace=workspace, user_id=user.id)


def test_someone_with_an_account_only_gets_the_role(acme: Cxgap) -> None:
    with acme.transaction() as session:
        make_user(session, "ben@example.com")
    invitation = _invite(acme, "Ben@Example.com")
    assert invitation.token is None
    with acme.reading() as session:
        assert session.scalar(select(MemberInvitation.id)) is None
        assert accounts.authenticate(session, email="ben@example.com", password=PASSWORD)


def test_a_short_password_is_refused_and_the_link_still_works(acme: Cxgap) -> None:
    token = _invite(acme).token
    assert token
    with acme.transaction() as session, pytest.raises(ValidationError):
        invitations.accept_invitation(session, token=token, password="short")
    with acme.reading() as session:
        assert invitations.check_invitation(session, token).email == "zoe@example.com"


def test_a_generated_first_admin_password_must_be_changed(cx: Cxgap) -> None:
    with cx.transaction() as session:
        password = accounts.ensure_first_admin(session, email="root@example.com", password=None)
    assert password
    with cx.transaction() as session:
        principal = accounts.authenticate(session, email="root@example.com", password=password)
        assert principal.must_change_password
        accounts.set_password(session, email="root@example.com", password=NEW_PASSWORD)
    with cx.reading() as session:
        assert not accounts.get_user(session, email="root@example.com").must_change_password
