"""The cxgap exception tree. Front ends translate these once: the web into a 4xx page or
JSON body, the CLI into a message and exit code 2."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Self


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
