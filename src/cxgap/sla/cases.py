"""A case as the SLA engine sees it: when it was opened, who said what, its statuses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

MEMBER_AUTHORS: frozenset[str] = frozenset({"agent", "member"})
RESOLVED_STATUSES: frozenset[str] = frozenset({"resolved", "closed"})


@dataclass(frozen=True)
class Event:
    """Something that happened on a case: a reply, a status change or a field update."""

    at: datetime
    type: str
    by: str | None = None
    public: bool = True
    auto: bool = False
    status: str | None = None
    fields: Mapping[str, object] = field(default_factory=dict)

    @property
    def is_response(self) -> bool:
        """A public reply written by a member: not an internal note, not an automatic one."""
        return self.type == "reply" and self.by in MEMBER_AUTHORS and self.public and not self.auto

    @property
    def is_customer_message(self) -> bool:
        return self.type == "reply" and self.by == "customer"

    @property
    def resolves(self) -> bool:
        return self.type == "status" and self.status in RESOLVED_STATUSES


@dataclass(frozen=True)
class Case:
    """A case, its attributes (priority, channel, tier…) and its events in time order."""

    id: str
    created_at: datetime
    attributes: Mapping[str, object]
    events: Sequence[Event]
    account: str | None = None

    def attributes_at(self, now: datetime) -> dict[str, object]:
        """The attributes as of ``now``: the case's own, then its updates in order."""
        current = dict(self.attributes)
        for event in self.events:
            if event.type == "update" and event.at <= now:
                current.update(event.fields)
        return current
