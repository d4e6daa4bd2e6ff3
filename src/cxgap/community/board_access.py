"""Who may read and act on an idea board (``docs/community.md``, "Board settings"): an open
board takes new ideas, votes and comments, a closed one only reads; a public board shows to
anyone, a private one only to people signed in (by the board's e-mail link) with an address
on its allow-list: an e-mail domain (``example.com``, the exact domain: not its subdomains)
or an address (``ana@example.org``), one a line."""

from __future__ import annotations

import re

from cxgap.errors import FieldProblem, ValidationError

MAX_ENTRIES = 500
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$)(?:{_LABEL}\.)+[a-z]{{2,63}}$")
_LOCAL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")


def _entry(line: str) -> str | None:
    """The line as an allow-list entry (lower case; ``@example.com`` is the domain), or None."""
    clean = line.strip().lower().removeprefix("@")
    local, at, domain = clean.rpartition("@")
    if not _DOMAIN.match(domain):
        return None
    if at and not _LOCAL.match(local):
        return None
    return clean


def parse_allow_list(text: str) -> tuple[str, ...]:
    """The entries of the list as typed (blank lines and ``#`` notes left out, each once), or
    a ``ValidationError`` naming each line that is neither a domain nor an address.

    >>> parse_allow_list("Example.com\\n\\n@partner.fr\\nana@gmail.com # a customer\\n")
    ('example.com', 'partner.fr', 'ana@gmail.com')
    """
    entries: list[str] = []
    problems: list[FieldProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        entry = _entry(line)
        if entry is None:
            problems.append(
                FieldProblem(
                    "allow_list",
                    "is neither an e-mail domain nor an address",
                    line[:80],
                    row=number,
                    code="allow_entry",
                )
            )
        elif entry not in entries:
            entries.append(entry)
    if len(entries) > MAX_ENTRIES:
        problems.append(
            FieldProblem(
                "allow_list",
                f"has more than {MAX_ENTRIES} entries",
                len(entries),
                code="too_many",
                params={"limit": MAX_ENTRIES},
            )
        )
    if problems:
        raise ValidationError(problems, summary="Invalid allow-list")
    return tuple(entries)


def check_private(private: bool, entries: tuple[str, ...]) -> None:
    """A private board needs someone who may sign in."""
    if private and not entries:
        problem = FieldProblem(
            "allow_list",
            "needs at least one domain or address for a private board",
            code="allow_empty",
        )
        raise ValidationError([problem], summary="Invalid board settings")


def allowed(entries: tuple[str, ...], email: str) -> bool:
    """Whether the address is on the list: listed itself, or its domain is.

    >>> allowed(("example.com", "ana@gmail.com"), "Bob@Example.com")
    True
    >>> allowed(("example.com",), "bob@mail.example.com"), allowed(("example.com",), "x@gmail.com")
    (False, False)
    """
    address = email.strip().lower()
    domain = address.rpartition("@")[2]
    return address in entries or domain in entries
