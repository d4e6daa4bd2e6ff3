"""Who signed in: the verified claims reduced to what cxgap uses, with the e-mail checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cxgap.errors import DomainNotAllowed, EmailNotVerified
from cxgap.sso.settings import OidcConfig


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str
    name: str
    groups: tuple[str, ...]


def _groups(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(sorted({g for g in value if isinstance(g, str) and g}))
    return ()


def _verified(claims: Mapping[str, Any]) -> bool:
    value = claims.get("email_verified")
    # Some providers send the string "true"; absent means not verified.
    return value is True or value == "true"


def identity_of(
    config: OidcConfig, id_claims: Mapping[str, Any], userinfo: Mapping[str, Any]
) -> Identity:
    """The identity from the ID token, completed by userinfo (whose ``sub`` must agree)."""
    if userinfo and userinfo.get("sub") != id_claims["sub"]:
        # OIDC Core 5.3.2: a userinfo answer about someone else must not be used.
        userinfo = {}
    claims = {**userinfo, **id_claims}
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or not _verified(claims):
        raise EmailNotVerified(
            "The identity provider did not give a verified e-mail address for this account"
        )
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[1]
    if config.allowed_domains and domain not in config.allowed_domains:
        raise DomainNotAllowed(
            f"E-mail domain {domain!r} is not allowed to sign in here", domain=domain
        )
    name = claims.get("name")
    return Identity(
        issuer=config.issuer,
        subject=str(id_claims["sub"]),
        email=email,
        name=name.strip()[:200] if isinstance(name, str) else "",
        groups=_groups(claims.get(config.groups_claim)),
    )
