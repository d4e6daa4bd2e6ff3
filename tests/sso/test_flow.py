"""The authorization request cxgap sends, and the identity it reads back (no database)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest

from cxgap.errors import DomainNotAllowed, EmailNotVerified
from cxgap.sso import flow
from cxgap.sso.identity import identity_of
from cxgap.sso.settings import OidcConfig
from tests.sso.provider import CLIENT_ID, running_provider

CONFIG = OidcConfig(issuer="https://idp.example.com", client_id=CLIENT_ID)


def test_the_request_carries_pkce_state_and_nonce() -> None:
    with running_provider() as idp:
        config = OidcConfig(issuer=idp.url, client_id=CLIENT_ID)
        pending, url = flow.begin(config, redirect_uri="https://cx.example.com/sso/callback")
        again, _ = flow.begin(config, redirect_uri="https://cx.example.com/sso/callback")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{idp.url}/oauth2/authorize?")
    assert query["code_challenge_method"] == "S256"
    digest = hashlib.sha256(pending.verifier.encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert (query["state"], query["nonce"]) == (pending.state, pending.nonce)
    assert query["scope"].split() == ["openid", "email", "profile"]
    # Fresh, unguessable values each time.
    assert len(pending.state) >= 40 and pending.state != again.state
    assert pending.nonce != again.nonce and pending.verifier != again.verifier


def test_a_pending_sign_in_survives_the_session_and_refuses_junk() -> None:
    pending = flow.PendingSignIn("s", "n", "v", "https://cx.example.com/sso/callback", "/w/x")
    assert flow.PendingSignIn.from_dict(pending.as_dict()) == pending
    assert flow.PendingSignIn.from_dict({"state": "s"}) is None
    assert flow.PendingSignIn.from_dict("forged") is None


CLAIMS = {"sub": "42", "email": "Lea@Example.com", "email_verified": True, "name": " Léa "}


def test_the_identity_reads_email_name_and_the_configured_groups_claim() -> None:
    config = OidcConfig(issuer=CONFIG.issuer, client_id=CLIENT_ID, groups_claim="roles")
    found = identity_of(config, CLAIMS, {"sub": "42", "roles": ["b", "a", "a", 3]})
    assert (found.email, found.name, found.groups) == ("lea@example.com", "Léa", ("a", "b"))


def test_userinfo_about_someone_else_is_ignored() -> None:
    found = identity_of(CONFIG, CLAIMS, {"sub": "other", "groups": ["admins"]})
    assert found.groups == ()


@pytest.mark.parametrize("verified", [False, None, "false", "yes"])
def test_an_unverified_email_is_refused(verified: object) -> None:
    with pytest.raises(EmailNotVerified):
        identity_of(CONFIG, {**CLAIMS, "email_verified": verified}, {})


def test_the_string_true_counts_as_verified() -> None:
    assert identity_of(CONFIG, {**CLAIMS, "email_verified": "true"}, {}).email


def test_only_allowed_domains_sign_in() -> None:
    config = OidcConfig(
        issuer=CONFIG.issuer, client_id=CLIENT_ID, allowed_domains=frozenset({"example.org"})
    )
    with pytest.raises(DomainNotAllowed, match=r"example\.com"):
        identity_of(config, CLAIMS, {})
