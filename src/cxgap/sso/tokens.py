"""ID-token verification: signature against the provider's keys, then every claim we rely on.

OpenID Connect Core 3.1.3.7: the issuer is the configured one, the audience holds our client id
(and ``azp`` names us when there are several), the token has not expired, and the nonce is the
one this browser's sign-in sent. Symmetric and ``none`` algorithms are never accepted.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterable, Mapping
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from cxgap.errors import InvalidIdToken

ASYMMETRIC_ALGS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
LEEWAY_S = 60


def _refuse(check: str, what: str) -> InvalidIdToken:
    message = f"The identity provider's ID token was refused: {what}"
    return InvalidIdToken(message, check=check)


def _signed_claims(id_token: str, jwks: Mapping[str, Any], algs: Iterable[str]) -> dict[str, Any]:
    allowed = sorted(ASYMMETRIC_ALGS.intersection(algs)) or ["RS256"]
    try:
        keys = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]
        token = jwt.decode(id_token, keys, algorithms=allowed)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise _refuse("signature", f"bad signature or format ({type(exc).__name__})") from None
    return dict(token.claims)


def _check_audience(claims: Mapping[str, Any], client_id: str) -> None:
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if client_id not in audiences:
        raise _refuse("audience", f"audience {aud!r} is not this client")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise _refuse("audience", f"authorized party {claims.get('azp')!r} is not this client")


def _check_times(claims: Mapping[str, Any], now: float) -> None:
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise _refuse("expiry", "no expiry")
    if exp + LEEWAY_S < now:
        raise _refuse("expiry", "expired")
    if not isinstance(iat, int | float) or iat - LEEWAY_S > now:
        raise _refuse("expiry", "issued in the future or without a date")


def verify_id_token(
    id_token: str,
    *,
    jwks: Mapping[str, Any],
    algs: Iterable[str],
    issuer: str,
    client_id: str,
    nonce: str,
    now: float | None = None,
) -> dict[str, Any]:
    """The ID token's claims once all checks pass; InvalidIdToken naming the first that fails."""
    claims = _signed_claims(id_token, jwks, algs)
    if claims.get("iss") != issuer:
        raise _refuse("issuer", f"issuer {claims.get('iss')!r} is not {issuer!r}")
    _check_audience(claims, client_id)
    _check_times(claims, time.time() if now is None else now)
    sent = claims.get("nonce")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), nonce.encode()):
        raise _refuse("nonce", "nonce does not match this sign-in")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise _refuse("subject", "no subject")
    return claims
