"""The segments page: viewers read, analysts add and edit (htmx or plain forms), a bad rule is
shown back with a caret under the refused position and nothing is stored, "check" previews
the counts without storing."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import CustomerResponse, PersonaRow, Segment, Workspace
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from tests.enrichment_factory import add_feedback
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

HTMX = {"HX-Request": "true"}


def _setup(cx: Cxgap, client: TestClient, role: str = "analyst") -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_workspace(session, key="secret", name="Secret")
        for i, (segment, nps) in enumerate([("pro", 9), ("pro", 2), ("home", 10), (None, 8)]):
            attributes = {"segment": segment} if segment else {}
            add_feedback(session, workspace, f"text {i}", nps=nps, attributes=attributes)
        for i, (segment, nps) in enumerate([("pro", 3), ("home", 9), ("home", 10)]):
            session.add(
                CustomerResponse(
                    workspace_id=workspace.id, source="demo", external_id=f"r{i}",
                    segment_key=segment, nps=nps,
                )
            )  # fmt: skip
        session.add(PersonaRow(workspace_id=workspace.id, key="zoe", name="Zoé", segment_key="pro"))
        make_user(session, f"{role}@example.com", workspace=workspace, role=role)
    log_in(client, f"{role}@example.com")


def _stored(cx: Cxgap) -> dict[str, tuple[str, str, str | None]]:
    with cx.reading() as session:
        rows = session.execute(
            select(Segment.key, Segment.name_en, Segment.name_fr, Segment.rule)
            .join(Workspace, Workspace.id == Segment.workspace_id)
            .where(Workspace.key == "acme")
        ).all()
    return {key: (en, fr, rule) for key, en, fr, rule in rows}


def _worker(cx: Cxgap) -> Worker:
    return Worker(JobContext(sessions=cx.sessions, data_dir=cx.settings.data_dir))


def _cells(page: str, key: str) -> str:
    start = page.index(f'id="segment-{key}"')
    return page[start : page.index("</tr>", start)]


def _counts(cells: str) -> tuple[int, int]:
    """The feedback and answer counts shown in a segment's row."""
    parts = cells.split('<td class="num">')[1:3]
    feedback, answers = (int(part.split("<", 1)[0]) for part in parts)
    return feedback, answers


def test_viewers_read_segments_with_members_and_personas_but_cannot_edit(
    cx: Cxgap, client: TestClient
) -> None:
    _setup(cx, client, "viewer")
    page = client.get("/w/acme/segments")
    assert page.status_code == 200
    pro = _cells(page.text, "pro")
    assert "Professionals" in pro and "Professionnels" in pro
    assert "customers who name this segment" in pro
    assert _counts(pro) == (2, 1) and "Zoé" in pro and "/personas/zoe" in pro
    assert _counts(_cells(page.text, "home")) == (1, 2)
    assert "no persona" in _cells(page.text, "home")
    assert "analysts and admins can edit them" in page.text
    assert 'name="segment_key"' not in page.text and "?edit=1" not in page.text
    assert "How to write a rule" in page.text
    token = csrf_of(client.get("/w/acme/listening/taxonomy").text)
    refused = client.post(
        "/w/acme/segments/pro", data={"csrf_token": token, "name_en": "X", "name_fr": "X"}
    )
    assert refused.status_code == 403
    assert client.get("/w/secret/segments").status_code == 404
    assert client.get("/w/acme/segments/nobody", headers=HTMX).status_code == 404
    french = client.get("/w/acme/segments?lang=fr")
    assert "les clients qui nomment ce segment" in french.text and "Écrire une règle" in french.text


def test_a_bad_rule_is_shown_with_a_caret_and_nothing_is_stored(
    cx: Cxgap, client: TestClient
) -> None:
    _setup(cx, client)
    page = client.get("/w/acme/segments")
    token = csrf_of(page.text)
    row = client.get("/w/acme/segments/pro?edit=1", headers=HTMX)
    assert 'name="rule"' in row.text and 'hx-post="/w/acme/segments/pro"' in row.text
    without_js = client.get("/w/acme/segments/pro")
    assert without_js.status_code == 200 and 'action="/w/acme/segments/pro"' in without_js.text
    assert 'name="segment_key"' in without_js.text  # the add form stays below
    bad = {"csrf_token": token, "name_en": "Pros", "name_fr": "Les pros", "rule": "nps >= 9 and"}
    in_place = client.post("/w/acme/segments/pro", data=bad, headers=HTMX)
    assert in_place.status_code == 200  # htmx swaps the row back with the problem
    text = html.unescape(in_place.text)
    assert "Rule refused at position 13:" in text
    assert "nps >= 9 and\n" + " " * 12 + "^" in text
    plain = client.post("/w/acme/segments/pro", data=bad)
    assert plain.status_code == 422
    assert " " * 12 + "^" in html.unescape(plain.text) and 'value="Les pros"' in plain.text
    assert _stored(cx)["pro"] == ("Professionals", "Professionnels", None)

    good = {**bad, "rule": "nps >= 9"}
    check = client.post("/w/acme/segments/pro", data={**good, "action": "check"}, headers=HTMX)
    assert "matches 2 feedback items and 2 survey answers now" in check.text
    assert _stored(cx)["pro"] == ("Professionals", "Professionnels", None)
    saved = client.post("/w/acme/segments/pro", data=good, headers=HTMX)
    assert 'id="segment-pro"' in saved.text and ">saved<" in saved.text
    # The names at once; the rule queued, shown with the notice of its job until applied.
    assert "updating to the new rule" in saved.text
    assert "<code>nps &gt;= 9</code>" in saved.text
    assert _stored(cx)["pro"] == ("Pros", "Les pros", None)
    assert _worker(cx).run_once() is not None
    assert _stored(cx)["pro"] == ("Pros", "Les pros", "nps >= 9")
    cleared = client.post("/w/acme/segments/pro", data={**good, "rule": ""}, follow_redirects=False)
    assert cleared.status_code == 303 and cleared.headers["location"].endswith("#segment-pro")
    assert _worker(cx).run_once() is not None
    assert _stored(cx)["pro"] == ("Pros", "Les pros", None)


def test_analysts_add_segments_with_validated_keys_and_check_first(
    cx: Cxgap, client: TestClient
) -> None:
    _setup(cx, client)
    token = csrf_of(client.get("/w/acme/segments?lang=fr").text)
    new = {"csrf_token": token, "segment_key": "Big Spenders", "name_en": "Big spenders",
           "name_fr": "Gros clients", "rule": 'nps >= 9 and segment in ("pro", "home"'}  # fmt: skip
    refused = client.post("/w/acme/segments", data=new)
    assert refused.status_code == 422
    assert "segment_key" in refused.text
    assert "doit commencer par une lettre minuscule" in html.unescape(refused.text)
    said = html.unescape(refused.text)
    assert (
        "Règle refusée à la position 39 : « ) » attendue pour fermer la liste, trouvé : la fin"
        in said
    )
    assert "to close the list" not in said and "found" not in said
    checked = client.post(
        "/w/acme/segments",
        data={**new, "rule": 'generation = "Gen Q"', "action": "check"},
        headers=HTMX,
    )
    assert "génération inconnue : « Gen Q » (connues : " in html.unescape(checked.text)
    assert 'value="Gros clients"' in refused.text
    assert set(_stored(cx)) == {"pro", "home"}
    fixed = {
        **new,
        "segment_key": "big-spenders",
        "rule": 'nps >= 9 and segment in ("pro", "home")',
    }
    check = client.post("/w/acme/segments", data={**fixed, "action": "check"})
    assert check.status_code == 200 and set(_stored(cx)) == {"pro", "home"}
    assert "retient aujourd'hui 2 retours et 2 réponses" in html.unescape(check.text)
    duplicate = client.post("/w/acme/segments", data={**fixed, "segment_key": "pro"})
    assert duplicate.status_code == 422
    said = html.unescape(duplicate.text)
    assert "est déjà utilisé dans cet espace de travail" in said and "already" not in said
    added = client.post("/w/acme/segments", data=fixed, follow_redirects=False)
    assert added.status_code == 303
    assert _stored(cx)["big-spenders"] == (
        "Big spenders",
        "Gros clients",
        'nps >= 9 and segment in ("pro", "home")',
    )
    page = client.get("/w/acme/segments")
    assert _counts(_cells(page.text, "big-spenders")) == (2, 2)
