"""The badges editor on both databases: admins list the badges with their holders, create
and edit badges (rule, repeatable, an icon or an uploaded image), disable and delete them;
each change of who may hold a badge queues the badges job, which awards and revokes when the
worker runs it, never in the request; the uploaded image is served as PNG; refusals name the
field in the reader's language; analysts and other workspaces are refused."""

from __future__ import annotations

import html
import io
import re

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from cxgap.db.tables import BadgeAward, BadgeDefinition, BadgeImage, Job
from cxgap.jobs import badges
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import community_reputation, idea_statuses, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

BADGES = "/w/acme/community/badges"
NEW = {
    "name_en": "Idea author",
    "name_fr": "Autrice d'idées",
    "description_en": "Posted an idea",
    "description_fr": "A proposé une idée",
    "metric": "ideas",
    "threshold": "1",
    "icon": "first_idea_built.svg",
}


@pytest.fixture
def acme(cx: Cxgap) -> int:
    """Ana posted one idea, which was built; her id."""
    with cx.transaction() as session:
        ws, other = make_workspace(session), make_workspace(session, "other", "Other")
        make_user(session, "ada@example.com", workspace=ws, role="admin")
        make_user(session, "ana@example.com", workspace=ws, role="analyst")
        make_user(session, "oz@example.com", workspace=other, role="admin")
        ana = person_by_email(session, workspace=ws, email="ana@example.com", name="Ana")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        idea_statuses.change_status(session, workspace=ws, idea_id=idea.id, status="completed")
        community_reputation.badges_of(session, ws)  # acme's default badges: ids 1-6
        return ana.id


def _png(size: tuple[int, int] = (300, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def _run_jobs(cx: Cxgap) -> int:
    worker = Worker(JobContext.for_app(cx, kinds={badges.BADGES: badges.KIND}))
    ran = 0
    while worker.run_once() is not None:
        ran += 1
    return ran


def _held(cx: Cxgap, person_id: int) -> dict[str, int]:
    with cx.transaction() as session:
        query = (
            select(BadgeDefinition.key, BadgeAward.copy)
            .join(BadgeAward, BadgeAward.badge_id == BadgeDefinition.id)
            .where(BadgeAward.person_id == person_id, BadgeAward.revoked_at.is_(None))
        )
        held: dict[str, int] = {}
        for key, _copy in session.execute(query):
            held[key] = held.get(key, 0) + 1
        return held


def test_a_new_badge_is_awarded_by_the_job_not_the_request(
    client: TestClient, cx: Cxgap, acme: int
) -> None:
    log_in(client, "ada@example.com")
    page = client.get(BADGES, params={"lang": "en"})
    assert page.status_code == 200 and "Trusted answers" in page.text  # the defaults
    token = csrf_of(page.text)
    made = client.post(BADGES, data={"csrf_token": token, **NEW}, follow_redirects=False)
    assert made.status_code == 303 and "queued=" in made.headers["location"]
    assert "idea_author" not in _held(cx, acme)  # nothing awarded in the request
    with cx.transaction() as session:
        (job,) = session.scalars(select(Job).where(Job.kind == "badges"))
        assert job.status == "queued" and job.workspace_id is not None
    listed = client.get(made.headers["location"])
    assert "being awarded and revoked again in the background" in listed.text
    assert _run_jobs(cx) == 1
    assert _held(cx, acme)["idea_author"] == 1
    line = re.search(r'data-badge="idea_author".*?</li>', client.get(BADGES).text, re.S)
    assert line is not None and "held by 1 person" in line.group(0)


def test_editing_the_rule_revokes_and_disabling_takes_the_copies_back(
    client: TestClient, cx: Cxgap, acme: int
) -> None:
    log_in(client, "ada@example.com")
    token = csrf_of(client.get(BADGES).text)
    client.post(BADGES, data={"csrf_token": token, **NEW})
    _run_jobs(cx)
    with cx.transaction() as session:
        badge_id = session.scalar(
            select(BadgeDefinition.id).where(BadgeDefinition.key == "idea_author")
        )
    edit = f"{BADGES}/{badge_id}"
    assert 'value="Idea author"' in client.get(edit).text
    # A name alone changes nobody's badges: no job.
    renamed = client.post(
        edit, data={"csrf_token": token, **NEW, "name_en": "Idea giver"}, follow_redirects=False
    )
    assert renamed.status_code == 303 and "queued=" not in renamed.headers["location"]
    stricter = client.post(
        edit,
        data={"csrf_token": token, **NEW, "threshold": "2", "repeatable": "1"},
        follow_redirects=False,
    )
    assert "queued=" in stricter.headers["location"]
    assert _held(cx, acme)["idea_author"] == 1  # until the job runs
    _run_jobs(cx)
    assert "idea_author" not in _held(cx, acme)
    # Disabling a default badge: the job revokes Ana's copy, its history stays.
    assert _held(cx, acme)["first_idea_built"] == 1
    with cx.transaction() as session:
        built = session.scalar(
            select(BadgeDefinition.id).where(BadgeDefinition.key == "first_idea_built")
        )
    off = client.post(
        f"{BADGES}/{built}/active", data={"csrf_token": token, "active": ""}, follow_redirects=False
    )
    assert off.status_code == 303 and "queued=" in off.headers["location"]
    _run_jobs(cx)
    assert "first_idea_built" not in _held(cx, acme)
    assert "Disabled" in client.get(BADGES, params={"lang": "en"}).text
    with cx.transaction() as session:
        assert session.scalar(select(BadgeAward.revoked_at).where(BadgeAward.badge_id == built))
    client.post(f"{BADGES}/{built}/delete", data={"csrf_token": token})
    with cx.transaction() as session:
        assert session.get(BadgeDefinition, built) is None
        assert session.scalar(select(BadgeAward.id).where(BadgeAward.badge_id == built)) is None


def test_an_uploaded_image_is_served_as_png_on_the_badge_page(
    client: TestClient, cx: Cxgap, acme: int
) -> None:
    log_in(client, "ada@example.com")
    token = csrf_of(client.get(BADGES).text)
    made = client.post(
        BADGES,
        data={"csrf_token": token, **NEW, "icon": "upload"},
        files={"image": ("me.png", _png(), "image/png")},
        follow_redirects=False,
    )
    assert made.status_code == 303
    _run_jobs(cx)
    with cx.transaction() as session:
        image_id, size = session.execute(select(BadgeImage.id, BadgeImage.width)).one()
        slug = community_reputation.public_slug(
            session, session.get(community_reputation.CommunityPerson, acme)
        )
    assert size == 256
    served = client.get(f"/community/acme/badges/images/{image_id}.png")
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.content.startswith(b"\x89PNG")
    assert client.get(f"/community/other/badges/images/{image_id}.png").status_code == 404
    person = client.get(f"/community/acme/people/{slug}")
    assert f'src="/community/acme/badges/images/{image_id}.png"' in person.text
    # Back to an icon: the uploaded image, shown by no badge now, is deleted.
    with cx.transaction() as session:
        badge_id = session.scalar(
            select(BadgeDefinition.id).where(BadgeDefinition.key == "idea_author")
        )
    client.post(f"{BADGES}/{badge_id}", data={"csrf_token": token, **NEW})
    assert client.get(f"/community/acme/badges/images/{image_id}.png").status_code == 404


def test_refusals_say_why_in_both_languages_and_store_nothing(
    client: TestClient, cx: Cxgap, acme: int
) -> None:
    log_in(client, "ada@example.com")
    token = csrf_of(client.get(BADGES).text)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    bad = client.post(
        BADGES,
        params={"lang": "fr"},
        data={"csrf_token": token, **NEW, "name_fr": "", "threshold": "0"},
        files={"image": ("x.svg", svg, "image/svg+xml")},
    )
    assert bad.status_code == 422
    text = html.unescape(bad.text)
    assert "« Nom en français » : est obligatoire" in text
    assert "« Au moins » : doit être un nombre entier de 1 à 1000000 (valeur « 0 »)" in text
    assert "le SVG est refusé" in text
    english = client.post(
        BADGES, params={"lang": "en"}, data={"csrf_token": token, **NEW, "metric": "likes"}
    )
    assert "“Activity counted”: must be one of" in html.unescape(english.text)
    with cx.transaction() as session:
        assert (
            session.scalar(select(BadgeDefinition.id).where(BadgeDefinition.key == "idea_author"))
            is None
        )
        assert session.scalar(select(Job.id)) is None


def test_only_the_workspace_admins_edit_badges(client: TestClient, acme: int) -> None:
    log_in(client, "ana@example.com")
    assert client.get(BADGES).status_code == 403
    log_in(client, "oz@example.com")
    assert client.get(BADGES).status_code == 404
    token = csrf_of(client.get("/w/other/community/badges").text)
    with_other = client.post("/w/other/community/badges/1/delete", data={"csrf_token": token})
    assert with_other.status_code == 404  # acme's badge, asked through the other workspace
    assert client.get("/w/other/community/badges/1").status_code == 404
