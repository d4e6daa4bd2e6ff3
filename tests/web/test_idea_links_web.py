"""An idea's team page and its links, on both databases: analysts link an action plan and a
case from pickers and unlink them; the plan's status and progress and the case's state show;
the action and case pages list the idea with its votes, linking back; a done plan suggests
moving the idea to Built (the move tells its followers); refusals are said in French and
English; viewers read, another workspace's idea is 404."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cxgap.services import action_plans, cases, idea_links, idea_notifications, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


@pytest.fixture
def world(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, "other", "Other")
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        bea = person_by_email(session, workspace=acme, email="bea@example.com")
        sam = person_by_email(session, workspace=acme, email="sam@example.com")
        idea = ideas.submit_idea(session, workspace=acme, person=bea, title="Deliver on Saturdays")
        ideas.vote(session, workspace=acme, idea_id=idea.id, person=sam)
        plan = action_plans.create_action(
            session, workspace=acme, values={"title": "Weekend delivery partner",
                                             "status": "in_progress", "progress": 60},
            actor_id=None,
        )  # fmt: skip
        case, _ = cases.open_case(session, workspace=acme, subject="Parcel missed on Friday")
        foreign = action_plans.create_action(
            session, workspace=other, values={"title": "Other plan"}, actor_id=None
        )
        zed = person_by_email(session, workspace=other, email="zed@example.com")
        elsewhere = ideas.submit_idea(session, workspace=other, person=zed, title="Their idea")
        return {"idea": idea.id, "plan": plan.id, "case": case.number, "foreign": foreign.id,
                "elsewhere": elsewhere.id}  # fmt: skip


def test_an_analyst_links_a_plan_and_a_case_and_both_sides_show_it(
    client: TestClient, world: dict[str, int]
) -> None:
    log_in(client, "ana@example.com")
    page_url = f"/w/acme/ideas/{world['idea']}"
    board = client.get("/w/acme/ideas")
    assert f'href="{page_url}" data-team-idea' in board.text
    page = client.get(page_url)
    assert page.status_code == 200 and "No action plan is linked" in page.text
    assert f'href="{page_url}/evidence" data-evidence-link' in page.text  # what customers say
    evidence = client.get(f"{page_url}/evidence")
    assert f'href="{page_url}#links" data-links-page>Action plans and cases<' in evidence.text
    assert f'<option value="{world["plan"]}">Weekend delivery partner</option>' in page.text
    assert '<optgroup label="In progress">' in page.text and '<optgroup label="New">' in page.text
    assert f'<option value="{world["case"]}">Parcel missed on Friday</option>' in page.text
    token = csrf_of(page.text)
    for kind, target in (("action_plan", world["plan"]), ("case", world["case"])):
        linked = client.post(
            f"{page_url}/links",
            data={"csrf_token": token, "kind": kind, "target": str(target)},
            follow_redirects=False,
        )
        assert linked.status_code == 303 and linked.headers["location"].endswith("#links")
    page = client.get(page_url)
    assert f'data-linked-plan="{world["plan"]}"' in page.text and "60 %" in page.text
    assert ">In progress<" in page.text and ">New<" in page.text  # the plan's and case's states
    assert f'data-linked-case="{world["case"]}"' in page.text
    action = client.get(f"/w/acme/actions/{world['plan']}")
    assert f'data-linked-idea="{world["idea"]}"' in action.text
    assert f'href="{page_url}"' in action.text and "2 votes" in action.text
    case = client.get(f"/w/acme/cases/{world['case']}?lang=fr")
    assert f'data-linked-idea="{world["idea"]}"' in case.text and "Idées du tableau" in case.text
    again = client.post(
        f"{page_url}/links",
        data={"csrf_token": token, "kind": "case", "target": str(world["case"])},
    )
    assert again.status_code == 409 and "est déjà liée au dossier" in again.text  # still French
    unlinked = client.post(
        f"{page_url}/links/delete",
        data={"csrf_token": token, "kind": "case", "target": str(world["case"])},
        follow_redirects=False,
    )
    assert unlinked.status_code == 303
    assert "No case is linked" in client.get(page_url + "?lang=en").text


def test_another_workspaces_plan_is_refused_in_both_languages(
    client: TestClient, world: dict[str, int]
) -> None:
    log_in(client, "ana@example.com")
    page_url = f"/w/acme/ideas/{world['idea']}"
    token = csrf_of(client.get(page_url).text)
    data = {"csrf_token": token, "kind": "action_plan", "target": str(world["foreign"])}
    english = client.post(f"{page_url}/links", data=data)
    assert english.status_code == 422
    assert "is not an action plan of this workspace (acme)" in english.text
    assert (
        f"field “plan”: is not an action plan of this workspace (acme) (got “{world['foreign']}”)"
        in english.text
    )
    french = client.post(f"{page_url}/links?lang=fr", data=data)
    assert french.status_code == 422
    assert "n’est pas un plan d’action de cet espace (acme)" in french.text
    empty = client.post(f"{page_url}/links", data=data | {"target": ""})
    assert empty.status_code == 422 and "plan" in empty.text
    assert "data-linked-plan" not in client.get(page_url).text  # nothing linked


def test_a_done_plan_suggests_built_and_accepting_tells_the_followers(
    client: TestClient, cx: Cxgap, world: dict[str, int]
) -> None:
    with cx.transaction() as session:
        acme = get_workspace(session, "acme")
        idea_links.link(session, workspace=acme, idea_id=world["idea"], kind="action_plan",
                        target=world["plan"])  # fmt: skip
        plan = action_plans.get_action(session, acme, world["plan"])
        action_plans.set_status(session, action=plan, status="done", actor_id=None)
    log_in(client, "ana@example.com")
    page_url = f"/w/acme/ideas/{world['idea']}"
    action = client.get(f"/w/acme/actions/{world['plan']}?lang=fr")  # where the plan was done
    assert f'href="{page_url}#links" data-suggest-built="{world["idea"]}"' in action.text
    assert "Réalisée ? À décider sur sa page" in action.text
    page = client.get(page_url)
    assert 'data-suggest-status="completed"' in page.text
    assert "Le plan d’action lié est terminé (Weekend delivery partner)" in page.text
    assert "Passer à « Réalisée »" in page.text
    moved = client.post(
        f"{page_url}/complete",
        data={"csrf_token": csrf_of(page.text), "status": "completed", "message": "Live now"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    with cx.transaction() as session:
        assert idea_notifications.pending(session) == 2  # bea (author) and sam (voter)
    after = client.get(page_url)
    assert "data-suggest-status" not in after.text and 'data-idea-status="completed"' in after.text
    assert "data-suggest-built" not in client.get(f"/w/acme/actions/{world['plan']}").text


def test_viewers_read_without_forms_and_other_workspaces_are_404(
    client: TestClient, world: dict[str, int]
) -> None:
    log_in(client, "vic@example.com")
    page_url = f"/w/acme/ideas/{world['idea']}"
    page = client.get(page_url)
    assert page.status_code == 200 and "data-link-plan" not in page.text
    refused = client.post(
        f"{page_url}/links",
        data={"csrf_token": csrf_of(page.text), "kind": "case", "target": str(world["case"])},
    )
    assert refused.status_code == 403
    assert client.get(f"/w/acme/ideas/{world['elsewhere']}").status_code == 404
    assert client.get(f"/w/other/ideas/{world['elsewhere']}").status_code == 404
