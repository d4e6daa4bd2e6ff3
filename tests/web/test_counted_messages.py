"""Counted messages agree with their count in both languages (``1 verbatim``, not
``1 verbatims``), and feedback channels that cxgap knows are shown by their names."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from cxgap.db.tables import CustomerResponse
from cxgap.reporting.context import Context
from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from cxgap.web.import_problems import keyed_reason
from cxgap.web.render import translate_count
from tests.enrichment_factory import add_feedback
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in
from tests.web.test_feedback_import_web import mapping_form, run, upload


def _setup(cx: Cxgap, client: TestClient) -> None:
    """One enriched verbatim with an NPS, one waiting for the models, one survey answer."""
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, "Livraison rapide", nps=9, score=0.6, channel="survey")
        add_feedback(session, workspace, "Colis abîmé", channel="helpdesk")
        add_feedback(session, workspace, "Très bien", channel="clients")
        campaigns.create_survey(session, workspace=workspace, key="clients", name="Fidèles")
        session.add(
            CustomerResponse(workspace_id=workspace.id, source="demo", external_id="r1", nps=10)
        )
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
    log_in(client, "ana@example.com")


def _text(response_text: str) -> str:
    """The page's text with tags removed and white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response_text)).split())


@pytest.mark.parametrize(
    ("lang", "partial", "too_few"),
    [
        ("en", "1 of 3 verbatims enriched so far;", "1 enriched verbatim with a score:"),
        (
            "fr",
            "Verbatims enrichis pour l'instant : 1 sur 3 ;",
            "1 verbatim enrichi avec un score :",
        ),
    ],
)
def test_listening_says_one_verbatim_in_the_singular(
    sqlite_cx: Cxgap, sqlite_client: TestClient, lang: str, partial: str, too_few: str
) -> None:
    _setup(sqlite_cx, sqlite_client)
    explorer = _text(sqlite_client.get("/w/acme/listening", params={"lang": lang}).text)
    assert partial in explorer
    drivers = _text(sqlite_client.get("/w/acme/listening/drivers", params={"lang": lang}).text)
    assert too_few in drivers


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "This rule matches 1 feedback item and 1 survey answer now."),
        ("fr", "Cette règle retient aujourd'hui 1 retour et 1 réponse au questionnaire."),
    ],
)
def test_a_segment_check_counts_one_item_in_the_singular(
    sqlite_cx: Cxgap, sqlite_client: TestClient, lang: str, expected: str
) -> None:
    _setup(sqlite_cx, sqlite_client)
    token = csrf_of(sqlite_client.get("/w/acme/segments").text)
    fields = {"segment_key": "fans", "name_en": "Fans", "name_fr": "Fans", "rule": "nps >= 9"}
    check = sqlite_client.post(
        "/w/acme/segments",
        params={"lang": lang},
        data={**fields, "action": "check", "csrf_token": token},
    )
    assert check.status_code == 200
    assert expected in _text(check.text)


@pytest.mark.parametrize(
    ("lang", "known", "unknown"),
    [("en", ">Survey<", ">helpdesk<"), ("fr", ">Enquête<", ">helpdesk<")],
)
def test_known_channels_are_shown_by_their_names(
    sqlite_cx: Cxgap, sqlite_client: TestClient, lang: str, known: str, unknown: str
) -> None:
    """``survey`` is a source type and is named; ``clients`` is the key of a cxgap survey and
    is shown by its name; ``helpdesk`` is the importer's own word."""
    _setup(sqlite_cx, sqlite_client)
    page = sqlite_client.get("/w/acme/listening", params={"lang": lang}).text
    facet = page[page.index('<h2 class="facet-title">') :]
    assert known in page and unknown in page
    assert '<option value="survey">' + known[1:-1] + "</option>" in page
    assert ">survey<" not in facet and ">clients<" not in facet
    assert ">Fidèles<" in facet and '<option value="clients">Fidèles</option>' in page


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [
        ("en", 1, "1 verbatim"),
        ("en", 0, "0 verbatims"),
        ("fr", 0, "0 verbatim"),
        ("en", 1200, "1,200 verbatims"),
        ("fr", 12000, "12\u202f000 verbatims"),
    ],
)
def test_counts_are_written_the_readers_way(locale: str, count: int, expected: str) -> None:
    assert translate_count(locale, "listening.explorer.count", count) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "1 record stored from 1 row read."), ("fr", "1 retour enregistré sur 1 ligne lue.")],
)
def test_a_one_row_import_reports_one_record_in_the_singular(
    sqlite_cx: Cxgap, sqlite_client: TestClient, lang: str, expected: str
) -> None:
    _setup(sqlite_cx, sqlite_client)
    data = b"source_type,collected_at,text,nps\nreview,2026-01-05,Tres bien,9\n"
    response = upload(sqlite_client, "one.csv", data, preset="generic", lang=lang)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    report = run(sqlite_client, location, mapping_form(sqlite_client.get(location).text))
    outcome = re.search(r'<p[^>]*id="outcome">(.*?)</p>', report.text, re.S)
    assert outcome is not None and html.unescape(outcome.group(1)) == expected


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [
        ("en", 1, "1 row has more cells than the header's 4 (row 3)"),
        ("en", 2, "2 rows have more cells than the header's 4 (rows 3, 5)"),
        ("fr", 1, "1 ligne a plus de cellules que les 4 de l'en-tête (ligne 3)"),
        ("fr", 2, "2 lignes ont plus de cellules que les 4 de l'en-tête (lignes 3, 5)"),
    ],
)
def test_a_file_problem_about_rows_agrees_with_their_count(
    locale: str, count: int, expected: str
) -> None:
    rows = "3" if count == 1 else "3, 5"
    params = {"reason": "ragged_rows_more", "count": count, "columns": 4, "rows": rows}
    said = keyed_reason({**params, "separator": "','"}, locale)
    assert said is not None and said.startswith(expected)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Too few answers: ±8.9 points; 1 more answer needed for ±5 points."),
        ("fr", "Trop peu de réponses : ±8,9 points ; il faut 1 réponse de plus pour atteindre"),
    ],
)
def test_the_results_ask_for_one_more_answer_in_the_singular(locale: str, expected: str) -> None:
    moe = "8,9" if locale == "fr" else "8.9"
    context = Context({}, locale=locale)
    said = context.tn("results.validity.too_few", 1, moe=moe, needed="1", target="5")
    assert said.startswith(expected)
