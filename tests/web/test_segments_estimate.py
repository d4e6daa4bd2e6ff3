"""The check of an unsaved rule past its time budget: an interval from a sample, said as an
estimate in English and French, with a button that counts exactly (htmx or a plain form)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from cxgap.services import rule_check
from cxgap.services.core import Cxgap
from tests.web.conftest import csrf_of
from tests.web.test_segments_pages import HTMX, _setup

RULE = {"segment_key": "fans", "name_en": "Fans", "name_fr": "Fans", "rule": "nps >= 9"}


@pytest.fixture
def no_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A workspace too large to count within the budget, whatever its size here."""
    monkeypatch.setattr(rule_check, "EXACT_BUDGET_S", 0.0)


@pytest.mark.usefixtures("no_time")
def test_past_the_budget_the_check_says_it_estimates_then_counts_exactly(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    client = sqlite_client
    _setup(sqlite_cx, client)
    form = {**RULE, "csrf_token": csrf_of(client.get("/w/acme/segments").text)}
    checked = client.post(
        "/w/acme/segments?lang=en", data={**form, "action": "check"}, headers=HTMX
    )
    said = html.unescape(re.sub(r"\s+", " ", checked.text))
    found = re.search(r"matches about (\d+) feedback items? \(between (\d+) and (\d+), 95 %", said)
    assert found is not None, said
    point, low, high = map(int, found.groups())
    assert low <= 2 <= high and low <= point <= high  # 2 of the 4 items have nps >= 9
    assert "from 5,000 items drawn at random" in said and "and 2 survey answers now" in said
    assert 'value="count"' in checked.text and 'hx-post="/w/acme/segments"' in checked.text

    french = client.post("/w/acme/segments?lang=fr", data={**form, "action": "check"}, headers=HTMX)
    assert "retient aujourd'hui environ" in html.unescape(french.text)
    assert "Compter exactement" in french.text

    exact = client.post("/w/acme/segments?lang=en", data={**form, "action": "count"}, headers=HTMX)
    assert "matches 2 feedback items and 2 survey answers now" in exact.text
    assert 'value="count"' not in exact.text and "about" not in exact.text
    plain = client.post("/w/acme/segments/pro", data={**form, "action": "count"})
    assert plain.status_code == 200
    assert "matches 2 feedback items and 2 survey answers now" in plain.text


def test_within_the_budget_the_check_is_exact_and_offers_no_button(
    sqlite_cx: Cxgap, sqlite_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rule_check, "EXACT_BUDGET_S", 60.0)
    _setup(sqlite_cx, sqlite_client)
    form = {**RULE, "csrf_token": csrf_of(sqlite_client.get("/w/acme/segments").text)}
    checked = sqlite_client.post(
        "/w/acme/segments?lang=en", data={**form, "action": "check"}, headers=HTMX
    )
    assert "matches 2 feedback items and 2 survey answers now" in checked.text
    assert 'value="count"' not in checked.text
