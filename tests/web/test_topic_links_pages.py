"""Touchpoints and topics linked where a user looks: the journey editor (topics by name, with
suggestions) and the taxonomy page (touchpoints by journey, stage and name), one link."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Job
from cxgap.services import journeys
from cxgap.services.core import Cxgap
from tests.enrichment_factory import add_feedback, add_topic
from tests.factories import make_user, make_workspace
from tests.journeys.samples import sample_journey
from tests.web.conftest import csrf_of, log_in

HTMX = {"HX-Request": "true"}


@pytest.fixture
def analyst(sqlite_cx: Cxgap, sqlite_client: TestClient) -> TestClient:
    with sqlite_cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(3))
        add_topic(session, ws, "late_delivery")
        add_topic(session, ws, "price")
        for i in range(12):  # 4 of the 12 enriched verbatims come by SMS, all late
            sms = i < 4
            add_feedback(
                session, ws, f"text {i}", channel="SMS" if sms else "phone", score=-0.6,
                findings=[("late_delivery" if sms else "price", -0.6)],
            )  # fmt: skip
        make_user(session, "ana@example.com", workspace=ws, role="analyst")
        make_user(session, "vic@example.com", workspace=ws, role="viewer")
    log_in(sqlite_client, "ana@example.com")
    return sqlite_client


def _editor(client: TestClient, lang: str = "en") -> tuple[dict[str, Any], dict[str, Any], str]:
    html = client.get(f"/w/acme/journeys/sample/edit?lang={lang}").text
    blocks = re.findall(
        r'<script type="application/json" id="je-(document|config)">(.*?)</script>', html, re.S
    )
    found = {name: json.loads(body) for name, body in blocks}
    return found["document"], found["config"], html


def _jobs(cx: Cxgap) -> int:
    with cx.reading() as session:
        return len(session.scalars(select(Job)).all())


def test_the_taxonomy_links_a_topic_to_touchpoints_by_name(
    sqlite_cx: Cxgap, analyst: TestClient
) -> None:
    form = analyst.get("/w/acme/listening/taxonomy/late_delivery?edit=1&lang=fr", headers=HTMX)
    assert "Sample journey (fr)" in form.text
    assert re.search(r'value="tp-2-0"\s*> Étape 2 › Point de contact 2\.0', form.text)
    assert 'name="touchpoint_keys" value="tp-2-0"' in form.text  # a checkbox, not a key to type
    token = csrf_of(analyst.get("/w/acme/listening/taxonomy").text)
    assert _jobs(sqlite_cx) == 0
    fields = {
        "csrf_token": token,
        "action": "save",
        "name_en": "Late delivery",
        "name_fr": "Retard de livraison",
        "touchpoint_keys": ["tp-2-0", "tp-0-0"],
    }
    saved = analyst.post("/w/acme/listening/taxonomy/late_delivery", data=fields, headers=HTMX)
    assert saved.status_code == 200
    assert "Sample journey (fr) › Étape 2 › Point de contact 2.0" in saved.text  # lang kept
    assert _jobs(sqlite_cx) == 1  # the French name changed what the models see: re-enrich
    relinked = analyst.post("/w/acme/listening/taxonomy/late_delivery", data=fields, headers=HTMX)
    assert relinked.status_code == 200 and _jobs(sqlite_cx) == 1  # links alone: none queued
    document, config, _ = _editor(analyst, "fr")
    topics = {tp["key"]: tp["topics"] for s in document["stages"] for tp in s["touchpoints"]}
    assert topics == {"tp-0-0": ["late_delivery"], "tp-1-0": [], "tp-2-0": ["late_delivery"]}
    assert ["late_delivery", "Retard de livraison"] in config["topics"]  # by name, in French


def test_the_editor_gets_suggestions_for_its_unsaved_document(analyst: TestClient) -> None:
    document, config, html = _editor(analyst)
    assert "/static/journey-topics.js" in html
    token = csrf_of(html)
    url = config["suggestUrl"]
    response = analyst.post(url, json=document, headers={"x-csrf-token": token})
    assert response.status_code == 200
    (late,) = response.json()["touchpoints"]["tp-2-0"]
    # 4 of the 4 SMS verbatims against 4 of 12 overall: 3×
    assert (
        late["evidence"] == "4 verbatims on the SMS channel mention Late delivery, 3× the average"
    )
    # an unsaved change of channel is what counts: tp-0-0 moved to SMS gets the suggestion
    document["stages"][0]["touchpoints"][0]["channel"] = "sms"
    moved = analyst.post(url, json=document, headers={"x-csrf-token": token}).json()
    assert [s["topic"] for s in moved["touchpoints"]["tp-0-0"]] == ["late_delivery"]
    # linked topics are not suggested again
    document["stages"][2]["touchpoints"][0]["topics"] = ["late_delivery"]
    linked = analyst.post(url, json=document, headers={"x-csrf-token": token}).json()
    assert linked["touchpoints"]["tp-2-0"] == []

    assert analyst.post(url, json=document).status_code == 403  # no CSRF token
    document["stages"][0]["touchpoints"][0]["channel"] = "pigeon"
    bad = analyst.post(url, json=document, headers={"x-csrf-token": token})
    assert bad.status_code == 422 and "$.stages[0].touchpoints[0].channel" in bad.text


def test_a_save_naming_an_unknown_topic_is_refused_with_its_path(analyst: TestClient) -> None:
    document, config, html = _editor(analyst)
    document["stages"][1]["touchpoints"][0]["topics"] = ["ghost"]
    headers = {"x-csrf-token": csrf_of(html), "if-match": f'"{config["revision"]}"'}
    refused = analyst.put("/w/acme/journeys/sample.json", json=document, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"][0]["field"] == "$.stages[1].touchpoints[0].topics[0]"
