"""The ideas' link to Listening on the pages, both databases, English and French: the team
sees how many verbatims ask for an idea, their topics and touchpoints (links to Listening) and
the closest verbatims; the public idea page shows the count and the topics' names, never a
verbatim; each irritant lists the ideas that would answer it."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Feedback, IdeaMatch
from cxgap.services import idea_evidence, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.text.embeddings import load_embedder
from tests.factories import make_user, make_workspace
from tests.listening_factories import make_listening_sample, make_topics
from tests.web.conftest import log_in

REFUND = "Refund to the original card within 48 hours"


@pytest.fixture
def board(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, "other", "Other")
        make_topics(session, acme)
        for index, row in enumerate(make_listening_sample(session, acme, n=60)):
            row.touchpoint = ("after-sales", "website")[index % 2]
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        make_user(session, "oz@example.com", workspace=other, role="admin")
        bea = person_by_email(session, workspace=acme, email="bea@example.com")
        refund = ideas.submit_idea(session, workspace=acme, person=bea, title=REFUND,
                                   description="Refunds take too long.")  # fmt: skip
        phone = ideas.submit_idea(session, workspace=acme, person=bea,
                                  title="Être rappelé plutôt qu'attendre au téléphone",
                                  description="L'attente au service client est trop longue.",
                                  language="fr")  # fmt: skip
        zed = person_by_email(session, workspace=other, email="zed@example.com")
        foreign = ideas.submit_idea(session, workspace=other, person=zed, title="Other idea")
        ids = {"acme": acme.id, "refund": refund.id, "phone": phone.id, "foreign": foreign.id}
    return ids


def _matched_texts(cx: Cxgap, idea_id: int) -> set[str]:
    with cx.sessions() as session:
        hashes = select(IdeaMatch.text_hash).where(IdeaMatch.idea_id == idea_id)
        return set(session.scalars(select(Feedback.text).where(Feedback.text_hash.in_(hashes))))


def test_the_team_reads_the_verbatims_that_ask_for_an_idea(
    client: TestClient, cx: Cxgap, board: dict[str, int]
) -> None:
    log_in(client, "vic@example.com")
    page = f"/w/acme/ideas/{board['refund']}/evidence"
    assert "Not computed yet" in client.get(page).text
    idea_evidence.refresh_evidence(cx.sessions, board["acme"], load_embedder())
    matched = _matched_texts(cx, board["refund"])
    assert matched and all("refund" in t or "rembours" in t for t in matched)
    english = client.get(page)
    assert english.status_code == 200
    count = int(re.search(r'data-evidence="(\d+)"', english.text).group(1))  # type: ignore[union-attr]
    assert count >= len(matched) and f"{count} verbatims ask for this" in english.text
    assert 'href="/w/acme/listening?topic=returns"' in english.text
    assert "Returns and refunds" in english.text
    assert 'href="/w/acme/listening?touchpoint=after-sales"' in english.text
    for link in ("topic=returns", "touchpoint=after-sales"):  # the explorer, filtered
        assert client.get(f"/w/acme/listening?{link}").status_code == 200
    examples = [
        html.unescape(e) for e in re.findall(r"<blockquote>(.*?)</blockquote>", english.text)
    ]
    assert examples and all(any(m in e for m in matched) for e in examples)
    french = client.get(page + "?lang=fr").text
    assert "demandent la même chose" in french and "Retours et remboursements" in french
    listed = client.get("/w/acme/ideas").text
    assert f'href="/w/acme/ideas/{board["refund"]}/evidence">{count}<' in listed
    team = client.get(f"/w/acme/ideas/{board['refund']}?lang=en").text  # its team page
    assert f"{count} verbatims ask for this" in team and "data-evidence-link" in team
    assert 1 <= team.count("<li data-feedback=") <= 3
    assert client.get(f"/w/acme/ideas/{board['foreign']}/evidence").status_code == 404
    assert client.get("/w/acme/ideas/99999/evidence").status_code == 404
    log_in(client, "oz@example.com")
    assert client.get(page).status_code in (403, 404)  # not a member of acme


def test_the_public_page_shows_counts_and_topics_never_verbatims(
    client: TestClient, cx: Cxgap, board: dict[str, int]
) -> None:
    public = f"/community/acme/ideas/{board['refund']}"
    assert "data-evidence" not in client.get(public).text  # nothing before it is computed
    idea_evidence.refresh_evidence(cx.sessions, board["acme"], load_embedder())
    english = html.unescape(client.get(public + "?lang=en").text)
    assert re.search(r"\d+ customer comments? asks? for the same thing", english)
    assert "Returns and refunds" in english
    french = html.unescape(client.get(public + "?lang=fr").text)
    assert "demandent la même chose" in french or "demande la même chose" in french
    assert "Retours et remboursements" in french
    with cx.sessions() as session:
        texts = set(session.scalars(select(Feedback.text)))
    for text in texts:  # no verbatim, nor a clause of one, on the public page
        for clause in re.split(r"\. | but | and | mais | et ", text):
            assert clause not in english and clause not in french, clause


def test_each_irritant_lists_the_ideas_that_would_answer_it(
    client: TestClient, cx: Cxgap, board: dict[str, int]
) -> None:
    idea_evidence.refresh_evidence(cx.sessions, board["acme"], load_embedder())
    log_in(client, "vic@example.com")
    english = client.get("/w/acme/listening/topics?lang=en").text
    cards = english.split('<li class="irritant card">')[1:]
    returns = next(c for c in cards if "<h3>Returns and refunds</h3>" in c)
    assert "Ideas that would answer it" in returns
    assert f'href="/w/acme/ideas/{board["refund"]}#evidence"' in returns and REFUND in returns
    waiting = next(c for c in cards if "<h3>Waiting time</h3>" in c)
    # Ranked by their verbatims on the topic: a refund complaint may also mention the wait.
    ranked = re.findall(r'data-answering-idea="(\d+)"', waiting)
    assert ranked[0] == str(board["phone"])
    french = client.get("/w/acme/listening/topics?lang=fr").text
    assert "Idées qui y répondraient" in french and "sur ce thème" in french
    twin = client.get("/w/acme/listening/topics.json").json()["answering_ideas"]
    on_page = re.search(r"(\d+) verbatims? on this topic", returns)
    assert on_page is not None
    assert twin["returns"][0] == {
        "idea_id": board["refund"], "title": REFUND, "verbatims": int(on_page.group(1)),
    }  # fmt: skip


def test_the_evidence_page_lists_every_matched_verbatim_page_by_page(
    client: TestClient, cx: Cxgap, board: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxgap.web.routes import idea_evidence as route

    idea_evidence.refresh_evidence(cx.sessions, board["acme"], load_embedder())
    monkeypatch.setattr(route, "PER_PAGE", 2)
    matched = _matched_texts(cx, board["refund"])
    pages = -(-len(matched) // 2)
    assert pages >= 2
    log_in(client, "vic@example.com")
    page = f"/w/acme/ideas/{board['refund']}/evidence"
    seen: list[str] = []
    for number in range(1, pages + 1):
        text = client.get(f"{page}?page={number}&lang=en").text
        assert f"page {number} of {pages}" in text
        assert ('rel="next"' in text) == (number < pages)
        shown = re.findall(r"<blockquote>(.*?)</blockquote>", text)
        assert len(shown) == (2 if number < pages else len(matched) - 2 * (pages - 1))
        seen += [html.unescape(s) for s in shown]
    assert sorted(seen) == sorted(matched)  # every matched text once, identical ones once
    assert client.get(f"{page}?page=0").status_code == 422
