"""ID-token verification with real signatures (joserfc keys made here), one check at a time."""

from __future__ import annotations

import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from cxgap.errors import InvalidIdToken
from cxgap.sso.tokens import verify_id_token

ISSUER = "https://idp.example.com"
CLIENT = "cxgap"
NONCE = "n-0S6_WzA2Mj"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})  # same kid, another key
JWKS = {"keys": [KEY.as_dict(private=False)]}


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": CLIENT, "sub": "248289761001", "iat": now, "exp": now + 300}
    base["nonce"] = NONCE
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def signed(payload: dict[str, Any], key: Any = KEY, alg: str = "RS256") -> str:
    return jwt.encode({"alg": alg, "kid": "k1"}, payload, key)


def verify(token: str, nonce: str = NONCE) -> dict[str, Any]:
    return verify_id_token(
        token, jwks=JWKS, algs=["RS256"], issuer=ISSUER, client_id=CLIENT, nonce=nonce
    )


def test_a_good_token_gives_its_claims() -> None:
    assert verify(signed(claims()))["sub"] == "248289761001"


def test_a_token_listing_us_among_audiences_with_azp_is_accepted() -> None:
    assert verify(signed(claims(aud=["other", CLIENT], azp=CLIENT)))["sub"]


HOUR = 3600


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"iss": "https://evil.example.com"}, "issuer"),
        ({"aud": "another-app"}, "audience"),
        ({"aud": ["another-app", CLIENT], "azp": "another-app"}, "authorized party"),
        ({"exp": -HOUR}, "expired"),  # times relative to the test's own clock
        ({"exp": None}, "no expiry"),
        ({"iat": HOUR}, "issued in the future"),
        ({"nonce": "replayed"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"sub": ""}, "subject"),
    ],
)
def test_a_wrong_claim_is_refused_naming_it(changes: dict[str, Any], why: str) -> None:
    # Built when the test runs, not when it is collected: a long suite would age them.
    now = int(time.time())
    timed = {k: now + v for k, v in changes.items() if k in {"exp", "iat"} and v is not None}
    with pytest.raises(InvalidIdToken, match=why):
        verify(signed(claims(**{**changes, **timed})))


def test_a_token_signed_by_another_key_is_refused() -> None:
    with pytest.raises(InvalidIdToken, match="bad signature"):
        verify(signed(claims(), key=OTHER_KEY))


def test_a_tampered_payload_is_refused() -> None:
    header, _payload, signature = signed(claims()).split(".")
    forged = signed(claims(sub="admin"), key=OTHER_KEY).split(".")[1]
    with pytest.raises(InvalidIdToken):
        verify(f"{header}.{forged}.{signature}")


def test_a_symmetric_token_keyed_with_public_material_is_refused() -> None:
    """Algorithm confusion: HS256 with the public key (or anything) as the secret."""
    secret = OctKey.import_key("a-secret-anyone-could-guess-32bytes!")
    with pytest.raises(InvalidIdToken):
        verify(signed(claims(), key=secret, alg="HS256"))


def test_an_unsigned_token_is_refused() -> None:
    import base64
    import json

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    with pytest.raises(InvalidIdToken):
        verify(f"{part({'alg': 'none'})}.{part(claims())}.")
