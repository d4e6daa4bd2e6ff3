"""The authorization-code flow with PKCE, state and nonce, from the button to a verified identity.

``begin`` makes the one-time values the browser's session keeps and the provider address to
send the browser to; ``finish`` checks the provider's answer against them and returns who
signed in. The session stores the pending sign-in; this module never sees it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import urllib.parse
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cxgap.errors import InvalidIdToken, ProviderRefused, StateMismatch
from cxgap.sso import provider
from cxgap.sso.identity import Identity, identity_of
from cxgap.sso.settings import OidcConfig
from cxgap.sso.tokens import verify_id_token

OAUTH_ERROR = re.compile(r"[a-z_]{1,40}")


@dataclass(frozen=True)
class PendingSignIn:
    """What the browser's session keeps between the button and the provider's answer."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    next: str = "/"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: object) -> PendingSignIn | None:
        if not isinstance(raw, dict):
            return None
        try:
            return cls(
                **{k: str(raw[k]) for k in ("state", "nonce", "verifier", "redirect_uri")},
                next=str(raw.get("next", "/")),
            )
        except KeyError:
            return None


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def begin(
    config: OidcConfig, *, redirect_uri: str, next_path: str = "/", locale: str = ""
) -> tuple[PendingSignIn, str]:
    """A new pending sign-in and the provider's address to send the browser to."""
    metadata = provider.discover(config)
    pending = PendingSignIn(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64),
        redirect_uri=redirect_uri,
        next=next_path,
    )
    query = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(config.scopes),
        "state": pending.state,
        "nonce": pending.nonce,
        "code_challenge": _challenge(pending.verifier),
        "code_challenge_method": "S256",
    }
    if locale:
        query["ui_locales"] = locale
    separator = "&" if "?" in metadata.authorization_endpoint else "?"
    return pending, metadata.authorization_endpoint + separator + urllib.parse.urlencode(query)


def _checked_answer(
    pending: PendingSignIn | None, params: Mapping[str, str]
) -> tuple[PendingSignIn, str]:
    """The authorization code, once the answer is known to belong to this browser's sign-in."""
    if params.get("error"):
        # Said before the state check: some providers drop the state from a refusal, and an
        # error signs nobody in whoever sent it.
        # Only an OAuth error code is shown: the text comes from the link, not the provider.
        error = params["error"] if OAUTH_ERROR.fullmatch(params["error"]) else "error"
        raise ProviderRefused(f"The identity provider refused the sign-in ({error})", detail=error)
    state = params.get("state", "")
    if pending is None or not hmac.compare_digest(state.encode(), pending.state.encode()):
        raise StateMismatch("The sign-in answer does not match a sign-in started in this browser")
    code = params.get("code", "")
    if not code:
        raise ProviderRefused("The identity provider sent no code", detail="no code")
    return pending, code


def finish(
    config: OidcConfig, pending: PendingSignIn | None, params: Mapping[str, str]
) -> Identity:
    """Who signed in, once state, code, ID token and e-mail all check out."""
    pending, code = _checked_answer(pending, params)
    metadata = provider.discover(config)
    tokens = provider.exchange_code(
        config, metadata, code=code, redirect_uri=pending.redirect_uri, verifier=pending.verifier
    )
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise InvalidIdToken("The identity provider sent no ID token", check="missing")
    claims = verify_id_token(
        id_token,
        jwks=provider.get_json(metadata.jwks_uri),
        algs=metadata.signing_algs,
        issuer=config.issuer,
        client_id=config.client_id,
        nonce=pending.nonce,
    )
    info: dict[str, Any] = {}
    access_token = tokens.get("access_token")
    if isinstance(access_token, str) and metadata.userinfo_endpoint:
        info = provider.userinfo(metadata, access_token)
    return identity_of(config, claims, info)
