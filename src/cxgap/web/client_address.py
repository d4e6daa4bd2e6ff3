"""Who is really asking: the client address behind the configured reverse proxies only.

Anyone can send ``X-Forwarded-For``; believing it from every peer (or, as uvicorn does by
default, from every connection that comes from 127.0.0.1) lets one machine pose as a new
client at each request and walk through the rate limits. The header is read only when the
connection comes from a proxy listed in ``CXGAP_TRUSTED_PROXIES``, and then right to left:
the first address that is not one of our proxies is the client (entries further left were
written by the client itself and prove nothing).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """The proxies whose forwarding headers are believed (``*``: any peer)."""

    def __init__(self, entries: Sequence[str]) -> None:
        self.any = "*" in entries
        self.networks: tuple[_Network, ...] = tuple(
            ipaddress.ip_network(entry, strict=False) for entry in entries if entry != "*"
        )

    def __bool__(self) -> bool:
        return self.any or bool(self.networks)

    def __contains__(self, host: str) -> bool:
        if self.any:
            return True
        try:
            address = ipaddress.ip_address(host.strip().strip("[]"))
        except ValueError:  # a unix socket, "testclient", garbage in a header
            return False
        return any(address in network for network in self.networks)


def forwarded_client(peer: str, forwarded_for: str, trusted: TrustedProxies) -> str:
    """The client address for a connection from ``peer`` carrying ``forwarded_for``.

    >>> proxies = TrustedProxies(["10.0.0.0/8"])
    >>> forwarded_client("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.9", proxies)
    '203.0.113.7'
    >>> forwarded_client("198.51.100.1", "6.6.6.6", proxies)  # not our proxy: ignored
    '198.51.100.1'
    """
    if peer not in trusted:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    # Every hop is one of our proxies (or there is no header): the left-most one we know.
    return hops[0] if hops else peer


class ClientAddressMiddleware:
    """Sets ``scope["client"]`` (and the scheme) from the forwarding headers of trusted
    proxies, so every route, limit and log sees the same client however cxgap is served."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: Sequence[str]) -> None:
        self.app = app
        self.trusted = TrustedProxies(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in {"http", "websocket"} and self.trusted and client:
            peer = str(client[0])
            if peer in self.trusted:
                headers = dict(scope.get("headers") or [])
                forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
                host = forwarded_client(peer, forwarded, self.trusted)
                # In place, as uvicorn's own does, so its access log names the client too.
                scope["client"] = (host, 0 if host != peer else client[1])
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1")
                proto = proto.split(",")[-1].strip().lower()
                if proto in {"http", "https"}:
                    secure = proto == "https"
                    if scope["type"] == "websocket":
                        scope["scheme"] = "wss" if secure else "ws"
                    else:
                        scope["scheme"] = proto
        await self.app(scope, receive, send)
