"""Listening pages: taxonomy (read, add, edit in place, retire), progress, emerging, corrections."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Feedback, Job, LabelCorrection, Topic
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import taxonomy
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
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
        _drain(Worker(_context(cx)))
    log_in(client, f"{role}@example.com")


def _jobs(cx: Cxgap) -> list[str]:
    with cx.reading() as session:
        return list(session.scalars(select(Job.status).order_by(Job.id)))


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
    assert "10 sur 10 textes distincts" in french.text


def _drain(worker: Worker) -> None:
    """Run every job due: the enrichment and what it queues after it (overlay, emerging)."""
    while worker.run_once() is not None:
        pass


def _work_until_computed(cx: Cxgap, client: TestClient, embedder: Any) -> dict[str, Any]:
    """Run the queued jobs as a worker would, then read the result."""
    computing: dict[str, Any] = client.get("/w/acme/listening/emerging.json").json()
    assert computing["computing"] is True
    context = _context(cx)
    context.embedder_factory = lambda: embedder
    worker = Worker(context)
    while worker.run_once() is not None:
        pass
    shown: dict[str, Any] = client.get("/w/acme/listening/emerging.json").json()
    assert shown["computing"] is False
    return shown


def test_emerging_topics_are_computed_in_the_background_read_and_adopted(
    cx: Cxgap, client: TestClient
) -> None:
    _setup(cx, client)  # the job's context has no embedder: nothing computed yet
    embedder = HashedTrigramEmbedder(dimension=512)
    before = client.get("/w/acme/listening/emerging")
    assert before.status_code == 200 and "Not computed yet" in before.text
    assert 'class="card emerging-topic"' not in before.text
    assert client.get("/w/acme/listening/emerging.json").json()["clusters"] == []
    token = csrf_of(before.text)
    url = "/w/acme/listening/emerging/recompute"
    assert client.post(url, data={}).status_code == 403  # no CSRF token
    started = client.post(url, data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert started.status_code == 200 and 'id="emerging-status"' in started.text
    shown = _work_until_computed(cx, client, embedder)
    assert shown["stale"] is False and shown["new_feedback"] == 0
    status = client.get("/w/acme/listening/emerging/status", headers={"HX-Request": "true"})
    assert status.headers.get("HX-Refresh") == "true"  # done: the page reloads itself
    page = client.get("/w/acme/listening/emerging")
    assert page.text.count('class="card emerging-topic"') == 2
    assert "parking" in page.text.lower() and "crashes" in page.text.lower()
    assert page.text.count('name="origin" value="emerging"') == 2
    assert "Up to date" in page.text and "Computed on" in page.text
    clusters = shown["clusters"]
    assert len(clusters) == 2 and all(c["size"] >= 3 for c in clusters)
    parking = next(c for c in clusters if "parking" in c["keywords"])
    app = next(c for c in clusters if c is not parking)
    assert all("parking" in e.lower() for e in parking["examples"])
    assert all("app" in e.lower() or "crash" in e.lower() for e in app["examples"])

    with cx.transaction() as session:  # new feedback: the stored result says it is stale
        add_feedback(session, get_workspace(session, "acme"), ["Queue too long"], prefix="new")
    stale = client.get("/w/acme/listening/emerging.json").json()
    assert (stale["stale"], stale["new_feedback"], len(stale["clusters"])) == (True, 1, 2)
    assert "1 feedback item arrived since" in client.get("/w/acme/listening/emerging").text

    adopted = client.post(
        "/w/acme/listening/taxonomy",
        data={"csrf_token": token, "origin": "emerging", "topic_key": "parking",
              "emerging_cluster": parking["suggested_key"],
              "name_en": "Parking", "name_fr": "Stationnement",
              "examples": "\n".join(parking["examples"]), "keywords": "parking"},
        follow_redirects=False,
    )  # fmt: skip
    assert adopted.status_code == 303
    hidden = client.get("/w/acme/listening/emerging.json").json()["clusters"]
    assert [c["suggested_key"] for c in hidden] == [app["suggested_key"]]  # at once
    context = _context(cx)
    context.embedder_factory = lambda: embedder
    worker = Worker(context)
    while worker.run_once() is not None:  # re-enriches, then recomputes the emerging topics
        pass
    after = client.get("/w/acme/listening/emerging.json").json()
    assert after["computed_at"] > shown["computed_at"] and after["version"] != shown["version"]
    assert (after["stale"], after["new_feedback"]) == (False, 0)
    assert not any("parking" in c["keywords"] for c in after["clusters"])  # now covered
    volumes = {
        t["key"]: (t["volume"], t["origin"])
        for t in client.get("/w/acme/listening/taxonomy.json").json()["topics"]
    }
    assert volumes["parking"] == (4, "emerging")
    french = client.get("/w/acme/listening/emerging?lang=fr")
    assert "Thèmes émergents" in french.text and "À jour" in french.text


def test_viewers_read_emerging_topics_but_cannot_recompute(cx: Cxgap, client: TestClient) -> None:
    _setup(cx, client, "viewer")
    page = client.get("/w/acme/listening/emerging")
    assert page.status_code == 200 and "Recompute now" not in page.text
    token = csrf_of(page.text)
    refused = client.post("/w/acme/listening/emerging/recompute", data={"csrf_token": token})
    assert refused.status_code == 403
    assert client.get("/w/acme/listening/emerging.json").json()["computing"] is False


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
    _drain(Worker(_context(cx)))
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

    return [t.name for t in threading.enumerate() if t.name == "cxgap-jobs"]


def test_the_app_runs_the_worker_thread_only_when_asked(
    sqlite_cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxgap.web.app import create_app

    monkeypatch.setenv("CXGAP_QUEUE", "embedded")
    with TestClient(create_app(cx=sqlite_cx)):
        assert _worker_threads() == []
    with TestClient(create_app(cx=sqlite_cx, background_jobs=True)):
        assert _worker_threads() == ["cxgap-jobs"]
    assert _worker_threads() == []  # stopped with the app
    monkeypatch.setenv("CXGAP_QUEUE", "redis")  # `cxgap worker` processes do the work then
    with TestClient(create_app(cx=sqlite_cx, background_jobs=True)):
        assert _worker_threads() == []
