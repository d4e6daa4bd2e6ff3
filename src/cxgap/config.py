"""Settings, declared as data with a description each, read from the environment on demand."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cxgap.errors import ConfigError
from cxgap.files import private_dir, write_private_text


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting("CXGAP_DATA_DIR", "data", "Directory for the SQLite database and the secret key."),
    Setting(
        "CXGAP_DATABASE_URL",
        None,
        "SQLAlchemy URL; defaults to a SQLite file in CXGAP_DATA_DIR. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    ),
    Setting(
        "CXGAP_SECRET_KEY",
        None,
        "Key signing sessions and pseudonymising ids; generated into the data dir when unset.",
    ),
    Setting("CXGAP_MIN_GROUP_SIZE", "30", "Segments with fewer answers are suppressed."),
    Setting("CXGAP_SURVEY_RATE_LIMIT", "20", "Public survey submissions allowed per IP per hour."),
    Setting(
        "CXGAP_SURVEY_FAST_PATH",
        "1",
        "Set to 0 to send every survey answer through the full route (slower under load; "
        "the same answers are stored either way).",
    ),
    Setting("CXGAP_MAX_UPLOAD_MB", "20", "Largest accepted upload, in megabytes."),
    Setting(
        "CXGAP_IMPORT_JOBS",
        "1",
        "Processes mapping the rows of a large feedback import: 1, the import's own process; "
        "0, one per CPU (helps only where CPUs are idle).",
    ),
    Setting(
        "CXGAP_PG_JIT",
        "0",
        "Set to 1 to leave PostgreSQL's JIT compilation as the server has it; by default "
        "cxgap's connections run with jit = off.",
    ),
    Setting("CXGAP_SECURE_COOKIES", "0", "Set to 1 behind HTTPS so cookies carry the Secure flag."),
    Setting(
        "CXGAP_SMTP_URL",
        None,
        "Outgoing mail server: smtp://user:pass@host:587?starttls=1 or smtps://user:pass@host:465; "
        "unset: no e-mail (invitation links are shown to copy instead).",
    ),
    Setting("CXGAP_MAIL_FROM", None, "Sender of cxgap's e-mails, e.g. CX team <cx@example.com>."),
    Setting(
        "CXGAP_PUBLIC_URL",
        None,
        "The address people reach cxgap at (https://cx.example.com), used for links in e-mails; "
        "unset: the address of the request that sends them.",
    ),
    Setting(
        "CXGAP_TRUSTED_PROXIES",
        "",
        "Comma-separated addresses or networks (10.0.0.0/8) of the reverse proxies in front of "
        "cxgap, whose X-Forwarded-For and X-Forwarded-Proto headers are believed; empty: none "
        "(the connecting address is the client); * trusts any (only when nothing but the "
        "proxy can reach cxgap).",
    ),
    Setting(
        "CXGAP_SESSION_IDLE_MINUTES",
        "720",
        "A browser session unused this long ends (the user signs in again).",
    ),
    Setting(
        "CXGAP_SESSION_MAX_DAYS",
        "14",
        "A browser session ends this many days after sign-in, however active.",
    ),
    # Sign-in with the company's identity provider (OpenID Connect); see docs/security.md.
    Setting(
        "CXGAP_OIDC_ISSUER",
        None,
        "OpenID Connect issuer URL (https://login.microsoftonline.com/<tenant>/v2.0, "
        "https://accounts.google.com…); unset: no single sign-on.",
    ),
    Setting("CXGAP_OIDC_CLIENT_ID", None, "The client id cxgap is registered under."),
    Setting("CXGAP_OIDC_CLIENT_SECRET", None, "The client secret (keep it out of the repo)."),
    Setting("CXGAP_OIDC_NAME", "SSO", "The provider's name on the button: Sign in with <name>."),
    Setting("CXGAP_OIDC_SCOPES", "openid email profile", "Scopes asked of the provider."),
    Setting(
        "CXGAP_OIDC_ALLOWED_DOMAINS",
        None,
        "Comma-separated e-mail domains allowed to sign in (example.com,example.fr); unset: any.",
    ),
    Setting("CXGAP_OIDC_GROUPS_CLAIM", "groups", "The claim that lists the user's groups."),
    Setting(
        "CXGAP_MASK_CONTACTS",
        "1",
        "Set to 0 to keep e-mails, phone, card, IBAN and social security numbers written "
        "inside verbatims; by default they are replaced by [email], [phone]… before storing.",
    ),
    # Read when they are used rather than into Settings: first run, the CLI, model training.
    Setting(
        "CXGAP_ADMIN_EMAIL",
        "admin@example.com",
        "E-mail of the first administrator, created when the database has no user yet.",
    ),
    Setting(
        "CXGAP_ADMIN_PASSWORD",
        None,
        "Password of the first administrator; unset: one is generated and kept, readable by "
        "the owner only, in the data dir (initial-admin-password.txt).",
    ),
    Setting(
        "CXGAP_LOCALE",
        None,
        "Language of the command line's refusals (fr or en); unset: LC_ALL, LC_MESSAGES, LANG.",
    ),
    Setting(
        "CXGAP_SHARED_DATA",
        None,
        "Folder of the public labelled data the text models are trained and measured on; "
        "unset: ../shared/data beside the checkout, when it exists.",
    ),
    # The job queue and its workers (cxgap.jobs)
    Setting(
        "CXGAP_QUEUE",
        "embedded",
        "Where enrichment jobs are dispatched: 'embedded' (a thread of the web app or "
        "`cxgap enrich`; nothing to install) or 'redis' (workers started with `cxgap worker`).",
    ),
    Setting("CXGAP_REDIS_URL", "redis://127.0.0.1:6379/0", "The Redis server of the queue."),
    Setting(
        "CXGAP_REDIS_KEY",
        "cxgap:enrichment-jobs",
        "The Redis list holding job ids (one per installation sharing a Redis server).",
    ),
    Setting(
        "CXGAP_JOB_STALE_SECONDS",
        "120",
        "A running job whose worker sent no heartbeat for this long is resumed by another.",
    ),
    Setting("CXGAP_ENRICH_BATCH_SIZE", "256", "Distinct texts enriched per transaction."),
    Setting(
        "CXGAP_WEBHOOK_SECONDS",
        "2",
        "How often workers look for webhook deliveries due (a job is queued only when some are).",
    ),
    Setting(
        "CXGAP_PURGE_HOURS",
        "24",
        "How often finished job rows and abandoned uploads are purged.",
    ),
    Setting(
        "CXGAP_JOB_KEEP_DAYS",
        "30",
        "Finished jobs (done, failed, cancelled) are kept this many days, then purged.",
    ),
)


def setting_value(name: str) -> str | None:
    """The environment's value of a declared setting, else its default.

    Every ``CXGAP_*`` variable is read through here (or ``Settings.from_env``), so that the
    table above is the whole list of what cxgap reads; an undeclared name is refused.
    """
    declared = next((s for s in SETTINGS if s.name == name), None)
    if declared is None:
        raise ConfigError(f"{name} is not a declared setting (add it to cxgap.config.SETTINGS)")
    return os.environ.get(name, declared.default)


def hand_down(settings: Settings) -> None:
    """Put the settings every process of one installation must share into the environment,
    for the processes this one starts (``cxgap serve --workers N``): they then sign cookies
    and CSRF tokens with the same key and open the same database and data folder."""
    os.environ["CXGAP_SECRET_KEY"] = settings.resolved_secret_key()
    os.environ["CXGAP_DATABASE_URL"] = settings.database_url
    os.environ["CXGAP_DATA_DIR"] = str(settings.data_dir)


def _env(name: str) -> str | None:
    return setting_value(name)


def _int(name: str) -> int:
    raw = _env(name)
    try:
        value = int(raw or "")
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must be positive, got {value!r}")
    return value


def _proxies(name: str) -> tuple[str, ...]:
    """The trusted proxies, each checked: a typo would silently trust nobody (or everybody)."""
    entries = tuple(e.strip() for e in (_env(name) or "").split(",") if e.strip())
    for entry in entries:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError(
                f"{name} lists {entry!r}, which is neither an IP address nor a network"
            ) from None
    return entries


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    min_group_size: int = 30
    survey_rate_limit: int = 20
    survey_fast_path: bool = True
    max_upload_bytes: int = 20 * 1024 * 1024
    secure_cookies: bool = False
    secret_key: str = field(default="", repr=False)
    # Holds the SMTP password: kept out of repr so it never reaches a log.
    smtp_url: str | None = field(default=None, repr=False)
    mail_from: str = ""
    public_url: str = ""
    trusted_proxies: tuple[str, ...] = ()
    session_idle_minutes: int = 720
    session_max_days: int = 14
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    # The client secret: kept out of repr so it never reaches a log.
    oidc_client_secret: str = field(default="", repr=False)
    oidc_name: str = "SSO"
    oidc_scopes: str = "openid email profile"
    oidc_allowed_domains: str = ""
    oidc_groups_claim: str = "groups"
    mask_contacts: bool = True
    import_jobs: int = 1

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Settings:
        data_dir = Path(_env("CXGAP_DATA_DIR") or "data")
        url = database_url or _env("CXGAP_DATABASE_URL") or default_sqlite_url(data_dir)
        return cls(
            data_dir=data_dir,
            database_url=url,
            min_group_size=_int("CXGAP_MIN_GROUP_SIZE"),
            survey_rate_limit=_int("CXGAP_SURVEY_RATE_LIMIT"),
            survey_fast_path=_env("CXGAP_SURVEY_FAST_PATH") != "0",
            max_upload_bytes=_int("CXGAP_MAX_UPLOAD_MB") * 1024 * 1024,
            secure_cookies=_env("CXGAP_SECURE_COOKIES") == "1",
            secret_key=_env("CXGAP_SECRET_KEY") or "",
            smtp_url=_env("CXGAP_SMTP_URL") or None,
            mail_from=_env("CXGAP_MAIL_FROM") or "",
            public_url=(_env("CXGAP_PUBLIC_URL") or "").rstrip("/"),
            trusted_proxies=_proxies("CXGAP_TRUSTED_PROXIES"),
            session_idle_minutes=_int("CXGAP_SESSION_IDLE_MINUTES"),
            session_max_days=_int("CXGAP_SESSION_MAX_DAYS"),
            **_oidc_from_env(),
            mask_contacts=_env("CXGAP_MASK_CONTACTS") != "0",
            import_jobs=_int("CXGAP_IMPORT_JOBS"),
        )

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept in the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        private_dir(self.data_dir)
        key = secrets.token_urlsafe(48)
        write_private_text(path, key)
        return key


def _oidc_from_env() -> dict[str, str]:
    return {
        "oidc_issuer": _env("CXGAP_OIDC_ISSUER") or "",
        "oidc_client_id": _env("CXGAP_OIDC_CLIENT_ID") or "",
        "oidc_client_secret": _env("CXGAP_OIDC_CLIENT_SECRET") or "",
        "oidc_name": _env("CXGAP_OIDC_NAME") or "SSO",
        "oidc_scopes": _env("CXGAP_OIDC_SCOPES") or "openid email profile",
        "oidc_allowed_domains": _env("CXGAP_OIDC_ALLOWED_DOMAINS") or "",
        "oidc_groups_claim": _env("CXGAP_OIDC_GROUPS_CLAIM") or "groups",
    }


def default_sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'cxgap.sqlite3').resolve()}"


QUEUES = ("embedded", "redis")


@dataclass(frozen=True)
class QueueSettings:
    queue: str = "embedded"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_key: str = "cxgap:enrichment-jobs"
    stale_seconds: int = 120
    batch_size: int = 256

    @classmethod
    def from_env(cls) -> QueueSettings:
        """The settings from the environment, refused with the variable's name when invalid."""
        queue = _env("CXGAP_QUEUE") or "embedded"
        if queue not in QUEUES:
            raise ConfigError(f"CXGAP_QUEUE must be one of {', '.join(QUEUES)}, got {queue!r}")
        return cls(
            queue=queue,
            redis_url=_env("CXGAP_REDIS_URL") or "",
            redis_key=_env("CXGAP_REDIS_KEY") or "",
            stale_seconds=_positive("CXGAP_JOB_STALE_SECONDS"),
            batch_size=_positive("CXGAP_ENRICH_BATCH_SIZE"),
        )


def _positive(name: str) -> int:
    raw = _env(name) or ""
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value!r}")
    return value


@dataclass(frozen=True)
class ScheduleSettings:
    """How often the scheduled tasks run (``jobs/schedule.py``)."""

    webhook_seconds: int = 2
    purge_hours: int = 24
    keep_days: int = 30
    # The community's notices are sent every minute only where e-mail is set up: without a
    # server they wait (``cxgap notify send`` says why) instead of a job a minute saying so.
    mail: bool = False

    @classmethod
    def from_env(cls) -> ScheduleSettings:
        return cls(
            webhook_seconds=_positive("CXGAP_WEBHOOK_SECONDS"),
            purge_hours=_positive("CXGAP_PURGE_HOURS"),
            keep_days=_positive("CXGAP_JOB_KEEP_DAYS"),
            mail=bool(_env("CXGAP_SMTP_URL")),
        )
