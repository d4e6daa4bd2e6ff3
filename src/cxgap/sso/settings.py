"""The identity provider's configuration, read from cxgap's settings (never from the DB)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cxgap.config import Settings
from cxgap.errors import SsoNotConfigured


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str = field(default="", repr=False)
    display_name: str = "SSO"
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    allowed_domains: frozenset[str] = frozenset()
    groups_claim: str = "groups"

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def is_configured(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def oidc_config(settings: Settings) -> OidcConfig:
    """The provider settings, or SsoNotConfigured naming what is missing."""
    missing = [
        name
        for name, value in (
            ("CXGAP_OIDC_ISSUER", settings.oidc_issuer),
            ("CXGAP_OIDC_CLIENT_ID", settings.oidc_client_id),
        )
        if not value
    ]
    if missing:
        raise SsoNotConfigured(f"Single sign-on is not configured: set {', '.join(missing)}")
    scopes = tuple(settings.oidc_scopes.split())
    if "openid" not in scopes:
        scopes = ("openid", *scopes)
    domains = frozenset(
        d.strip().lower().lstrip("@") for d in settings.oidc_allowed_domains.split(",") if d.strip()
    )
    return OidcConfig(
        issuer=settings.oidc_issuer,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        display_name=settings.oidc_name or "SSO",
        scopes=scopes,
        allowed_domains=domains,
        groups_claim=settings.oidc_groups_claim or "groups",
    )
