"""Persona forms and the journey editor's page and save endpoint (the browser tests drive the
script itself: tests/browser/test_journey_editor_browser.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cxgap.i18n import catalog
from cxgap.journeys.document import journey_to_document
from cxgap.services import journeys
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.journeys.samples import sample_journey
from tests.web.conftest import csrf_of, log_in

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "cxgap" / "web" / "templates"


@pytest.fixture
def analyst(sqlite_cx: Cxgap, sqlite_client: TestClient) -> TestClient:
    with sqlite_cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(4))
        make_user(session, "ana@example.com", workspace=ws, role="analyst")
        make_user(session, "vic@example.com", workspace=ws, role="viewer")
    log_in(sqlite_client, "ana@example.com")
    return sqlite_client


def _persona_form(client: TestClient, **fields: Any) -> dict[str, Any]:
    token = csrf_of(client.get("/w/acme/personas/new").text)
    form: dict[str, Any] = {"csrf_token": token, "key": "bob", "name": "Bob Leroy"}
    form.update(fields)
    return form


def _put(client: TestClient, document: Any, revision: object = 1, **headers: str) -> Any:
    token = csrf_of(client.get("/w/acme/journeys/sample/edit").text)
    sent = {"x-csrf-token": token, "if-match": f'"{revision}"', **headers}
    return client.put("/w/acme/journeys/sample.json", json=document, headers=sent)


@pytest.mark.parametrize(("lang", "heading"), [("en", "New persona"), ("fr", "Nouveau persona")])
def test_the_persona_list_offers_the_forms(analyst: TestClient, lang: str, heading: str) -> None:
    page = analyst.get(f"/w/acme/personas?lang={lang}")
    assert page.status_code == 200
    assert heading in page.text and 'href="/w/acme/personas/ana"' in page.text
    assert 'href="/w/acme/journeys/sample/edit"' in page.text


def test_creating_a_persona_through_the_form(analyst: TestClient) -> None:
    form = _persona_form(
        analyst,
        quote="Cheaper, please.",
        needs="Low prices\nFree delivery",
        preferred_channels=["sms", "email"],
        generation="Gen Z",
        segment="home",
    )
    response = analyst.post("/w/acme/personas/new", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/w/acme/personas/bob"
    page = analyst.get("/w/acme/personas/bob?lang=fr")
    assert "Bob Leroy" in page.text and ">BL<" in page.text  # the initials avatar
    assert "Ménages" in page.text and "E-mail" in page.text and "Free delivery" in page.text


@pytest.mark.parametrize(("lang", "message"), [("en", "is required"), ("fr", "est obligatoire")])
def test_form_errors_are_shown_next_to_their_field(
    analyst: TestClient, lang: str, message: str
) -> None:
    analyst.get(f"/w/acme/personas?lang={lang}")
    form = _persona_form(analyst, key="ana", name="", segment="ghost")
    page = analyst.post("/w/acme/personas/new", data=form)
    assert page.status_code == 422
    assert re.search(r'id="name-error">' + message, page.text)
    assert 'id="key-error">' in page.text and 'id="segment-error">' in page.text
    assert 'aria-invalid="true"' in page.text
    assert 'value="ana"' in page.text  # what was typed is kept


def test_editing_a_persona_checks_nobody_saved_in_between(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/personas/ana/edit").text
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page)
    assert fingerprint
    form = {
        "csrf_token": csrf_of(page),
        "fingerprint": fingerprint.group(1),
        "name": "Ana Duval",
        "segment": "pro",
    }
    first = analyst.post("/w/acme/personas/ana/edit", data=form, follow_redirects=False)
    assert first.status_code == 303
    analyst.get("/w/acme/personas?lang=fr")
    again = analyst.post("/w/acme/personas/ana/edit", data={**form, "name": "Ana B."})
    assert again.status_code == 409 and "a modifié ce persona depuis" in again.text
    assert 'value="Ana B."' in again.text  # what was typed is not lost
    assert "Ana Duval" in analyst.get("/w/acme/personas/ana").text


def test_a_persona_used_by_a_journey_is_not_deleted(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/personas/ana?lang=fr").text
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page)
    assert fingerprint
    form = {"csrf_token": csrf_of(page), "fingerprint": fingerprint.group(1)}
    refused = analyst.post("/w/acme/personas/ana/delete", data=form)
    assert refused.status_code == 409
    assert "Non supprimé : Ana est le persona du parcours listé ci-dessous" in refused.text


def test_an_unused_persona_is_deleted(analyst: TestClient) -> None:
    analyst.post("/w/acme/personas/new", data=_persona_form(analyst))
    page = analyst.get("/w/acme/personas/bob").text
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page)
    assert fingerprint
    form = {"csrf_token": csrf_of(page), "fingerprint": fingerprint.group(1)}
    done = analyst.post("/w/acme/personas/bob/delete", data=form)
    assert done.status_code == 200 and "“bob” was deleted" in done.text
    assert analyst.get("/w/acme/personas/bob").status_code == 404


def test_a_new_journey_opens_in_the_editor(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/journeys/new?persona=ana")
    assert page.status_code == 200 and '<option value="ana" selected>' in page.text
    form = {
        "csrf_token": csrf_of(page.text),
        "journey_key": "returns",
        "name_en": "Returns",
        "name_fr": "Retours",
        "persona": "ana",
    }
    response = analyst.post("/w/acme/journeys/new", data=form, follow_redirects=False)
    assert response.headers["location"] == "/w/acme/journeys/returns/edit"
    refused = analyst.post("/w/acme/journeys/new", data={**form, "journey_key": "new"})
    assert refused.status_code == 422 and "is reserved" in refused.text


def test_the_editor_page_has_no_inline_script_and_says_when_js_is_needed(
    analyst: TestClient,
) -> None:
    page = analyst.get("/w/acme/journeys/sample/edit?lang=fr").text
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in s or 'type="application/json"' in s for s in scripts)
    document = re.search(
        r'<script type="application/json" id="je-document">(.*?)</script>', page, re.S
    )
    config = re.search(r'<script type="application/json" id="je-config">(.*?)</script>', page, re.S)
    assert document and config
    assert json.loads(document.group(1))["key"] == "sample"
    labels = json.loads(config.group(1))["labels"]
    assert labels["save"] == "Enregistrer" and json.loads(config.group(1))["revision"] == 1
    assert "<noscript>" in page and "besoin de JavaScript" in page
    assert 'href="/w/acme/journey-import"' in page


def test_saving_the_document(analyst: TestClient) -> None:
    document = journey_to_document(sample_journey(4))
    document["stages"].reverse()
    response = _put(analyst, document)
    assert response.status_code == 200, response.text
    assert response.json()["revision"] == 2 and response.headers["etag"] == '"2"'
    stored = analyst.get("/w/acme/journeys/sample.json").json()
    assert [s["key"] for s in stored["stages"]] == [s["key"] for s in document["stages"]]


def test_a_stale_save_is_answered_409_with_when_it_was_saved(analyst: TestClient) -> None:
    document = journey_to_document(sample_journey(4))
    assert _put(analyst, document).status_code == 200
    document["name"] = "Overwritten?"
    conflict = _put(analyst, document, revision=1)
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["error"]["type"] == "RevisionConflict"
    assert body["current"]["revision"] == 2 and body["current"]["saved_at"].endswith("+00:00")
    assert analyst.get("/w/acme/journeys/sample.json").json()["name"] == "Sample journey"


def test_a_bad_document_is_answered_with_its_json_path(analyst: TestClient) -> None:
    document = journey_to_document(sample_journey(4))
    document["stages"][1]["touchpoints"][0]["channel"] = "pigeon"
    response = _put(analyst, document)
    assert response.status_code == 422
    problem = response.json()["error"]["problems"][0]
    assert (
        problem["field"] == "$.stages[1].touchpoints[0].channel" and problem["value"] == "'pigeon'"
    )


def test_saving_needs_the_csrf_header_the_revision_and_the_analyst_role(
    analyst: TestClient, sqlite_client: TestClient
) -> None:
    document = journey_to_document(sample_journey(4))
    no_csrf = analyst.put(
        "/w/acme/journeys/sample.json", json=document, headers={"if-match": '"1"'}
    )
    assert no_csrf.status_code == 403
    token = csrf_of(analyst.get("/w/acme/journeys/sample/edit").text)
    no_revision = analyst.put(
        "/w/acme/journeys/sample.json", json=document, headers={"x-csrf-token": token}
    )
    assert no_revision.status_code == 428
    assert _put(analyst, document, revision="abc").status_code == 422
    analyst.cookies.clear()
    log_in(analyst, "vic@example.com")
    assert analyst.get("/w/acme/journeys/sample/edit").status_code == 403


def test_creating_the_target_version_from_the_current_one(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/journeys/sample/edit").text
    assert 'value="sample-target"' in page
    form = {"csrf_token": csrf_of(page), "target_key": "sample-target"}
    response = analyst.post("/w/acme/journeys/sample/target", data=form, follow_redirects=False)
    assert response.headers["location"] == "/w/acme/journeys/sample-target/edit"
    target = analyst.get("/w/acme/journeys/sample-target.json").json()
    assert target["version"] == "target" and target["based_on"] == "sample"


def test_deleting_a_journey(analyst: TestClient, sqlite_cx: Cxgap) -> None:
    page = analyst.get("/w/acme/journeys/sample/edit").text
    form = {"csrf_token": csrf_of(page), "revision": "1"}
    assert analyst.post("/w/acme/journeys/sample/delete", data=form).status_code == 200
    with sqlite_cx.reading() as session:
        assert journeys.list_journeys(session, workspace=get_workspace(session, "acme")) == []


def test_importing_a_journey_file(analyst: TestClient) -> None:
    document = journey_to_document(sample_journey(4))
    document["key"] = "copy"
    token = csrf_of(analyst.get("/w/acme/journey-import").text)
    good = analyst.post(
        "/w/acme/journey-import",
        data={"csrf_token": token},
        files={"file": ("copy.json", json.dumps(document).encode(), "application/json")},
        follow_redirects=False,
    )
    assert good.headers["location"] == "/w/acme/journeys/copy"
    document["key"] = "broken"
    document["stages"][0]["phase"] = "someday"
    bad = analyst.post(
        "/w/acme/journey-import",
        data={"csrf_token": token},
        files={"file": ("broken.json", json.dumps(document).encode(), "application/json")},
    )
    assert bad.status_code == 422 and "$.stages[0].phase" in bad.text


def test_every_journey_editor_message_used_exists() -> None:
    """tests/test_i18n.py does not see keys of an area with an underscore in its name."""
    used: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        used.update(
            re.findall(r"""\bt\(\s*["'](journey_editor\.[a-z0-9_.]+)["']""", path.read_text())
        )
    assert len(used) > 40
    known = set(catalog("en"))
    prefixes = {k for k in used if k.endswith(".")}  # completed at run time
    assert sorted(used - prefixes - known) == []
    assert all(any(k.startswith(p) for k in known) for p in prefixes)
    js = (TEMPLATES.parent / "static" / "journey-editor.js").read_text()
    labels = set(re.findall(r"""\bL\(\s*["']([a-z0-9_]+)["']""", js))
    labels.update(re.findall(r'"(emotion_[mp0-9]+)"', js))
    counted = re.findall(r"""\bcount\(\s*["']([a-z_]+)["']""", js)
    assert counted
    labels.update(f"{k}_{form}" for k in counted for form in ("one", "other"))
    missing = sorted(k for k in labels if f"journey_editor.js.{k}" not in catalog("fr"))
    assert len(labels) > 40 and missing == []


def test_viewers_read_personas_but_do_not_edit(analyst: TestClient) -> None:
    analyst.cookies.clear()
    log_in(analyst, "vic@example.com")
    page = analyst.get("/w/acme/personas")
    assert page.status_code == 200 and "Ana" in page.text
    assert "/personas/new" not in page.text and "/edit" not in page.text
    assert analyst.get("/w/acme/personas/new").status_code == 403
    form = {"csrf_token": csrf_of(analyst.get("/w/acme/personas/ana").text), "fingerprint": ""}
    assert analyst.post("/w/acme/personas/ana/delete", data=form).status_code == 403
