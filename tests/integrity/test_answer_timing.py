"""How long a survey answer took: the signed render time in the public form, recorded by the
fast path and by the full route, and refused when altered (``services/answer_timing.py``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import CustomerResponse
from cxgap.services import campaigns
from cxgap.services.answer_timing import seconds_taken, started_value
from cxgap.services.core import Cxgap
from tests.factories import customer_form, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_signed_start_gives_the_seconds_and_refuses_tampering() -> None:
    value = started_value("s3cret", NOW)
    assert seconds_taken(value, "s3cret", NOW + timedelta(seconds=95.25)) == 95.2
    stamp, signature = value.split(".")
    earlier = f"{int(stamp) - 600_000}.{signature}"  # claims 10 minutes more
    assert seconds_taken(earlier, "s3cret", NOW + timedelta(seconds=95)) is None
    assert seconds_taken(value, "other", NOW + timedelta(seconds=95)) is None
    assert seconds_taken(value, "s3cret", NOW - timedelta(seconds=5)) is None  # future
    assert seconds_taken(value, "s3cret", NOW + timedelta(days=2)) is None  # stale
    for bad in (None, "", "123", "abc.def", "1.2.3"):
        assert seconds_taken(bad, "s3cret", NOW) is None


@contextmanager
def _client(cx: Cxgap, *, fast: bool) -> Iterator[TestClient]:
    own = Cxgap(dataclasses.replace(cx.settings, survey_fast_path=fast))
    try:
        with TestClient(app_for(own), follow_redirects=False) as client:
            yield client
    finally:
        own.dispose()


def _field(html: str, name: str) -> str:
    return html.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("fast", [True, False])
def test_the_survey_records_how_long_the_answer_took(cx: Cxgap, fast: bool) -> None:
    with cx.transaction() as session:
        token = campaigns.create_survey(
            session, workspace=make_workspace(session), key="s", name="S"
        ).token
    with _client(cx, fast=fast) as client:
        html = client.get(f"/s/{token}").text
        started = _field(html, "started")
        stamp, signature = started.split(".")
        hidden = {"csrf_token": csrf_of(html), "submission_id": _field(html, "submission_id")}
        # 40 seconds earlier, as if the customer had read the page that long.
        posted = f"{int(stamp) - 40_000}.{signature}"
        form = customer_form(**hidden, started=started)
        assert client.post(f"/s/{token}", data=form).status_code == 303
        client.cookies.clear()
        html = client.get(f"/s/{token}").text
        hidden = {"csrf_token": csrf_of(html), "submission_id": _field(html, "submission_id")}
        form = customer_form(**hidden, started=posted)
        assert client.post(f"/s/{token}", data=form).status_code == 303
    with cx.transaction() as session:
        durations = session.scalars(
            select(CustomerResponse.duration_seconds).order_by(CustomerResponse.id)
        ).all()
    assert durations[0] is not None and 0 <= durations[0] < 30
    assert durations[1] is None  # an altered render time gives no duration
