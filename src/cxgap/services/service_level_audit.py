"""The audit events of a change to the service levels: who, when and what changed, in summary.

The summary names the document's sections that changed, the tiers added, removed or edited
(their keys) and the number of policies; never an account (a customer's name) nor a value
typed in the document, so the trail holds no personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.db.tables import Workspace

SECTIONS = ("calendar", "priorities", "policies", "tiers")
TARGET = "service_levels"


@dataclass(frozen=True)
class _Member:
    user_id: int


def _tiers(document: Mapping[str, Any]) -> dict[str, object]:
    return {str(t.get("name")): t for t in document.get("tiers") or [] if isinstance(t, dict)}


def _names(names: set[str]) -> str:
    return ", ".join(sorted(names))


def change_summary(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], assigned: int
) -> dict[str, object]:
    """What changed from ``before`` (None: the default, never saved) to ``after``."""
    previous = before or {}
    changed = [s for s in SECTIONS if before is None or previous.get(s) != after.get(s)]
    summary: dict[str, object] = {"sections": ", ".join(changed) or "—"}
    old, new = _tiers(previous), _tiers(after)
    for key, names in (
        ("tiers_added", set(new) - set(old)),
        ("tiers_removed", set(old) - set(new)),
        ("tiers_changed", {n for n in set(old) & set(new) if old[n] != new[n]}),
    ):
        if names and before is not None:
            summary[key] = _names(names)
    if "policies" in changed:
        summary["policies"] = len(after.get("policies") or [])
    if assigned:
        summary["accounts_assigned"] = assigned
    return summary


def record_saved(
    session: Session,
    *,
    workspace: Workspace,
    user_id: int | None,
    version: int,
    summary: Mapping[str, object],
) -> None:
    """``service_levels.changed``: a new version of the document was saved."""
    audit.record(
        session,
        actor=None if user_id is None else _Member(user_id),
        action=audit.Action.SERVICE_LEVELS_CHANGED,
        workspace=workspace,
        target=audit.Target(TARGET, version),  # the page shows "service levels, version N"
        details=dict(summary),
    )


def record_publication(
    session: Session, *, workspace: Workspace, user_id: int | None, published: bool, slug: str
) -> None:
    """The public menu published (or moved) at ``/menu/<slug>``, or withdrawn."""
    action = audit.Action.SERVICE_MENU_WITHDRAWN
    if published:
        action = audit.Action.SERVICE_MENU_PUBLISHED
    audit.record(
        session,
        actor=None if user_id is None else _Member(user_id),
        action=action,
        workspace=workspace,
        target=audit.Target("service_menu", f"/menu/{slug}" if slug else None),
    )
