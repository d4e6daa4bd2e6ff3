"""Every result page with and without flagged answers: planted flagged answers in one
workspace, the same clean answers in its twin; without the flagged answers, each page's
figures equal the twin's exactly. The choice is the workspace's, logged, analysts' only."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import AuditEvent, ResultsCache
from cxgap.i18n.numbers import format_signed
from cxgap.reporting.formatting import format_number
from cxgap.services import api_tokens
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from cxgap.services.flagged import flagged_set, workspace_choice
from cxgap.services.results import results_for
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user
from tests.integrity.flagged_factories import CLEAN, flagged_rows, planted_workspace
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in

PLANTED = len(flagged_rows())


@pytest.fixture
def twins(cx: Cxgap) -> Cxgap:
    """``gamed``: clean and planted answers; ``clean``: the same clean answers only."""
    with cx.transaction() as session:
        gamed = planted_workspace(session, "gamed", with_flagged=True)
        clean = planted_workspace(session, "clean", with_flagged=False)
        for workspace in (gamed, clean):
            make_user(session, f"ana-{workspace.key}@example.com", workspace=workspace)
            for who, role in (("vic", "viewer"), ("adm", "admin")):
                email = f"{who}-{workspace.key}@example.com"
                make_user(session, email, workspace=workspace, role=role)
    return cx


@pytest.fixture
def client(twins: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(twins), follow_redirects=False) as client:
        yield client


def _same(document: dict[str, object]) -> dict[str, object]:
    """The results object without what names the workspace or the moment."""
    return {k: v for k, v in document.items() if k not in ("workspace", "computed_at")}


def _token(cx: Cxgap, key: str, role: str) -> dict[str, str]:
    with cx.transaction() as session:
        workspace = get_workspace(session, key)
        admin = next(m.user for m in workspace.memberships if m.role == "admin")
        token = api_tokens.create_workspace_token(
            session, workspace=workspace, principal=principal_of(admin), name=role, role=role
        )
    return {"authorization": f"Bearer {token}"}


def test_the_planted_answers_and_only_they_are_flagged(twins: Cxgap) -> None:
    with twins.transaction() as session:
        gamed = flagged_set(session, get_workspace(session, "gamed"))
        clean = flagged_set(session, get_workspace(session, "clean"))
    assert sorted(gamed.external_ids) == [r["response_id"] for r in flagged_rows()]
    assert gamed.count == PLANTED and gamed.total == CLEAN + PLANTED
    assert clean.count == 0


def test_results_without_flagged_answers_are_the_twins(twins: Cxgap) -> None:
    with twins.transaction() as session:
        gamed, clean = get_workspace(session, "gamed"), get_workspace(session, "clean")
        assert workspace_choice(session, gamed) == "include"
        twin = _same(dict(results_for(session, clean)))
        with_flagged = _same(dict(results_for(session, gamed)))
        without = _same(dict(results_for(session, gamed, flagged="exclude")))
        cached = session.scalars(
            select(ResultsCache.params).where(ResultsCache.workspace_id == gamed.id)
        ).all()
    assert without == twin
    assert with_flagged != twin
    assert with_flagged["nps"] != twin["nps"]
    # Both readings cached, apart: the choice is in the cache key.
    assert {p for p in cached if p.startswith("conf=")} == {
        "conf=0.95;min=30",
        "conf=0.95;min=30;flagged=exclude",
    }
    with twins.transaction() as session:
        gamed = get_workspace(session, "gamed")
        again = _same(dict(results_for(session, gamed, flagged="exclude")))
        # Nothing flagged: excluding them is the same reading, served from the same cache.
        clean = get_workspace(session, "clean")
        assert _same(dict(results_for(session, clean, flagged="exclude"))) == twin
        params = session.scalars(
            select(ResultsCache.params).where(ResultsCache.workspace_id == clean.id)
        ).all()
    assert again == twin
    assert sorted(params) == ["conf=0.95;min=30", "integrity-flags"]


def _section(html: str, start: str, end: str, key: str) -> str:
    """The part of a page between two markers, the workspace's key and the time it was
    computed taken out (two pages rendered a minute apart are still the same figures)."""
    found = re.search(re.escape(start) + "(.*?)" + re.escape(end), html, re.S)
    assert found is not None, start
    part = re.sub(r"(computed on|calculé le) [^<]*", r"\1 WHEN", found.group(1))
    return part.replace(f"/w/{key}/", "/w/KEY/").replace(key, "KEY")


def _switch(client: TestClient, key: str, exclude: bool, back: str) -> str:
    token = csrf_of(client.get(f"/w/{key}/results").text)
    response = client.post(
        f"/w/{key}/integrity/choice",
        data={"csrf_token": token, "exclude": "1" if exclude else "", "next": back},
    )
    assert response.status_code == 303
    return str(response.headers["location"])


def test_the_analysts_switch_changes_every_page_and_is_logged(
    twins: Cxgap, client: TestClient
) -> None:
    log_in(client, "ana-clean@example.com")
    twin_results = client.get("/w/clean/results").text
    twin_gaps = client.get("/w/clean/gaps").text
    twin_json = client.get("/w/clean/results.json").json()
    assert "data-flagged-notice" not in twin_results  # nothing flagged: no notice
    client.cookies.clear()
    log_in(client, "ana-gamed@example.com")
    before = client.get("/w/gamed/results").text
    assert 'data-flagged-mode="include"' in before
    assert "8 flagged answers included in these figures." in before
    body = ('<div id="results-body">', "</main>")
    assert _section(before, *body, "gamed") != _section(twin_results, *body, "clean")
    # The notice's switch: logged, back to the page it was pressed on.
    assert _switch(client, "gamed", True, "/w/gamed/gaps") == "/w/gamed/gaps"
    gaps = client.get("/w/gamed/gaps").text
    assert 'data-flagged-mode="exclude"' in gaps
    table = ('<section class="card">', "</section>")
    assert _section(gaps, *table, "gamed") == _section(twin_gaps, *table, "clean")
    after = client.get("/w/gamed/results").text  # no parameter: the workspace's choice
    assert "8 flagged answers excluded from these figures." in after
    assert _section(after, *body, "gamed") == _section(twin_results, *body, "clean")
    assert _same(client.get("/w/gamed/results.json").json()) == _same(twin_json)
    # The notice says how NPS moves: the twin's NPS is the figure without them.
    nps = re.search(r'data-move="nps">NPS (\S+) → (\S+) \(<span data-change>([^<]+)<', after)
    every = client.get("/w/gamed/results.json?flagged=include").json()["nps"]["score"]
    assert nps is not None
    assert nps.group(1) == format_number(every, "en", decimals=0)
    assert nps.group(2) == format_number(twin_json["nps"]["score"], "en", decimals=0)
    assert nps.group(3) == format_signed(twin_json["nps"]["score"] - every, "en", decimals=1)
    # Asking for the other reading shows it without changing the choice.
    shown = client.get("/w/gamed/results.json?flagged=include").json()
    assert _same(shown) != _same(twin_json)
    assert _same(client.get("/w/gamed/results.json").json()) == _same(twin_json)
    assert client.get("/w/gamed/results.json?flagged=maybe").status_code == 422
    # Back to every answer; an address outside the workspace is not followed.
    assert _switch(client, "gamed", False, "https://evil.example/") == (
        "/w/gamed/results?flagged=include#integrity"
    )
    assert _switch(client, "gamed", False, "/w/clean/results").startswith("/w/gamed/results")
    with twins.transaction() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "integrity.choice")
            .order_by(AuditEvent.id)
        ).all()
        assert workspace_choice(session, get_workspace(session, "gamed")) == "include"
    assert [e.details["exclude_flagged"] for e in events] == [True, False, False]
    assert {e.workspace_key for e in events} == {"gamed"}
    assert {e.details["flagged"] for e in events} == {PLANTED}
    assert all(e.actor_user_id is not None for e in events)


def test_viewers_see_the_notice_but_cannot_switch(twins: Cxgap, client: TestClient) -> None:
    log_in(client, "vic-gamed@example.com")
    html = client.get("/w/gamed/gaps").text
    assert "data-flagged-notice" in html and "integrity/choice" not in html
    assert 'href="/w/gamed/gaps?flagged=exclude"' in html
    french = client.get("/w/gamed/results?lang=fr&flagged=exclude").text
    assert "8 réponses signalées exclues de ces chiffres." in french
    token = csrf_of(html)
    response = client.post("/w/gamed/integrity/choice", data={"csrf_token": token, "exclude": "1"})
    assert response.status_code == 403
    with twins.transaction() as session:
        assert workspace_choice(session, get_workspace(session, "gamed")) == "include"


def test_the_api_and_the_answers_csv_follow_the_choice(twins: Cxgap, client: TestClient) -> None:
    route = "/api/v1/workspaces/{}/results"
    viewer = _token(twins, "gamed", "viewer")
    twin = _same(client.get(route.format("clean"), headers=_token(twins, "clean", "viewer")).json())
    assert _same(client.get(route.format("gamed"), headers=viewer).json()) != twin
    excluded = client.get(route.format("gamed") + "?flagged=exclude", headers=viewer).json()
    assert _same(excluded) == twin
    refused = client.get(route.format("gamed") + "?flagged=all", headers=viewer)
    assert refused.status_code == 422 and "flagged" in refused.text
    analyst = _token(twins, "gamed", "analyst")
    export = "/api/v1/workspaces/gamed/answers/export"
    every = client.get(export, headers=analyst)
    kept = client.get(export + "?flagged=exclude", headers=analyst)
    assert "without-flagged" in kept.headers["content-disposition"]

    def ids(text: str) -> set[str]:
        text = text.lstrip("\ufeff")
        header = text.splitlines()[0]
        delimiter = ";" if header.count(";") > header.count(",") else ","
        rows = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        return {row["response_id"] for row in rows}

    planted = {r["response_id"] for r in flagged_rows()}
    assert ids(every.text) - ids(kept.text) == planted and len(ids(kept.text)) == CLEAN
    log_in(client, "ana-gamed@example.com")
    _switch(client, "gamed", True, "/w/gamed/results")
    assert _same(client.get(route.format("gamed"), headers=viewer).json()) == twin
    page_csv = client.get("/w/gamed/export/customer_answers.csv")
    assert ids(page_csv.text) == ids(kept.text)
    assert "without-flagged" in page_csv.headers["content-disposition"]
    assert ids(client.get("/w/gamed/export/customer_answers.csv?flagged=include").text) == ids(
        every.text
    )


def test_a_sentiment_stored_later_renews_the_flags_and_the_results(twins: Cxgap) -> None:
    """Enrichment moves no data revision, yet the score–text mismatch reads its sentiment:
    the flagged set and the results without it are recomputed once it is stored."""
    from cxgap.db.tables import Feedback
    from tests.enrichment_factory import enrich

    with twins.transaction() as session:
        gamed = get_workspace(session, "gamed")
        before = results_for(session, gamed, flagged="exclude")
        assert flagged_set(session, gamed).count == PLANTED
        praise = session.scalars(  # an NPS of 9 with a comment read as very negative below
            select(Feedback).where(
                Feedback.workspace_id == gamed.id, Feedback.source_id == "clean-012"
            )
        ).one()
        enrich(session, gamed, praise.text_hash, -0.9, None, [(None, -0.9)])
    with twins.transaction() as session:
        gamed = get_workspace(session, "gamed")
        found = flagged_set(session, gamed)
        after = results_for(session, gamed, flagged="exclude")
    assert "clean-012" in found.external_ids and found.count == PLANTED + 1
    assert after["nps"]["n"] == before["nps"]["n"] - 1
