"""Secret links stay out of the logs: the access log's paths lose their tokens."""

from __future__ import annotations

import logging
import re

# /invite/<token>, /optout/<token>, /s/<token>, /a/<token>, and ?invitation=<token>.
_SECRET = re.compile(r"(/(?:invite|optout|s|a)/)[^/?\s\"]+|(invitation=)[^&\s\"]+")
ACCESS_LOGGER = "uvicorn.access"


def redact(text: str) -> str:
    """The text with link tokens replaced.

    >>> redact("/s/AbC123/thanks?invitation=xyz&lang=fr")
    '/s/***/thanks?invitation=***&lang=fr'
    """
    return _SECRET.sub(lambda m: (m.group(1) or m.group(2)) + "***", text)


class TokenRedactor(logging.Filter):
    """Rewrites a record's string arguments (uvicorn passes the path as one of them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_redaction() -> None:
    """Add the filter to the access logger once, however many apps are created."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, TokenRedactor) for f in logger.filters):
        logger.addFilter(TokenRedactor())
