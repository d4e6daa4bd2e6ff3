"""The cxgap exception tree, all of it: every exception class of cxgap is defined here
(``tests/test_architecture.py`` checks it), so the whole tree reads in one place. Front ends
translate these once: the web into a 4xx page or JSON body, the CLI into a message and exit
code 2."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from cxgap.ingest.report import ImportReport


class CxgapError(Exception):
    """Base class of every error cxgap raises on purpose."""

    status_code = 400
    # The message as a catalogue key and its figures, where one exists (``keyed``): front
    # ends say it in the reader's language; ``str(error)`` stays the English message.
    message_key: str | None = None
    message_params: Mapping[str, object] = MappingProxyType({})

    def keyed(self, key: str, /, **params: object) -> Self:
        """This error, said by the catalogue message ``key`` with ``params`` where translated."""
        self.message_key, self.message_params = key, params
        return self


class ConfigError(CxgapError):
    """A setting is missing or has an invalid value."""


class MissingTextDependencyError(ConfigError):
    """A text-analytics library is not installed (a slim install without them)."""

    status_code = 503

    def __init__(
        self, message: str, *, module: str = "", purpose: str = "", hint: str = ""
    ) -> None:
        super().__init__(message)
        self.module = module
        self.purpose = purpose
        self.hint = hint


class NotFoundError(CxgapError):
    """The named workspace, campaign, survey or record does not exist."""

    status_code = 404


class PermissionDeniedError(CxgapError):
    """The current user may not do this in this workspace."""

    status_code = 403


class AuthenticationError(CxgapError):
    """Credentials or token are missing or wrong."""

    status_code = 401


class ConflictError(CxgapError):
    """The action clashes with stored state (duplicate key, replayed submission…)."""

    status_code = 409


class DuplicateSubmissionError(ConflictError):
    """The same form was already received (a double click or a replayed request)."""


class InvitationUsedError(ConflictError):
    """A single-use invitation was already used to answer."""


class RateLimitedError(CxgapError):
    """Too many requests from the same client in a short time."""

    status_code = 429


class PayloadTooLargeError(CxgapError):
    """An upload or a submitted text is larger than allowed."""

    status_code = 413


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one value: where it is, what it was, and why it is refused."""

    field: str
    message: str
    value: object = None
    row: int | None = None
    source: str | None = None
    # A stable name for the kind of problem and its figures, so that front ends can say it
    # in the user's language: "required", "range" (low, high), "too_long" (limit), "choice",
    # "rank" (n), "format", and for files "empty", "missing_column", "unknown_column",
    # "duplicate_column", "duplicate_row" (row), "ragged_row".
    code: str | None = None
    params: dict[str, object] = dataclasses.field(default_factory=dict, compare=False)

    def describe(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        where.append(f"column {self.field!r}" if self.row is not None else f"field {self.field!r}")
        shown = "" if self.value is None else f" (got {self.value!r})"
        return f"{', '.join(where)}: {self.message}{shown}"

    def as_dict(self) -> dict[str, object]:
        return {
            "field": self.field,
            "message": self.message,
            "value": None if self.value is None else str(self.value),
            "row": self.row,
            "source": self.source,
            "code": self.code,
        }


@dataclass
class ValidationError(CxgapError):
    """One or more submitted values are invalid; nothing was stored."""

    problems: list[FieldProblem] = field(default_factory=list)
    summary: str = "Invalid input"
    status_code = 422

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [p.describe() for p in self.problems[:20]]
        more = len(self.problems) - len(lines)
        if more > 0:
            lines.append(f"… and {more} more problems")
        return self.summary + (":\n  " + "\n  ".join(lines) if lines else "")

    @classmethod
    def single(
        cls,
        field: str,
        message: str,
        value: object = None,
        row: int | None = None,
        *,
        code: str | None = None,
        params: dict[str, object] | None = None,
    ) -> ValidationError:
        """One problem; its ``code`` and ``params`` let front ends say it in their language."""
        problem = FieldProblem(field, message, value, row, code=code, params=params or {})
        return cls([problem])


# --- Reading files ----------------------------------------------------------------------


class ValueProblem(ValueError):
    """Why a cell's value is refused; ``code`` and ``params`` are those of a FieldProblem."""

    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class DateError(ValueError):
    """A date that cannot be read; ``code`` is "ambiguous_date" or "format"."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class DateOrderError(ValueError):
    """The column's dates cannot be read one way: ``code`` is "ambiguous_date" or "format"."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ImportRefused(ValidationError):
    """Nothing may be stored; ``report`` says why (the front ends keep it in the history)."""

    report: ImportReport | None = None


# --- Segments ---------------------------------------------------------------------------


class SegmentRuleError(ValidationError):
    """A segment rule that cannot be read: the problem names the position and the token."""


# --- Journeys ---------------------------------------------------------------------------


class RevisionConflict(ConflictError):
    """Someone saved the journey since the revision an edit started from."""

    def __init__(self, message: str, *, revision: int, saved_at: datetime) -> None:
        super().__init__(message)
        self.revision, self.saved_at = revision, saved_at


class PreconditionRequired(ValidationError):
    """An edit that does not say which revision it started from (it could overwrite)."""

    status_code = 428

    def __init__(self, message: str) -> None:
        super().__init__([FieldProblem("If-Match", "is required", code="required")], message)


# --- E-mail -----------------------------------------------------------------------------


class MailNotConfiguredError(ConfigError):
    """No outgoing mail server is configured (CXGAP_SMTP_URL or CXGAP_MAIL_FROM is unset)."""

    status_code = 503


class MailServerError(CxgapError):
    """The mail server could not be reached or refused us (not one recipient)."""

    status_code = 502


class ReminderAlreadySentError(ConflictError):
    """A wave gets one reminder; this one already had it."""


# --- Accounts and sign-in ---------------------------------------------------------------


class MemberInvitationError(CxgapError):
    """The invitation link is unknown, already used or expired; ``reason`` says which."""

    status_code = 410

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class LoginSlowedDown(RateLimitedError):
    """The account has seen many wrong passwords lately: the next try must wait."""

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            f"Too many failed logins for this account; wait {wait_seconds} seconds, or sign in "
            "from a device you used before"
        )
        self.wait_seconds = wait_seconds


class LoginRequired(CxgapError):
    """The page needs a logged-in user; the web answers with a redirect to the login page."""

    status_code = 401


class CsrfError(CxgapError):
    """The form's anti-forgery token is missing or wrong (an old tab, or a forged request)."""

    status_code = 403


# --- Single sign-on: each with a message key the pages say in the reader's language -----


class SsoError(CxgapError):
    """A single sign-on that cannot go on; ``reason`` names the case (``sso.error.<reason>``)."""

    status_code = 400
    reason = "failed"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.keyed(f"sso.error.{self.reason}", **params)


class SsoNotConfigured(SsoError):
    """No identity provider is configured (CXGAP_OIDC_ISSUER and the client id)."""

    status_code = 404
    reason = "not_configured"


class ProviderUnavailable(SsoError):
    """The identity provider did not answer, or answered something that is not OpenID Connect."""

    status_code = 502
    reason = "provider_down"


class ProviderRefused(SsoError):
    """The identity provider refused the sign-in (the user cancelled, or the code was refused)."""

    status_code = 401
    reason = "provider_refused"


class StateMismatch(SsoError):
    """The answer does not belong to a sign-in this browser started (a forged or replayed link)."""

    reason = "state_mismatch"


class InvalidIdToken(SsoError):
    """The ID token's signature, issuer, audience, expiry or nonce is wrong; ``check`` names
    which (``sso.error.token_invalid.<check>``)."""

    status_code = 401
    reason = "token_invalid"

    def __init__(self, message: str, *, check: str) -> None:
        super().__init__(message)
        self.check = check
        self.keyed(f"sso.error.token_invalid.{check}")


class EmailNotVerified(SsoError):
    """The provider gave no e-mail address, or one it has not verified."""

    status_code = 403
    reason = "email_unverified"


class DomainNotAllowed(SsoError):
    """The e-mail's domain is not one of CXGAP_OIDC_ALLOWED_DOMAINS."""

    status_code = 403
    reason = "domain_not_allowed"


class NoRole(SsoError):
    """The user is known but has access to no workspace yet: an administrator must add them."""

    status_code = 403
    reason = "no_role"


class LocalPasswordsOff(SsoError):
    """Passwords are turned off on this instance: sign in with the identity provider."""

    status_code = 403
    reason = "local_passwords_off"


# --- Requests ---------------------------------------------------------------------------


class BodyLimitExceeded(Exception):
    """A request body grew past the limit while the app read it (BodyLimitMiddleware
    raises it in ``receive`` and answers 413 itself)."""


# Background jobs (cxgap.jobs)


class StopRequested(CxgapError):
    """The worker is shutting down: the job goes back to the queue, to be resumed."""

    status_code = 503


class QueueUnavailableError(ConfigError):
    """The Redis server of the queue cannot be reached."""

    status_code = 503


class JobTakenOver(CxgapError):
    """Another worker resumed this job (this one was presumed dead): stop without writing."""

    status_code = 409


class JobCancelled(CxgapError):
    """Someone asked for this job to be cancelled: stop, and mark it cancelled."""

    status_code = 409
