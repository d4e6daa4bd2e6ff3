"""Talking to the identity provider: discovery, keys, the code exchange and userinfo.

Plain ``urllib`` with a timeout: the only network cxgap reaches for a sign-in is the configured
provider, and each failure becomes ProviderUnavailable (or ProviderRefused for an OAuth error).
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from threading import Lock
from typing import Any

from cxgap.errors import ProviderRefused, ProviderUnavailable
from cxgap.sso.settings import OidcConfig

TIMEOUT_S = 10.0
METADATA_TTL_S = 3600.0
MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    signing_algs: tuple[str, ...]


_cache: dict[str, tuple[float, ProviderMetadata]] = {}
_cache_lock = Lock()


def _request_json(request: urllib.request.Request) -> dict[str, Any]:
    host = urllib.parse.urlsplit(request.full_url).netloc
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = response.read(MAX_BODY + 1)
    except urllib.error.HTTPError as exc:
        raise _http_error(exc, host) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ProviderUnavailable(
            f"The identity provider at {host} did not answer ({reason})", host=host
        ) from None
    try:
        data = json.loads(body[:MAX_BODY])
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ProviderUnavailable(
            f"The identity provider at {host} did not answer with JSON", host=host
        )
    return data


def _http_error(exc: urllib.error.HTTPError, host: str) -> Exception:
    """A 400/401 from the token endpoint is an OAuth refusal; anything else, an outage."""
    if exc.code in (400, 401, 403):
        try:
            detail = json.loads(exc.read(MAX_BODY)).get("error", "")
        except (ValueError, AttributeError, OSError):
            detail = ""
        return ProviderRefused(
            f"The identity provider refused the sign-in ({detail or exc.code})",
            detail=str(detail or exc.code),
        )
    return ProviderUnavailable(
        f"The identity provider at {host} answered HTTP {exc.code}", host=host
    )


def get_json(url: str, *, bearer: str | None = None) -> dict[str, Any]:
    headers = {"Accept": "application/json"}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    return _request_json(urllib.request.Request(url, headers=headers))


def post_form(
    url: str, form: dict[str, str], *, basic: tuple[str, str] | None = None
) -> dict[str, Any]:
    data = urllib.parse.urlencode(form).encode()
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if basic:
        # RFC 6749 2.3.1: each part form-encoded, then Base64 (client_secret_basic).
        pair = ":".join(urllib.parse.quote(part, safe="") for part in basic)
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    return _request_json(urllib.request.Request(url, data=data, headers=headers, method="POST"))


def _required(document: dict[str, Any], name: str, host: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value:
        raise ProviderUnavailable(
            f"The identity provider at {host} publishes no {name} in its discovery document",
            host=host,
        )
    return value


def discover(config: OidcConfig) -> ProviderMetadata:
    """The provider's endpoints, from its discovery document (kept for an hour)."""
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(config.issuer)
    if cached and now - cached[0] < METADATA_TTL_S:
        return cached[1]
    document = get_json(config.discovery_url)
    host = urllib.parse.urlsplit(config.discovery_url).netloc
    # The discovery document must name the issuer we were configured with (OIDC Discovery 4.3).
    if document.get("issuer") != config.issuer:
        raise ProviderUnavailable(
            f"The identity provider at {host} calls itself {document.get('issuer')!r}, "
            f"not the configured CXGAP_OIDC_ISSUER {config.issuer!r}",
            host=host,
        )
    algs = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    metadata = ProviderMetadata(
        issuer=config.issuer,
        authorization_endpoint=_required(document, "authorization_endpoint", host),
        token_endpoint=_required(document, "token_endpoint", host),
        jwks_uri=_required(document, "jwks_uri", host),
        userinfo_endpoint=document.get("userinfo_endpoint") or None,
        signing_algs=tuple(a for a in algs if isinstance(a, str)),
    )
    with _cache_lock:
        _cache[config.issuer] = (now, metadata)
    return metadata


def forget_metadata() -> None:
    """Drop cached discovery documents (a provider moved, or a test started a new one)."""
    with _cache_lock:
        _cache.clear()


def exchange_code(
    config: OidcConfig, metadata: ProviderMetadata, *, code: str, redirect_uri: str, verifier: str
) -> dict[str, Any]:
    """The token response for an authorization code (client_secret_basic, with PKCE)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": config.client_id,
        "code_verifier": verifier,
    }
    basic = (config.client_id, config.client_secret) if config.client_secret else None
    return post_form(metadata.token_endpoint, form, basic=basic)


def userinfo(metadata: ProviderMetadata, access_token: str) -> dict[str, Any]:
    if not metadata.userinfo_endpoint:
        return {}
    return get_json(metadata.userinfo_endpoint, bearer=access_token)
