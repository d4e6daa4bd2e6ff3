"""The identity provider's answer stays out of the access log: ``/sso/callback``'s query
(authorization code, state) is replaced before uvicorn writes the line."""

from __future__ import annotations

import logging
import re

_CALLBACK_QUERY = re.compile(r"(/sso/callback\?)[^\s\"]*")
ACCESS_LOGGER = "uvicorn.access"


def redact_callback(text: str) -> str:
    """
    >>> redact_callback("GET /sso/callback?code=abc&state=xyz HTTP/1.1")
    'GET /sso/callback?*** HTTP/1.1'
    """
    return _CALLBACK_QUERY.sub(r"\1***", text)


class CallbackRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_callback(a) if isinstance(a, str) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = redact_callback(record.msg)
        return True


def install_callback_redaction() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, CallbackRedactor) for f in logger.filters):
        # First, so the other redactors (and tests that look at the last one) keep their place.
        logger.filters.insert(0, CallbackRedactor())
