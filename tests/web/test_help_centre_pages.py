"""The help centre's pages: the public home with search and the reader's language, an
article and its "was this helpful?", asking (suggested articles first, honeypot, CSRF),
answering and accepting; the team's editor, helpful share and unanswered questions."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cxgap.db.tables import HelpQuestion
from cxgap.services import help_articles
from cxgap.services.core import Cxgap
from cxgap.services.help_articles import ArticleDraft
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

HELP = "/community/acme/help"


def _seed(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        ws = make_workspace(session)
        make_user(session, "analyst@example.com", workspace=ws, role="analyst")
        make_user(session, "viewer@example.com", workspace=ws, role="viewer")
        billing = help_articles.add_category(
            session, workspace=ws, key="billing", name_en="Billing", name_fr="Facturation"
        )
        ids = {}
        for name, title, body, language in (
            (
                "refunds_fr",
                "Remboursements",
                "Le délai est de 14 jours.\n\n- en ligne\n- <b>x</b>",
                "fr",
            ),
            ("cancel_fr", "Résilier mon abonnement", "Depuis votre espace client.", "fr"),
            ("refunds_en", "Refunds", "A refund takes 14 days.", "en"),
        ):
            draft = ArticleDraft(title, body, language, billing.id, published=True)
            ids[name] = help_articles.save_article(session, workspace=ws, draft=draft).id
        return ids


def _questions(cx: Cxgap) -> int:
    with cx.transaction() as session:
        return session.scalar(select(func.count()).select_from(HelpQuestion)) or 0


def test_home_shows_the_readers_language_and_searches_without_accents(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _seed(sqlite_cx)
    french = sqlite_client.get(f"{HELP}?lang=fr")
    assert french.status_code == 200
    assert "Facturation" in french.text and "Remboursements" in french.text
    assert ">Refunds<" not in french.text  # the English article: only where French has none
    english = sqlite_client.get(f"{HELP}?lang=en")
    assert "Billing" in english.text and ">Refunds<" in english.text
    found = sqlite_client.get(f"{HELP}?lang=fr&q=resilier")
    assert "Résilier mon abonnement" in found.text and "data-results" in found.text
    none = sqlite_client.get(f"{HELP}?lang=fr&q=xylophone")
    assert "Rien ne correspond" in none.text
    assert sqlite_client.get("/community/nowhere/help").status_code == 404


def test_an_article_escapes_its_text_and_takes_one_helpful_vote_per_browser(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    ids = _seed(sqlite_cx)
    url = f"{HELP}/articles/{ids['refunds_fr']}?lang=fr"
    shown = sqlite_client.get(url)
    assert "<li>en ligne</li>" in shown.text and "&lt;b&gt;x&lt;/b&gt;" in shown.text
    token = csrf_of(shown.text)
    for helpful in ("no", "yes"):  # the same browser changes its mind: one answer
        voted = sqlite_client.post(
            f"{HELP}/articles/{ids['refunds_fr']}/helpful",
            data={"csrf_token": token, "helpful": helpful},
            follow_redirects=False,
        )
        assert voted.status_code == 303
    assert "data-voted" in sqlite_client.get(voted.headers["location"]).text
    refused = sqlite_client.post(
        f"{HELP}/articles/{ids['refunds_fr']}/helpful", data={"helpful": "yes"}
    )
    assert refused.status_code == 403  # no CSRF token
    log_in(sqlite_client, "analyst@example.com")
    team = sqlite_client.get("/w/acme/help?lang=en")
    assert team.status_code == 200 and "100" in team.text and "1 yes, 0 no" in team.text


def test_asking_suggests_an_article_first_then_posts_and_the_asker_accepts(
    cx: Cxgap, client: TestClient
) -> None:
    """On both databases: the savepoints that undo a refused post, and the whole flow."""
    sqlite_cx, sqlite_client = cx, client
    _seed(sqlite_cx)
    page = sqlite_client.get(f"{HELP}/questions?lang=fr")
    token = csrf_of(page.text)
    form = {
        "csrf_token": token,
        "title": "Comment résilier mon abonnement ?",
        "email": "ana@example.com",
        "name": "Ana",
    }
    first = sqlite_client.post(f"{HELP}/questions?lang=fr", data=form)
    assert first.status_code == 200 and "data-suggested" in first.text
    assert "Résilier mon abonnement" in first.text and _questions(sqlite_cx) == 0
    posted = sqlite_client.post(
        f"{HELP}/questions?lang=fr", data={**form, "confirm": "1"}, follow_redirects=False
    )
    assert posted.status_code == 303 and _questions(sqlite_cx) == 1
    question_url = posted.headers["location"]
    found = sqlite_client.get(f"{HELP}?lang=fr&q=abonnements")  # the article and the question
    assert found.text.count("/help/articles/") >= 1 and f'href="{question_url}?' in found.text
    # Another customer answers, from another browser.
    with TestClient(sqlite_client.app) as other:
        shown = other.get(question_url)
        assert "Accepter cette réponse" not in shown.text
        answered = other.post(
            f"{question_url}/answers",
            data={
                "csrf_token": csrf_of(shown.text),
                "body": "Dans l'espace client.",
                "email": "bob@example.com",
            },
            follow_redirects=False,
        )
        assert answered.status_code == 303
        refused = other.post(
            f"{question_url}/accept", data={"csrf_token": csrf_of(shown.text), "answer_id": "1"}
        )
        assert refused.status_code == 403  # only the asker's browser (or the team)
    mine = sqlite_client.get(question_url + "?lang=fr")
    assert "Dans l&#39;espace client." in mine.text and "Accepter cette réponse" in mine.text
    accepted = sqlite_client.post(
        f"{question_url}/accept",
        data={"csrf_token": token, "answer_id": "1"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert "data-accepted" in sqlite_client.get(question_url).text


def test_refusals_keep_the_text_and_a_bot_stores_nothing(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _seed(sqlite_cx)
    token = csrf_of(sqlite_client.get(f"{HELP}/questions").text)
    bad = sqlite_client.post(
        f"{HELP}/questions?lang=fr",
        data={"csrf_token": token, "title": "Aide", "email": "ana@example.com"},
    )
    assert bad.status_code == 422 and "trop court" in bad.text and 'value="Aide"' in bad.text
    no_mail = sqlite_client.post(
        f"{HELP}/questions",
        data={"csrf_token": token, "title": "Where is my parcel now?", "email": "nope"},
    )
    assert no_mail.status_code == 422 and "email" in no_mail.text
    bot = sqlite_client.post(
        f"{HELP}/questions",
        data={
            "csrf_token": token,
            "title": "Cheap watches for sale here",
            "website": "x",
            "email": "bot@example.com",
        },
        follow_redirects=False,
    )
    assert bot.status_code == 303 and _questions(sqlite_cx) == 0
    forged = sqlite_client.post(
        f"{HELP}/questions", data={"title": "Where is my parcel now?", "email": "a@b.co"}
    )
    assert forged.status_code == 403 and _questions(sqlite_cx) == 0


def test_the_team_writes_publishes_answers_and_accepts(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _seed(sqlite_cx)
    log_in(sqlite_client, "analyst@example.com")
    editor = sqlite_client.get("/w/acme/help/articles/new")
    token = csrf_of(editor.text)
    refused = sqlite_client.post(
        "/w/acme/help/articles", data={"csrf_token": token, "title": "Tiny", "language": "en"}
    )
    assert refused.status_code == 422 and "title" in refused.text
    created = sqlite_client.post(
        "/w/acme/help/articles",
        data={
            "csrf_token": token,
            "title": "Delivery times",
            "body": "Two days.",
            "language": "en",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    article_id = created.headers["location"].split("/")[-1].split("?")[0]
    assert sqlite_client.get(f"{HELP}/articles/{article_id}").status_code == 404  # a draft
    published = sqlite_client.post(
        f"/w/acme/help/articles/{article_id}/publish",
        data={"csrf_token": token, "published": "1"},
        follow_redirects=False,
    )
    assert published.status_code == 303
    assert sqlite_client.get(f"{HELP}/articles/{article_id}").status_code == 200
    category = sqlite_client.post(
        "/w/acme/help/categories",
        data={"csrf_token": token, "key": "billing", "name_en": "B", "name_fr": "F"},
    )
    assert category.status_code == 409
    # A customer's question waits in the team's list until the team answers it.
    with TestClient(sqlite_client.app) as customer:
        page = customer.get(f"{HELP}/questions")
        customer.post(
            f"{HELP}/questions",
            data={
                "csrf_token": csrf_of(page.text),
                "title": "Can I pay by bank transfer?",
                "email": "ana@example.com",
            },
        )
    assert "Can I pay by bank transfer?" in sqlite_client.get("/w/acme/help").text
    with sqlite_cx.transaction() as session:
        question_id = session.scalar(select(HelpQuestion.id))
    shown = sqlite_client.get(f"{HELP}/questions/{question_id}")
    assert f'action="/w/acme/help/questions/{question_id}/answers' in shown.text
    sqlite_client.post(
        f"/w/acme/help/questions/{question_id}/answers",
        data={"csrf_token": token, "body": "Yes, from your account."},
    )
    sqlite_client.post(
        f"/w/acme/help/questions/{question_id}/accept",
        data={"csrf_token": token, "answer_id": "1"},
    )
    assert "data-accepted" in sqlite_client.get(f"{HELP}/questions/{question_id}").text
    assert "Can I pay by bank transfer?" not in sqlite_client.get("/w/acme/help").text


def test_viewers_do_not_edit_the_help_centre(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    _seed(sqlite_cx)
    log_in(sqlite_client, "viewer@example.com")
    assert sqlite_client.get("/w/acme/help").status_code == 403


def test_the_rate_limit_refuses_a_network_that_posts_too_much(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _seed(sqlite_cx)
    sqlite_cx.settings = dataclasses.replace(sqlite_cx.settings, survey_rate_limit=1)
    token = csrf_of(sqlite_client.get(f"{HELP}/questions").text)
    form = {"csrf_token": token, "title": "Where is my parcel now?", "email": "a@example.com"}
    first = sqlite_client.post(f"{HELP}/questions", data=form, follow_redirects=False)
    assert first.status_code == 303
    second = sqlite_client.post(f"{HELP}/questions?lang=en", data=form)
    assert second.status_code == 429 and "Too many messages" in second.text
    assert _questions(sqlite_cx) == 1
