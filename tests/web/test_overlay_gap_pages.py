"""An empty measured overlay says which step is missing, in order, in the page and its JSON
twin, in English and French: feedback imported through the real importer, enriched through
the real enrichment pipeline (keyword rules standing in for the models), linked in the editor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cxgap.services import enrichment, journeys
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import import_feedback
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_topic
from tests.factories import make_user, make_workspace
from tests.journeys.samples import sample_journey
from tests.listening import TOPICS, RuleAnalyzer
from tests.web.conftest import csrf_of, log_in

CSV = Path(__file__).parents[1] / "data" / "feedback" / "journey_overlay.csv"


@pytest.fixture
def analyst(cx: Cxgap, client: TestClient) -> TestClient:
    with cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(3))
        for key in ("delivery", "staff", "billing"):
            add_topic(session, ws, key)
        make_user(session, "ana@example.com", workspace=ws, role="analyst")
    log_in(client, "ana@example.com")
    return client


def _gap(client: TestClient, lang: str) -> tuple[dict[str, Any] | None, str]:
    document = client.get(f"/w/acme/journeys/sample.json?lang={lang}").json()
    page = client.get(f"/w/acme/journeys/sample?lang={lang}").text
    return document["overlay_gap"], page


def _link(client: TestClient, topics: dict[str, list[str]]) -> None:
    document = client.get("/w/acme/journeys/sample.json").json()
    for stage in document["stages"]:
        for tp in stage["touchpoints"]:
            tp["topics"] = topics.get(tp["key"], [])
    editor = client.get("/w/acme/journeys/sample/edit").text
    revision = re.search(r'"revision": (\d+)', editor)
    assert revision is not None
    headers = {"x-csrf-token": csrf_of(editor), "if-match": f'"{revision.group(1)}"'}
    response = client.put("/w/acme/journeys/sample.json", json=document, headers=headers)
    assert response.status_code == 200, response.text


def test_each_missing_step_in_turn_until_the_overlay_fills(cx: Cxgap, analyst: TestClient) -> None:
    gap, page = _gap(analyst, "en")
    assert gap is not None and (gap["missing"], gap["step"]) == ("no_feedback", 1)
    assert "No feedback has been imported" in gap["message"]
    assert 'data-overlay-gap="no_feedback"' in page and "/w/acme/import/feedback" in page
    gap, page = _gap(analyst, "fr")
    assert gap is not None and "Aucun retour client n'a encore été importé" in gap["message"]
    assert "étape 1 sur 4" in page

    with cx.transaction() as session:
        ws = get_workspace(session, "acme")
        import_feedback(session, workspace=ws, source=CSV, name=CSV.name, preset="generic",
                        mapping=None)  # fmt: skip
    gap, page = _gap(analyst, "en")
    assert gap is not None and (gap["missing"], gap["waiting"]) == ("not_enriched", 6)
    assert gap["message"].startswith("6 feedback items are waiting for the text enrichment")
    assert "/w/acme/listening/taxonomy" in page
    gap, _ = _gap(analyst, "fr")
    assert gap is not None and gap["message"].startswith("6 retours attendent l'enrichissement")

    run = enrichment.enrich_pending(cx.sessions, get_workspace_id(cx), RuleAnalyzer(TOPICS))
    assert run.enriched == 6
    gap, page = _gap(analyst, "en")
    assert gap is not None and (gap["missing"], gap["step"]) == ("no_links", 3)
    assert "/w/acme/journeys/sample/edit" in page and "Link topics in the editor" in page
    # steps 1 and 2 ticked, step 3 the current one
    assert page.count('class="overlay-step-done"') == 2
    assert '<li class="overlay-step-missing" aria-current="step">' in page

    _link(analyst, {"tp-0-0": ["billing"]})  # a topic no verbatim mentions
    gap, page = _gap(analyst, "en")
    assert gap is not None and gap["missing"] == "no_matches"
    assert gap["topics"] == [{"key": "billing", "name": "Billing"}]
    assert gap["channels"] == [{"channel": "sms", "count": 4}, {"channel": "e-mail", "count": 2}]
    assert "linked to Billing, but no enriched verbatim" in gap["message"]
    assert "sms (4), e-mail (2)" in gap["message"]
    gap, _ = _gap(analyst, "fr")
    assert gap is not None and "liés à Billing (fr), mais aucun verbatim" in gap["message"]

    _link(analyst, {"tp-0-0": ["billing"], "tp-2-0": ["delivery"]})
    gap, page = _gap(analyst, "en")
    assert gap is None and "data-overlay-gap" not in page
    document = analyst.get("/w/acme/journeys/sample.json").json()
    sms = document["stages"][2]["touchpoints"][0]
    assert (sms["key"], sms["topics"], sms["measured"]["feedback_count"]) == (
        "tp-2-0", ["delivery"], 4,
    )  # fmt: skip


def get_workspace_id(cx: Cxgap) -> int:
    with cx.reading() as session:
        return get_workspace(session, "acme").id
