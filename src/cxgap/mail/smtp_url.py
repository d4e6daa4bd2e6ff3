"""The outgoing mail server, configured by one URL (``CXGAP_SMTP_URL``).

``smtp://user:pass@host:587?starttls=1`` speaks plain SMTP and upgrades with STARTTLS;
``smtps://user:pass@host:465`` opens TLS at once. User and password are percent-decoded, so a
password holding ``@`` or ``:`` is written ``%40`` or ``%3A``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from cxgap.errors import ConfigError

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_OPTIONS = {"starttls", "timeout"}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    use_tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0


def _masked(url: str) -> str:
    """The URL with its password replaced, safe to put in an error message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _flag(name: str, raw: str, url: str) -> bool:
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ConfigError(f"CXGAP_SMTP_URL option {name} must be 1 or 0, got {raw!r} in {_masked(url)}")


def parse_smtp_url(url: str) -> SmtpConfig:
    """Read ``smtp://`` or ``smtps://`` URLs; anything else is refused, naming the value.

    >>> parse_smtp_url("smtp://bob:s%40cret@mail.example.com:587?starttls=1")
    SmtpConfig(host='mail.example.com', port=587, use_tls=False, starttls=True, username='bob', timeout=30.0)
    >>> parse_smtp_url("smtps://mail.example.com").port
    465
    """  # noqa: E501
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise ConfigError(
            f"CXGAP_SMTP_URL must start with smtp:// or smtps://, got {_masked(url)!r}"
        )
    if not parts.hostname:
        raise ConfigError(f"CXGAP_SMTP_URL names no host: {_masked(url)!r}")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ConfigError(f"CXGAP_SMTP_URL has an invalid port: {_masked(url)!r}") from None
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - _OPTIONS)
    if unknown:
        raise ConfigError(
            f"CXGAP_SMTP_URL has unknown option {unknown[0]!r} (known: starttls, timeout)"
        )
    starttls = _flag("starttls", query.get("starttls", "0"), url)
    if starttls and parts.scheme == "smtps":
        raise ConfigError("CXGAP_SMTP_URL: smtps:// is already TLS; drop starttls=1")
    try:
        timeout = float(query.get("timeout", "30"))
    except ValueError:
        raise ConfigError(
            f"CXGAP_SMTP_URL option timeout must be seconds, got {query['timeout']!r}"
        ) from None
    return SmtpConfig(
        host=parts.hostname,
        port=port,
        use_tls=parts.scheme == "smtps",
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        timeout=timeout,
    )
