"""Forwarding headers are believed from the configured proxies only, right to left."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cxgap.config import Settings
from cxgap.errors import ConfigError
from cxgap.web.client_address import ClientAddressMiddleware


async def _who(request: Request) -> JSONResponse:
    host = request.client.host if request.client else None
    return JSONResponse({"client": host, "scheme": request.url.scheme})


def _seen(peer: str, trusted: list[str], headers: dict[str, str]) -> dict[str, str]:
    app = ClientAddressMiddleware(Starlette(routes=[Route("/", _who)]), trusted_proxies=trusted)
    with TestClient(app, client=(peer, 4000)) as client:
        result: dict[str, str] = client.get("/", headers=headers).json()
        return result


def test_without_configured_proxies_the_header_is_ignored() -> None:
    forged = {"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https"}
    assert _seen("127.0.0.1", [], forged) == {"client": "127.0.0.1", "scheme": "http"}


def test_a_peer_that_is_not_a_proxy_cannot_name_another_client() -> None:
    seen = _seen("198.51.100.1", ["10.0.0.0/8"], {"X-Forwarded-For": "6.6.6.6"})
    assert seen["client"] == "198.51.100.1"


def test_behind_proxies_the_right_most_address_that_is_not_ours_is_the_client() -> None:
    headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7, 10.0.0.9", "X-Forwarded-Proto": "https"}
    seen = _seen("10.0.0.2", ["10.0.0.0/8"], headers)
    assert seen == {"client": "203.0.113.7", "scheme": "https"}
    assert _seen("::1", ["::1"], {"X-Forwarded-For": "2001:db8::5"})["client"] == "2001:db8::5"


def test_a_mistyped_proxy_setting_is_refused_naming_the_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CXGAP_TRUSTED_PROXIES", "10.0.0.1, nginx.local")
    with pytest.raises(ConfigError, match=r"CXGAP_TRUSTED_PROXIES lists 'nginx.local'"):
        Settings.from_env()
    monkeypatch.setenv("CXGAP_TRUSTED_PROXIES", " 10.0.0.0/8 ,::1")
    assert Settings.from_env().trusted_proxies == ("10.0.0.0/8", "::1")
