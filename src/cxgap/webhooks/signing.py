"""HMAC-SHA256 signatures of webhook payloads, with the time they were sent.

The ``X-Cxgap-Signature`` header reads ``t=<unix seconds>,v1=<hex>``, where the hex digest is
HMAC-SHA256(secret, ``"<t>.<body>"``): a receiver recomputes it over the raw body and refuses
old timestamps, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Cxgap-Signature"
EVENT_HEADER = "X-Cxgap-Event"
DELIVERY_HEADER = "X-Cxgap-Delivery"
DEFAULT_TOLERANCE = 300  # seconds a receiver should accept between signing and checking


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, *, now: int, tolerance: int = DEFAULT_TOLERANCE
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is recent enough."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, parts.get("v1", ""))
