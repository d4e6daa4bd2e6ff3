"""Idea tags on both databases: analysts create, rename, recolour and delete tags and put them
on ideas from the team's page; the public board shows each idea's tags and filters by them;
refusals name the field in the reader's language; viewers read; other workspaces are 404."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import IdeaTag, IdeaTagLink
from cxgap.services import ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

TAGS = "/w/acme/community/tags"


@pytest.fixture
def board(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, "other", "Other")
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        make_user(session, "oz@example.com", workspace=other, role="admin")
        bea = person_by_email(session, workspace=acme, email="bea@example.com")
        post = ideas.submit_idea
        saturday = post(session, workspace=acme, person=bea, title="Deliver on Saturdays")
        wrap = post(session, workspace=acme, person=bea, title="Gift wrapping")
        foreign_tag = IdeaTag(workspace_id=other.id, key="x", name_en="X", name_fr="X")
        session.add(foreign_tag)
        session.flush()
        return {"saturday": saturday.id, "wrap": wrap.id, "foreign_tag": foreign_tag.id}


def _create(client: TestClient, token: str, en: str, fr: str, colour: str) -> int:
    made = client.post(
        TAGS,
        data={"csrf_token": token, "name_en": en, "name_fr": fr, "colour": colour},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text[:500]
    return int(made.headers["location"].rsplit("#tag-", 1)[1])


def test_tags_made_put_on_ideas_and_shown_on_the_board(
    client: TestClient, cx: Cxgap, board: dict[str, int]
) -> None:
    log_in(client, "ana@example.com")
    token = csrf_of(client.get(TAGS).text)
    delivery = _create(client, token, "Delivery", "Livraison", "#047857")
    gifts = _create(client, token, "Gifts", "Cadeaux", "#be185d")
    team = client.get("/w/acme/ideas")
    assert f'data-tag-form="{board["saturday"]}"' in team.text and ">Delivery<" in team.text
    tagged = client.post(
        f"/w/acme/ideas/{board['saturday']}/tags",
        data={"csrf_token": token, "tag": [str(delivery), str(gifts)]},
        follow_redirects=False,
    )
    assert tagged.status_code == 303
    public = client.get("/community/acme/ideas", params={"lang": "fr"})
    line = re.search(rf'data-idea="{board["saturday"]}".*?</li>', public.text, re.S)
    assert line is not None
    assert 'href="/community/acme/ideas?tag=livraison"' not in line.group(0)  # keys from English
    assert 'href="/community/acme/ideas?tag=delivery"' in line.group(0)
    assert ">Livraison<" in line.group(0) and "--tag: #047857" in line.group(0)
    filtered = client.get("/community/acme/ideas", params={"tag": "gifts"})
    assert "Deliver on Saturdays" in filtered.text and "Gift wrapping" not in filtered.text
    idea = client.get(f"/community/acme/ideas/{board['saturday']}", params={"lang": "fr"})
    assert ">Cadeaux<" in idea.text
    # Take one off, rename the other, then delete it: the idea loses it.
    client.post(
        f"/w/acme/ideas/{board['saturday']}/tags", data={"csrf_token": token, "tag": [str(gifts)]}
    )
    renamed = client.post(
        f"{TAGS}/{gifts}",
        data={
            "csrf_token": token,
            "name_en": "Presents",
            "name_fr": "Cadeaux",
            "colour": "#7e22ce",
        },
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    listed = client.get(TAGS, params={"lang": "en"})
    assert ">Presents<" in listed.text and "1 idea" in listed.text
    with cx.transaction() as session:
        links = set(session.execute(select(IdeaTagLink.idea_id, IdeaTagLink.tag_id)))
    assert links == {(board["saturday"], gifts)}
    client.post(f"{TAGS}/{gifts}/delete", data={"csrf_token": token})
    with cx.transaction() as session:
        assert session.scalar(select(IdeaTagLink.idea_id)) is None
        assert session.get(IdeaTag, gifts) is None


def test_refused_tags_say_why_and_store_nothing(
    client: TestClient, cx: Cxgap, board: dict[str, int]
) -> None:
    log_in(client, "ana@example.com")
    token = csrf_of(client.get(TAGS).text)
    _create(client, token, "Delivery", "Livraison", "#047857")
    bad = client.post(
        TAGS,
        params={"lang": "fr"},
        data={"csrf_token": token, "name_en": "delivery", "name_fr": "", "colour": "#ffff00"},
    )
    assert bad.status_code == 422
    text = html.unescape(bad.text)
    assert "« Nom en français » : est obligatoire" in text
    assert "« Couleur » : doit être l'une des valeurs #2563eb, #047857" in text
    assert 'value="delivery"' in bad.text  # what was typed comes back
    taken = client.post(
        TAGS,
        params={"lang": "en"},
        data={
            "csrf_token": token,
            "name_en": "delivery",
            "name_fr": "Livraisons",
            "colour": "#047857",
        },
    )
    assert taken.status_code == 422
    assert "is already the name of a tag" in html.unescape(taken.text)
    foreign = client.post(
        f"/w/acme/ideas/{board['saturday']}/tags",
        data={"csrf_token": token, "tag": [str(board["foreign_tag"])]},
    )
    assert foreign.status_code == 422
    with cx.transaction() as session:
        assert session.scalar(select(IdeaTagLink.idea_id)) is None
        names = set(session.scalars(select(IdeaTag.name_en)))
    assert names == {"Delivery", "X"}


def test_viewers_read_and_other_workspaces_get_404(
    client: TestClient, board: dict[str, int]
) -> None:
    log_in(client, "vic@example.com")
    page = client.get(TAGS)
    assert page.status_code == 200 and "data-new-tag" not in page.text
    token = csrf_of(page.text)
    refused = client.post(TAGS, data={"csrf_token": token, "name_en": "A", "name_fr": "A"})
    assert refused.status_code == 403
    log_in(client, "oz@example.com")
    assert client.get(TAGS).status_code == 404
    token = csrf_of(client.get("/w/other/community/tags").text)
    idea = client.post(f"/w/other/ideas/{board['saturday']}/tags", data={"csrf_token": token})
    assert idea.status_code == 404
    gone = client.post(
        f"/w/other/community/tags/{board['foreign_tag'] + 100}/delete", data={"csrf_token": token}
    )
    assert gone.status_code == 404
