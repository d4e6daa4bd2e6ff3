"""A tier's support hours edited on the Tiers page and shown on the public menu (FR/EN)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from cxgap.services import service_levels
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.web.test_service_levels_pages import _form_of, _setup


def _tiers(cx: Cxgap) -> list[dict[str, object]]:
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        tiers: list[dict[str, object]] = service_levels.load_service_levels(
            session, workspace=workspace
        ).document["tiers"]
        return tiers


def test_a_tier_gets_its_own_hours_and_the_menu_shows_them(cx: Cxgap, client: TestClient) -> None:
    token = _setup(cx, client)
    form = _form_of(client.get("/w/acme/service-levels/tiers").text)
    assert form["tiers[1].calendar.hours.mon"] == ""  # the workspace calendar until set
    for day in ("mon", "tue", "wed", "thu", "fri"):
        form[f"tiers[1].calendar.hours.{day}"] = "8:00-20:00"
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        form[f"tiers[2].calendar.hours.{day}"] = "00:00-24:00"
    form["tiers[2].calendar.open_on_holidays"] = "on"
    assert client.post("/w/acme/service-levels/tiers", data=form).status_code == 200
    standard, premium, enterprise = _tiers(cx)
    assert "calendar" not in standard
    assert premium["calendar"] == {
        "hours": {
            **{d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
            "sat": [],
            "sun": [],
        }
    }
    assert enterprise["calendar"]["holiday_country"] is None  # type: ignore[index]
    page = client.get("/w/acme/service-levels/tiers?lang=fr").text
    assert "Du lundi au vendredi : 08:00–20:00" in html.unescape(page)
    again = _form_of(page)
    assert again["tiers[2].calendar.hours.sun"] == "00:00-24:00"
    publish = {"csrf_token": token, "public_slug": "acme-support", "published": "on"}
    client.post("/w/acme/service-levels/publication", data=publish)
    anonymous = TestClient(client.app)
    french = html.unescape(anonymous.get("/menu/acme-support?lang=fr").text)
    assert "Heures de support des autres offres" in french
    assert "Du lundi au vendredi : 08:00–20:00" in french
    assert "Du lundi au dimanche : 00:00–24:00" in french
    assert french.count("Ouvert les jours fériés.") == 1  # Enterprise only
    english = html.unescape(anonymous.get("/menu/acme-support?lang=en").text)
    assert "Monday to Friday: 08:00–20:00" in english


def test_a_bad_tier_hour_is_shown_next_to_its_day_and_nothing_is_stored(
    cx: Cxgap, client: TestClient
) -> None:
    _setup(cx, client)
    form = _form_of(client.get("/w/acme/service-levels/tiers").text)
    form["tiers[1].calendar.hours.tue"] = "20:00-08:00"
    refused = client.post("/w/acme/service-levels/tiers?lang=fr", data=form)
    assert refused.status_code == 422
    assert 'id="tiers_1_-calendar-hours-tue-error"' in refused.text
    assert "20:00" in html.unescape(refused.text)
    form["tiers[1].calendar.hours.tue"] = "huit heures"
    english = client.post("/w/acme/service-levels/tiers?lang=en", data=form)
    assert english.status_code == 422 and 'id="tiers_1_-calendar-hours-tue-error"' in english.text
    assert all("calendar" not in tier for tier in _tiers(cx))
