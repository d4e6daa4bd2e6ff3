"""Listening pages: taxonomy (read, add, edit in place, retire), progress, emerging, corrections."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import EnrichmentJob, Feedback, LabelCorrection, Topic
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import taxonomy
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.listening import TOPICS, NearestExampleTrainer, add_feedback, rule_analyzer
from tests.text.fakes import HashedTrigramEmbedder
from tests.web.conftest import csrf_of, log_in

UNCOVERED = [
    "No parking spaces near the shop",
    "Parking was full again today",
    "Impossible de trouver une place de parking",
    "The parking is far too small",
    "The app crashes at checkout",
    "App crashes every time I log in",
    "The mobile app keeps crashing",
    "Crashes in the app when paying",
]
TEXTS = ["The delivery was late", "Lovely staff", "The delivery was late", *UNCOVERED]


@pytest.fixture(autouse=True)
def small_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)


def _context(cx: Cxgap) -> JobContext:
    return JobContext(
        sessions=cx.sessions,
        data_dir=cx.settings.data_dir,
        analyzer_factory=rule_analyzer,
        trainer=NearestExampleTrainer(),
    )


def _setup(cx: Cxgap, client: TestClient, role: str = "analyst", *, enrich: bool = True) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, TEXTS)
        make_user(session, f"{role}@example.com", workspace=workspace, role=role)
    if enrich:
        from cxgap.jobs.worker import enqueue_enrichment
        from cxgap.services.workspaces import get_workspace

        with cx.transaction() as session:
            enqueue_enrichment(session, get_workspace(session, "acme"))
        Worker(_context(cx)).run_once()
    log_in(client, f"{role}@example.com")


def _jobs(cx: Cxgap) -> list[str]:
    with cx.reading() as session:
        return list(session.scalars(select(EnrichmentJob.status).order_by(EnrichmentJob.id)))


def test_viewers_read_the_taxonomy_with_volumes_but_cannot_edit(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client, "viewer")
    page = sqlite_client.get("/w/acme/listening/taxonomy")
    assert page.status_code == 200
    assert 'id="topic-delivery"' in page.text and "Staff attitude" in page.text
    assert "analysts and admins can edit it" in page.text
    assert 'name="topic_key"' not in page.text and ">Retire<" not in page.text
    data = sqlite_client.get("/w/acme/listening/taxonomy.json").json()
    volumes = {t["key"]: t["volume"] for t in data["topics"]}
    assert volumes == {"delivery": 2, "staff": 1, "price": 0}  # two records, one text
    token = csrf_of(page.text)
    refused = sqlite_client.post(
        "/w/acme/listening/taxonomy",
        data={"csrf_token": token, "topic_key": "x", "name_en": "X", "name_fr": "X"},
    )
    assert refused.status_code == 403


def test_analysts_add_topics_and_bad_ones_are_refused_by_field(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client, enrich=False)
    token = csrf_of(sqlite_client.get("/w/acme/listening/taxonomy").text)
    form = {
        "csrf_token": token,
        "topic_key": "parking",
        "name_en": "Parking",
        "name_fr": "Stationnement",
        "examples": "No parking spaces\nPas de place pour se garer",
        "keywords": "parking, se garer",
        "pillar_keys": ["in_person", "friction"],
        "touchpoint_keys": "store-visit",
    }
    added = sqlite_client.post("/w/acme/listening/taxonomy", data=form, follow_redirects=False)
    assert added.status_code == 303
    with sqlite_cx.reading() as session:
        topic = session.scalars(select(Topic).where(Topic.key == "parking")).one()
        assert topic.pillar_keys == ["in_person", "friction"]
        assert topic.examples == ["No parking spaces", "Pas de place pour se garer"]
        assert topic.keywords == ["parking", "se garer"] and topic.origin == "analyst"
    assert _jobs(sqlite_cx) == ["queued"]  # the taxonomy changed: re-enrich
    bad = sqlite_client.post(
        "/w/acme/listening/taxonomy",
        data={**form, "topic_key": "Bad key!", "pillar_keys": ["nope"]},
    )
    assert bad.status_code == 422
    assert "Bad key!" in bad.text and "nope" in bad.text


def test_topics_are_edited_in_place_and_retired(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client)
    htmx = {"HX-Request": "true"}
    token = csrf_of(sqlite_client.get("/w/acme/listening/taxonomy").text)
    form = sqlite_client.get("/w/acme/listening/taxonomy/price?edit=1", headers=htmx)
    assert form.text.lstrip().startswith('<tr id="topic-price"') and 'name="name_en"' in form.text
    saved = sqlite_client.post(
        "/w/acme/listening/taxonomy/price",
        data={"csrf_token": token, "action": "save", "name_en": "Pricing", "name_fr": "Tarifs",
              "keywords": "price, tarif", "pillar_keys": ["products"]},
        headers=htmx,
    )  # fmt: skip
    assert saved.status_code == 200 and "Pricing" in saved.text and "saved" in saved.text
    assert "<html" not in saved.text
    retired = sqlite_client.post(
        "/w/acme/listening/taxonomy/staff",
        data={"csrf_token": token, "action": "retire"},
        headers=htmx,
    )
    assert 'class="retired"' in retired.text and "Restore" in retired.text
    with sqlite_cx.reading() as session:
        from cxgap.services.workspaces import get_workspace

        keys = [s.key for s in taxonomy.topic_specs(session, get_workspace(session, "acme"))]
    assert keys == ["delivery", "price"]
    page = sqlite_client.get("/w/acme/listening/taxonomy/price")  # no htmx: a whole page
    assert "<html" in page.text and 'value="Pricing"' in page.text


def test_progress_fragment_polls_only_while_a_job_is_active(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client, enrich=False)
    empty = sqlite_client.get("/w/acme/listening/enrichment")
    assert "No enrichment has run yet" in empty.text and "hx-trigger" not in empty.text
    token = csrf_of(sqlite_client.get("/w/acme/listening/taxonomy").text)
    queued = sqlite_client.post(
        "/w/acme/listening/enrichment", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert 'hx-trigger="every 2s"' in queued.text and "queued" in queued.text
    Worker(_context(sqlite_cx)).run_once()
    done = sqlite_client.get("/w/acme/listening/enrichment")
    assert "hx-trigger" not in done.text and "10 of 10 distinct texts" in done.text
    job = sqlite_client.get("/w/acme/listening/enrichment.json").json()["job"]
    assert (job["status"], job["done"], job["total"], job["share"]) == ("done", 10, 10, 1.0)
    french = sqlite_client.get("/w/acme/listening/enrichment?lang=fr")
    assert "10 textes distincts sur 10" in french.text


def test_emerging_topics_are_listed_and_adopted(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _setup(sqlite_cx, sqlite_client)
    sqlite_client.app.state.embedder = HashedTrigramEmbedder(dimension=512)  # type: ignore[attr-defined]
    page = sqlite_client.get("/w/acme/listening/emerging")
    assert page.status_code == 200
    assert page.text.count('class="card emerging-topic"') == 2
    assert "parking" in page.text.lower() and "crashes" in page.text.lower()
    assert page.text.count('name="origin" value="emerging"') == 2
    clusters = sqlite_client.get("/w/acme/listening/emerging.json").json()["clusters"]
    assert len(clusters) == 2 and all(c["size"] >= 3 for c in clusters)
    parking = next(c for c in clusters if "parking" in c["keywords"])
    app = next(c for c in clusters if c is not parking)
    assert all("parking" in e.lower() for e in parking["examples"])
    assert all("app" in e.lower() or "crash" in e.lower() for e in app["examples"])
    token = csrf_of(page.text)
    adopted = sqlite_client.post(
        "/w/acme/listening/taxonomy",
        data={"csrf_token": token, "origin": "emerging", "topic_key": parking["suggested_key"],
              "name_en": "Parking", "name_fr": "Stationnement",
              "examples": "\n".join(parking["examples"]), "keywords": "parking"},
        follow_redirects=False,
    )  # fmt: skip
    assert adopted.status_code == 303
    Worker(_context(sqlite_cx)).run_once()
    after = sqlite_client.get("/w/acme/listening/emerging.json").json()["clusters"]
    assert not any("parking" in c["keywords"] for c in after)  # now covered by the topic
    volumes = {
        t["key"]: (t["volume"], t["origin"])
        for t in sqlite_client.get("/w/acme/listening/taxonomy.json").json()["topics"]
    }
    assert volumes[parking["suggested_key"]] == (4, "emerging")
    french = sqlite_client.get("/w/acme/listening/emerging?lang=fr")
    assert "Thèmes émergents" in french.text


def test_a_label_correction_is_stored_learnt_and_shown(cx: Cxgap, client: TestClient) -> None:
    _setup(cx, client)
    with cx.reading() as session:
        feedback = session.scalars(select(Feedback).where(Feedback.text == "Lovely staff")).first()
        assert feedback is not None
    token = csrf_of(client.get("/w/acme/listening/taxonomy").text)
    url = f"/w/acme/listening/feedback/{feedback.id}/labels"
    assert client.post(url, data={"kind": "sentiment", "value": "negative"}).status_code == 403
    answer = client.post(
        url,
        data={"csrf_token": token, "kind": "topic", "value": "price", "applies": "true"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200 and "the topic price applies" in answer.text
    refused = client.post(url, data={"csrf_token": token, "kind": "topic", "value": "nope"})
    assert refused.status_code == 422
    with cx.reading() as session:
        assert [c.value for c in session.scalars(select(LabelCorrection))] == ["price"]
    context = _context(cx)
    Worker(context).run_once()
    volumes = {
        t["key"]: t["volume"]
        for t in client.get("/w/acme/listening/taxonomy.json").json()["topics"]
    }
    assert volumes["price"] == 1
    missing = client.post(
        "/w/acme/listening/feedback/999999/labels",
        data={"csrf_token": token, "kind": "sentiment", "value": "negative"},
    )
    assert missing.status_code == 404


def test_the_pages_speak_french(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    _setup(sqlite_cx, sqlite_client)
    page = sqlite_client.get("/w/acme/listening/taxonomy?lang=fr")
    assert "Ajouter un thème" in page.text and "Attitude du personnel" in page.text
    assert "Enrichissement" in page.text


def _worker_threads() -> list[str]:
    import threading

    return [t.name for t in threading.enumerate() if t.name == "cxgap-enrichment"]


def test_the_app_runs_the_worker_thread_only_when_asked(
    sqlite_cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxgap.web.app import create_app

    monkeypatch.setenv("CXGAP_QUEUE", "embedded")
    with TestClient(create_app(cx=sqlite_cx)):
        assert _worker_threads() == []
    with TestClient(create_app(cx=sqlite_cx, background_jobs=True)):
        assert _worker_threads() == ["cxgap-enrichment"]
    assert _worker_threads() == []  # stopped with the app
    monkeypatch.setenv("CXGAP_QUEUE", "redis")  # `cxgap worker` processes do the work then
    with TestClient(create_app(cx=sqlite_cx, background_jobs=True)):
        assert _worker_threads() == []
