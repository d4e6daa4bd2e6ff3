"""A workspace's service levels stored: validated, versioned, accounts and incidents kept, and
handed to the SLA engine (SQLite and PostgreSQL)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cxgap.errors import ConflictError, NotFoundError, ValidationError
from cxgap.services import availability_incidents as incidents
from cxgap.services import service_accounts, service_levels
from cxgap.services.core import Cxgap
from cxgap.sla.credits import compute_credits
from cxgap.sla.defaults import default_document
from tests.factories import make_workspace


def _problem(exc: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str | None, object]:
    first = exc.value.problems[0]
    return first.field, first.code, first.value


def test_a_new_workspace_has_the_default_three_tier_menu_and_same_day_policy(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        levels = service_levels.load_service_levels(session, workspace=workspace)
        workspace_id = workspace.id
    assert levels.version == 0 and not levels.published
    assert [t["name"] for t in levels.document["tiers"]] == ["standard", "premium", "enterprise"]
    policies = service_levels.stored_policy_set(cx, workspace_id)
    assert policies is not None
    no_tier = policies.policy_for({"priority": "urgent"})
    assert no_tier is not None and no_tier.name == "same day"
    enterprise = policies.policy_for({"tier": "enterprise", "priority": "urgent"})
    assert enterprise is not None and enterprise.targets["first_response"] == 30
    assert service_levels.stored_policy_set(cx, 999_999) is None


def test_saving_keeps_the_previous_version_and_refuses_a_stale_edit(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        document = default_document()
        first = service_levels.save_document(
            session, workspace=workspace, document=document, user_id=None, expected_version=0
        )
        document["tiers"][0]["fee"] = 350
        second = service_levels.save_document(
            session, workspace=workspace, document=document, user_id=None, expected_version=1
        )
        with pytest.raises(ConflictError):
            service_levels.save_document(
                session, workspace=workspace, document=document, user_id=None, expected_version=1
            )
        past = service_levels.history(session, workspace=workspace)
        old = service_levels.past_document(session, workspace=workspace, version=1)
    assert (first.version, second.version) == (1, 2)
    assert second.document["tiers"][0]["fee"] == 350
    assert [p.version for p in past] == [1]
    assert old["tiers"][0]["fee"] == 290


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda d: d["calendar"].update(timezone="Mars/Olympus"), "calendar.timezone", "timezone"),
        (
            lambda d: d["calendar"]["hours"].update(mon=[["12:30", "09:00"]]),
            "calendar.hours.mon[0]",
            "interval_order",
        ),
        (
            lambda d: d["policies"][1]["targets"].update(resolution=-5),
            "policies[1].targets.resolution",
            "minutes",
        ),
        (lambda d: d["tiers"][1].update(fee="a lot"), "tiers[1].fee", "type"),
        (lambda d: d["tiers"][2].update(name="standard"), "tiers[2].name", "duplicate_tier"),
        (
            lambda d: d["calendar"].update(holiday_country="ZZ"),
            "calendar.holiday_country",
            "country",
        ),
    ],
)
def test_a_bad_document_is_refused_naming_its_path_and_nothing_is_stored(
    cx: Cxgap, change: object, field: str, code: str
) -> None:
    document = default_document()
    change(document)  # type: ignore[operator]
    with cx.transaction() as session:
        workspace = make_workspace(session)
        with pytest.raises(ValidationError) as refused:
            service_levels.save_document(
                session, workspace=workspace, document=document, user_id=None
            )
        assert _problem(refused)[:2] == (field, code)
        assert service_levels.load_service_levels(session, workspace=workspace).version == 0


def test_accounts_take_a_tier_of_the_menu_and_a_tier_in_use_cannot_be_removed(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        service_accounts.save_account(
            session,
            workspace=workspace,
            key="acme",
            name="Acme",
            tier="premium",
            contact="Call Jane on jane.doe@acme.example",
        )
        with pytest.raises(ValidationError) as refused:
            service_accounts.save_account(
                session, workspace=workspace, key="globex", name="Globex", tier="gold"
            )
        assert _problem(refused) == ("tier", "choice", "gold")
        smaller = default_document()
        smaller["tiers"] = [t for t in smaller["tiers"] if t["name"] != "premium"]
        smaller["policies"] = [p for p in smaller["policies"] if "premium" not in p["name"]]
        with pytest.raises(ValidationError) as in_use:
            service_levels.save_document(
                session, workspace=workspace, document=smaller, user_id=None
            )
        assert _problem(in_use)[:2] == ("tiers", "tier_in_use")
        [acme] = service_accounts.list_accounts(session, workspace=workspace)
    assert acme.tier == "premium"
    assert acme.contact is not None and "jane.doe@acme.example" not in acme.contact


def test_an_imported_menu_assigns_its_accounts_and_exports_them_back(cx: Cxgap) -> None:
    document = default_document()
    document["tiers"][2]["accounts"] = ["initech", "acme"]
    with cx.transaction() as session:
        workspace = make_workspace(session)
        service_levels.save_document(session, workspace=workspace, document=document, user_id=None)
        stored = service_levels.load_service_levels(session, workspace=workspace).document
        full = service_levels.full_document(session, workspace=workspace)
        workspace_id = workspace.id
    assert "accounts" not in stored["tiers"][2]
    assert full["tiers"][2]["accounts"] == ["acme", "initech"]
    menu = service_levels.stored_menu(cx, workspace_id)
    assert menu is not None and menu.tier_of("acme") is not None
    assert menu.tier_of("acme").name == "enterprise"  # type: ignore[union-attr]


def test_incidents_import_all_or_nothing_with_row_column_and_value(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        service_accounts.save_account(
            session, workspace=workspace, key="acme", name="Acme", tier="premium"
        )
        bad = (
            b"start,end,accounts,note\n"
            b"2026-04-02T10:00,2026-04-02T11:00,acme,ok\n"
            b"2026-04-03 10:00,yesterday,acme,\n"
            b"2026-04-04T10:00,2026-04-04T09:00,all,\n"
            b"2026-04-05T10:00,2026-04-05T11:00,globex,\n"
        )
        with pytest.raises(ValidationError) as refused:
            incidents.import_incidents_csv(session, workspace=workspace, data=bad)
        found = [(p.row, p.field, p.code, p.value) for p in refused.value.problems]
        assert found == [
            (3, "end", "instant", "yesterday"),
            (4, "end", "end_before_start", "2026-04-04T09:00"),
            (5, "accounts", "unknown_account", "globex"),
        ]
        assert incidents.list_incidents(session, workspace=workspace) == []
        good = b"start;end;accounts;note\n2026-04-02T10:00;2026-04-02T11:12;acme;db down\n"
        assert incidents.import_incidents_csv(session, workspace=workspace, data=good) == 1
        [stored] = incidents.list_incidents(session, workspace=workspace)
        workspace_id = workspace.id
    # Read in the calendar's zone (Paris, UTC+2 in April): 10:00 local is 08:00 UTC.
    assert stored.start == datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    assert stored.accounts == ["acme"] and stored.minutes == 72
    menu = service_levels.stored_menu(cx, workspace_id)
    assert menu is not None
    [*_, acme] = compute_credits(
        menu, [], [stored.as_incident()], date(2026, 4, 1), datetime(2026, 5, 1, tzinfo=UTC)
    )
    # 72 min of 43,200: 99.8333 % < 99.9 -> 10 % of 990 EUR.
    assert acme.account == "acme" and acme.credit_amount == Decimal("99.00")


def test_publication_needs_a_free_address_and_reaches_the_menu(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, "other", "Other")
        with pytest.raises(ValidationError) as refused:
            service_levels.set_publication(
                session, workspace=acme, published=True, slug="A!", user_id=None
            )
        assert _problem(refused)[:2] == ("public_slug", "slug")
        service_levels.set_publication(
            session, workspace=acme, published=True, slug="acme-support", user_id=None
        )
        with pytest.raises(ValidationError):
            service_levels.set_publication(
                session, workspace=other, published=True, slug="acme-support", user_id=None
            )
        found, levels = service_levels.published_levels(session, "acme-support")
        assert found.key == "acme" and levels.version == 1
        service_levels.set_publication(
            session, workspace=acme, published=False, slug="acme-support", user_id=None
        )
        with pytest.raises(NotFoundError):
            service_levels.published_levels(session, "acme-support")


def test_the_default_document_is_a_fresh_copy() -> None:
    first = default_document()
    first["tiers"][0]["fee"] = 1
    assert default_document()["tiers"][0]["fee"] == 290
    assert copy.deepcopy(default_document()) == default_document()
