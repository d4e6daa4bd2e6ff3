"""Secret links stay out of the logs: the access log's paths lose their tokens."""

from __future__ import annotations

import logging
import re

# /invite/<token>, /optout/<token>, /s/<token>, /a/<token>, /r/<token>, the community's
# /community/unsubscribe/<token>, /community/preferences/<token> and the board's e-mail
# sign-in link /community/<key>/signin/<token>, and
# ?invitation=<token>, also percent-encoded (``next=%2Fs%2F<token>%3Finvitation%3D<token>``
# on the way to the login page, or from a mail scanner that rewrote the link): tokens are
# URL-safe base64, so a ``%`` ends them.
_SLASH = r"(?:/|%2F)"
_SECRET = re.compile(
    rf"({_SLASH}(?:invite|optout|unsubscribe|preferences|signin|s|a|r){_SLASH})[^/?&%\s\"]+|(invitation(?:=|%3D))[^&%\s\"]+"
    # A survey link's shop or agent (``?u=Lyon%20Part-Dieu&sig=…``): a person's name, maybe.
    r"|((?:[?&]|%3F|%26)(?:u|sig)(?:=|%3D))(?:(?!%26)[^&\s\"])+",
    re.IGNORECASE,
)
ACCESS_LOGGER = "uvicorn.access"


def redact(text: str) -> str:
    """The text with link tokens replaced.

    >>> redact("/s/AbC123/thanks?invitation=xyz&lang=fr")
    '/s/***/thanks?invitation=***&lang=fr'
    >>> redact("/login?next=%2Fs%2FAbC123%3Finvitation%3Dxyz%26lang%3Dfr")
    '/login?next=%2Fs%2F***%3Finvitation%3D***%26lang%3Dfr'
    >>> redact("/community/acme/signin/12.1765000000.ab12?lang=fr")
    '/community/acme/signin/***?lang=fr'
    >>> redact("/s/AbC123?u=Lyon%20Part-Dieu&sig=0f3a&lang=fr")
    '/s/***?u=***&sig=***&lang=fr'
    """
    return _SECRET.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) + "***", text)


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
