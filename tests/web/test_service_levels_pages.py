"""The service-level pages: viewers read, admins edit through forms; a bad value is shown next
to its field in the reader's language and nothing is stored; the public menu answers only
once published, without signing in."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import AuditEvent
from cxgap.services import availability_incidents, service_accounts, service_levels
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

PAGES = ("", "/calendar", "/policies", "/tiers", "/accounts", "/incidents")


def _setup(cx: Cxgap, client: TestClient, role: str = "admin") -> str:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, f"{role}@example.com", workspace=workspace, role=role)
    log_in(client, f"{role}@example.com")
    return csrf_of(client.get("/w/acme/service-levels").text)


def _version(cx: Cxgap) -> int:
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        return service_levels.load_service_levels(session, workspace=workspace).version


def _form_of(page: str) -> dict[str, str]:
    """The named inputs of the first POST form of a page, as a browser would send them."""
    fields = {}
    for tag in re.findall(r"<input [^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if name is None or 'type="checkbox"' in tag or 'type="file"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[html.unescape(name[1])] = html.unescape(value[1]) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        fields[html.unescape(name)] = html.unescape(text)
    return fields


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_viewer_reads_every_page_without_a_save_button(
    sqlite_cx: Cxgap, sqlite_client: TestClient, lang: str
) -> None:
    _setup(sqlite_cx, sqlite_client, "viewer")
    for suffix in PAGES:
        response = sqlite_client.get(f"/w/acme/service-levels{suffix}?lang={lang}")
        assert response.status_code == 200, suffix
        assert ("Enregistrer" if lang == "fr" else ">Save<") not in response.text
    tiers = sqlite_client.get(f"/w/acme/service-levels/tiers?lang={lang}").text
    assert "Entreprise" in tiers if lang == "fr" else "Enterprise" in tiers


def test_the_calendar_form_saves_a_lunch_break_and_lists_the_next_holidays(
    cx: Cxgap, client: TestClient
) -> None:
    _setup(cx, client)
    page = client.get("/w/acme/service-levels/calendar").text
    assert "Monday to Friday: 09:00–12:30 and 13:30–18:00" in html.unescape(page)
    form = _form_of(page) | {"calendar.hours.sat": "09:00-12:00", "calendar.holidays": "2027-08-16"}
    response = client.post("/w/acme/service-levels/calendar", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    assert _version(cx) == 1
    page = html.unescape(client.get("/w/acme/service-levels/calendar").text)
    assert "Saturday: 09:00–12:00" in page and "2027-08-16" in page
    assert "Christmas" in page or "Noël" in page  # a named public holiday among the next 10


@pytest.mark.parametrize(
    ("field", "value", "english", "french"),
    [
        ("calendar.hours.mon", "9h-12h", "write each interval as", "écrivez chaque plage"),
        ("calendar.hours.tue", "14:00-10:00", "intervals must start before", "les plages doivent"),
        ("calendar.timezone", "Mars/Olympus", "unknown time zone", "fuseau horaire inconnu"),
        ("calendar.holiday_country", "ZZ", "country or subdivision unknown", "inconnu"),
    ],
)
def test_a_bad_calendar_value_is_shown_next_to_its_field_in_both_languages(
    sqlite_cx: Cxgap, sqlite_client: TestClient, field: str, value: str, english: str, french: str
) -> None:
    _setup(sqlite_cx, sqlite_client)
    form = _form_of(sqlite_client.get("/w/acme/service-levels/calendar").text) | {field: value}
    for lang, words in (("en", english), ("fr", french)):
        response = sqlite_client.post(f"/w/acme/service-levels/calendar?lang={lang}", data=form)
        assert response.status_code == 422
        field_id = field.replace(".", "-")
        error = re.search(rf'<p class="error" id="{field_id}-error">([^<]*)</p>', response.text)
        assert error is not None and words in html.unescape(error[1]), response.text[-3000:]
    assert _version(sqlite_cx) == 0


def test_policies_reorder_and_a_bad_target_names_its_row(cx: Cxgap, client: TestClient) -> None:
    _setup(cx, client)
    form = _form_of(client.get("/w/acme/service-levels/policies").text)
    form["policies[12].position"] = "0"  # the "same day" catch-all first
    form["policies[13].name"] = "vip"
    form["policies[13].match.segment"] = "vip, gold"
    form["policies[13].targets.first_response"] = "quinze"
    refused = client.post("/w/acme/service-levels/policies", data=form)
    assert refused.status_code == 422
    assert 'id="policies_13_-targets-first_response-error"' in refused.text
    assert _version(cx) == 0
    form["policies[13].targets.first_response"] = "15"
    assert client.post("/w/acme/service-levels/policies", data=form).status_code == 200
    with cx.reading() as session:
        document = service_levels.load_service_levels(
            session, workspace=get_workspace(session, "acme")
        ).document
    assert document["policies"][0]["name"] == "same day"
    assert document["policies"][-1]["match"] == {"segment": ["vip", "gold"]}


def test_tiers_form_changes_a_fee_and_refuses_a_credit_rule_without_percent(
    cx: Cxgap, client: TestClient
) -> None:
    _setup(cx, client)
    form = _form_of(client.get("/w/acme/service-levels/tiers").text)
    form["tiers[1].fee"] = "1 090,50"
    form["tiers[1].sla_credits[2].below"] = "80"
    refused = client.post("/w/acme/service-levels/tiers?lang=fr", data=form)
    assert refused.status_code == 422 and "cette valeur est obligatoire" in refused.text
    form["tiers[1].sla_credits[2].percent"] = "40"
    assert client.post("/w/acme/service-levels/tiers", data=form).status_code == 200
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        premium = service_levels.load_service_levels(session, workspace=workspace).document[
            "tiers"
        ][1]
    assert premium["fee"] == 1090.5 and premium["sla_credits"][-1] == {"below": 80, "percent": 40}


def test_accounts_incidents_and_the_published_menu(cx: Cxgap, client: TestClient) -> None:
    token = _setup(cx, client)
    add = {"csrf_token": token, "key": "acme-corp", "name": "Acme Corp", "tier": "premium"}
    assert client.post("/w/acme/service-levels/accounts", data=add).status_code == 200
    bad = client.post("/w/acme/service-levels/accounts", data=add | {"tier": "gold"})
    assert bad.status_code == 422 and 'id="tier-error"' in bad.text
    csv = b"start,end,accounts,note\n2026-04-02T10:00,2026-04-02T09:00,acme-corp,\n"
    files = {"file": ("incidents.csv", csv, "text/csv")}
    refused = client.post(
        "/w/acme/service-levels/incidents/import?lang=fr", data={"csrf_token": token}, files=files
    )
    assert refused.status_code == 422 and "Ligne 2 · end" in html.unescape(refused.text)
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        assert availability_incidents.list_incidents(session, workspace=workspace) == []
        assert service_accounts.list_accounts(session, workspace=workspace)[0].tier == "premium"
    assert client.get("/menu/acme-support").status_code == 404
    publish = {"csrf_token": token, "public_slug": "acme-support", "published": "on"}
    assert client.post("/w/acme/service-levels/publication", data=publish).status_code == 200
    anonymous = TestClient(client.app)
    menu = anonymous.get("/menu/acme-support?lang=fr")
    assert menu.status_code == 200 and menu.headers["cache-control"] == "no-store"
    text = html.unescape(menu.text)
    assert "Si moins de 95\u00a0% des délais" in text and "plafonnés à 50\u00a0%" in text
    assert "Du lundi au vendredi : 09:00–12:30 et 13:30–18:00" in text
    assert "990\u00a0€" in text and "30\u00a0min" in text and "@media print" in text
    english = html.unescape(anonymous.get("/menu/acme-support?lang=en").text)
    assert "If fewer than 95\u00a0% of response and resolution targets are met" in english
    withdraw = {"csrf_token": token, "public_slug": "acme-support"}
    client.post("/w/acme/service-levels/publication", data=withdraw)
    assert anonymous.get("/menu/acme-support").status_code == 404


def test_the_json_export_imports_back_and_a_bad_file_names_the_path(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    token = _setup(sqlite_cx, sqlite_client)
    exported = sqlite_client.get("/w/acme/service-levels.json")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    files = {"file": ("menu.json", exported.content, "application/json")}
    ok = sqlite_client.post(
        "/w/acme/service-levels/import", data={"csrf_token": token}, files=files
    )
    assert ok.status_code == 200 and _version(sqlite_cx) == 1
    broken = exported.content.replace(b'"Europe/Paris"', b'"Nowhere/City"')
    files = {"file": ("menu.json", broken, "application/json")}
    refused = sqlite_client.post(
        "/w/acme/service-levels/import", data={"csrf_token": token}, files=files
    )
    assert refused.status_code == 422 and "calendar.timezone" in refused.text
    assert _version(sqlite_cx) == 1


def test_a_save_over_someone_elses_change_is_refused_and_stays_refused(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client)
    stale = _form_of(sqlite_client.get("/w/acme/service-levels/tiers").text)
    fresh = stale | {"tiers[0].fee": "300"}
    assert sqlite_client.post("/w/acme/service-levels/tiers", data=fresh).status_code == 200
    refused = sqlite_client.post("/w/acme/service-levels/tiers", data=stale | {"tiers[0].fee": "1"})
    assert refused.status_code == 409
    again = _form_of(refused.text)
    assert again["version"] == "0"  # the form keeps the version it started from
    assert sqlite_client.post("/w/acme/service-levels/tiers", data=again).status_code == 409
    assert _version(sqlite_cx) == 1


def test_incidents_are_listed_in_the_calendars_time_zone(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    token = _setup(sqlite_cx, sqlite_client)
    add = {"csrf_token": token, "start": "2026-04-02T10:00", "end": "2026-04-02T11:30+02:00"}
    added = sqlite_client.post("/w/acme/service-levels/incidents", data=add | {"accounts": "all"})
    assert added.status_code == 200
    page = sqlite_client.get("/w/acme/service-levels/incidents").text
    assert "2026-04-02 10:00" in page and "2026-04-02 11:30" in page and ">90<" in page


def test_deleting_an_account_or_an_incident_is_in_the_audit_log(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    token = _setup(sqlite_cx, sqlite_client)
    add = {"csrf_token": token, "key": "acme-corp", "name": "Acme Corp", "tier": "premium"}
    sqlite_client.post("/w/acme/service-levels/accounts", data=add)
    incident = {"csrf_token": token, "start": "2026-04-02T10:00", "end": "2026-04-02T11:00"}
    sqlite_client.post("/w/acme/service-levels/incidents", data=incident | {"accounts": "all"})
    with sqlite_cx.reading() as session:
        [item] = availability_incidents.list_incidents(
            session, workspace=get_workspace(session, "acme")
        )
    data = {"csrf_token": token}
    assert sqlite_client.post(
        "/w/acme/service-levels/accounts/acme-corp/delete", data=data
    ).is_success
    assert sqlite_client.post(
        f"/w/acme/service-levels/incidents/{item.id}/delete", data=data
    ).is_success
    with sqlite_cx.reading() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.target_type, AuditEvent.target_id).where(
                AuditEvent.action == "data.deleted"
            )
        ).all()
    assert sorted(events) == [
        ("data.deleted", "availability_incident", str(item.id)),
        ("data.deleted", "service_account", "acme-corp"),
    ]
