"""A real OpenID Connect provider (oidc-provider-mock) on loopback, and cxgap configured for it."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from oidc_provider_mock import run_server_in_thread

from cxgap.services.core import Cxgap
from cxgap.sso import provider

CLIENT_ID = "cxgap-tests"
CLIENT_SECRET = "not-a-real-secret"
PROVIDER_NAME = "Mock IdP"


@dataclass(frozen=True)
class Provider:
    url: str  # also the issuer

    def set_user(self, sub: str, **claims: object) -> None:
        """What the provider says about ``sub`` (e-mail, email_verified, name, groups…)."""
        request = urllib.request.Request(
            f"{self.url}/users/{sub}",
            data=json.dumps(claims).encode(),
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 204


@contextmanager
def running_provider() -> Iterator[Provider]:
    with run_server_in_thread(require_nonce=True) as server:
        provider.forget_metadata()
        yield Provider(f"http://localhost:{server.server_port}")
    provider.forget_metadata()


def configure(cx: Cxgap, issuer: str, **overrides: str) -> None:
    """Point cxgap's settings at the provider (what CXGAP_OIDC_* do in production)."""
    cx.settings = replace(
        cx.settings,
        oidc_issuer=issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_name=PROVIDER_NAME,
        **overrides,
    )
