"""Saving the service levels leaves an audit event: who, when, what changed in summary, and no
account name (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from cxgap.db.tables import AuditEvent
from cxgap.services import accounts, service_levels
from cxgap.services.core import Cxgap
from cxgap.sla.defaults import default_document
from tests.factories import make_user, make_workspace


def _events(cx: Cxgap) -> list[AuditEvent]:
    with cx.reading() as session:
        query = select(AuditEvent).where(AuditEvent.action.like("service_%"))
        query = query.order_by(AuditEvent.id)
        return list(session.scalars(query))


def test_each_save_says_what_changed_without_naming_accounts(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        user = accounts.get_user(
            session, email=make_user(session, workspace=workspace, role="admin")
        )
        document = default_document()
        document["tiers"][0]["accounts"] = ["boulangerie-martin"]
        service_levels.save_document(
            session, workspace=workspace, document=document, user_id=user.id
        )
        document = default_document()
        document["tiers"][1]["fee"] = 1090
        document["tiers"].append({"name": "gold", "fee": 5000})
        document["policies"].pop(0)
        service_levels.save_document(session, workspace=workspace, document=document, user_id=None)
        service_levels.set_publication(
            session, workspace=workspace, published=True, slug="acme", user_id=user.id
        )
        service_levels.set_publication(
            session, workspace=workspace, published=True, slug="acme", user_id=user.id
        )
        user_id = user.id
    first, second, published = _events(cx)
    assert (first.action, first.actor_user_id, first.workspace_key) == (
        "service_levels.changed",
        user_id,
        "acme",
    )
    assert first.target_id == "1"
    assert first.details == {
        "sections": "calendar, priorities, policies, tiers",
        "policies": 13,
        "accounts_assigned": 1,
    }
    assert "boulangerie" not in str(first.details)
    assert second.actor_user_id is None and second.target_id == "2"
    assert second.details == {
        "sections": "policies, tiers",
        "tiers_added": "gold",
        "tiers_changed": "premium",
        "policies": 12,
    }
    assert (published.action, published.target_id) == ("service_menu.published", "/menu/acme")
