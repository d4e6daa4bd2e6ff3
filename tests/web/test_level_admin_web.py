"""The levels editor on both databases: admins rename, move, add and delete levels, the
leaderboard shows the change at once; refusals name the row and field in the reader's
language and store nothing; analysts, viewers and other workspaces are refused."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from cxgap.services import community_reputation, idea_statuses, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

PAGE = "/w/acme/community/levels"


@pytest.fixture
def acme(cx: Cxgap) -> None:
    """Ana's idea was built (25 points, a Contributor by the default levels)."""
    with cx.transaction() as session:
        ws, other = make_workspace(session), make_workspace(session, "other", "Other")
        make_user(session, "ada@example.com", workspace=ws, role="admin")
        make_user(session, "ana@example.com", workspace=ws, role="analyst")
        make_user(session, "oz@example.com", workspace=other, role="admin")
        ana = person_by_email(session, workspace=ws, email="ana@example.com", name="Ana")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        idea_statuses.change_status(session, workspace=ws, idea_id=idea.id, status="completed")


def _form(page: str) -> dict[str, str]:
    """The editor's fields as the page shows them (no box ticked)."""
    found = re.findall(r'name="(level-\d+-\w+)"[^>]*?value="([^"]*)"', page)
    fields = {name: value for name, value in found if not name.endswith("-delete")}
    fields["csrf_token"] = csrf_of(page)
    return {k: html.unescape(v) for k, v in fields.items()}


def test_an_admin_renames_moves_adds_and_deletes_levels(
    client: TestClient, cx: Cxgap, acme: None
) -> None:
    log_in(client, "ada@example.com")
    board = client.get("/community/acme/leaderboard")
    assert "Contributor" in board.text
    page = client.get(PAGE)
    assert page.status_code == 200 and 'value="Nouveau venu"' in page.text
    fields = _form(page.text)
    assert fields["level-2-key"] == "contributor" and fields["level-6-key"] == ""
    fields |= {
        "level-2-name_en": "Helper",
        "level-2-name_fr": "Aidant",
        "level-2-threshold": "30",  # Ana's 25 points no longer reach it
        "level-5-delete": "1",  # the community leader
        "level-6-name_en": "Rising star",
        "level-6-name_fr": "Étoile montante",
        "level-6-threshold": "10",
    }
    saved = client.post(PAGE, data=fields, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    with cx.transaction() as session:
        levels = community_reputation.levels_of(session, get_workspace(session, "acme"))
    assert [(lv.key, lv.name_fr, lv.threshold) for lv in levels] == [
        ("newcomer", "Nouveau venu", 0),
        ("rising-star", "Étoile montante", 10),
        ("contributor", "Aidant", 30),
        ("regular", "Habitué", 100),
        ("expert", "Expert", 300),
    ]
    board = client.get("/community/acme/leaderboard", params={"lang": "fr"})
    assert "Étoile montante" in board.text and "Aidant" not in board.text


def test_a_refused_list_says_why_in_both_languages_and_stores_nothing(
    client: TestClient, cx: Cxgap, acme: None
) -> None:
    log_in(client, "ada@example.com")
    fields = _form(client.get(PAGE).text)
    fields |= {"level-1-threshold": "5", "level-3-threshold": "20", "level-4-name_fr": ""}
    refused = client.post(PAGE, data=fields, params={"lang": "fr"})
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "Rien n'a été enregistré" in text
    assert "Niveau 1 — champ « Seuil (points) » : le niveau le plus bas doit commencer à 0" in text
    assert "Niveau 3 — champ « Seuil (points) » : est déjà le seuil de « Contributeur »" in text
    assert "« Nom en français » : est obligatoire" in text
    assert 'value="5"' in refused.text  # the form keeps what was typed
    english = client.post(PAGE, data=fields, params={"lang": "en"})
    said = html.unescape(english.text)
    assert "Level 3 — field “Threshold (points)”: is already the threshold of “Contributor”" in said
    with cx.transaction() as session:
        levels = community_reputation.levels_of(session, get_workspace(session, "acme"))
    assert [lv.threshold for lv in levels] == [0, 20, 100, 300, 800]


def test_only_the_workspace_admins_edit_levels(client: TestClient, acme: None) -> None:
    log_in(client, "ana@example.com")
    assert client.get(PAGE).status_code == 403
    log_in(client, "oz@example.com")
    assert client.get(PAGE).status_code == 404
    log_in(client, "ada@example.com")
    fields = _form(client.get(PAGE).text)
    del fields["csrf_token"]
    assert client.post(PAGE, data=fields).status_code == 403
