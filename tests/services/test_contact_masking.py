"""Contact details written inside verbatims are masked before they are stored, on every way
in (public survey form, REST API, customer answers file, feedback file), unless the
installation turns it off; ``cxgap db mask-contacts`` masks those stored before."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.cli.main import app as cli
from cxgap.db.tables import CustomerResponse, Feedback, InternalResponse
from cxgap.schema import parse_internal_answer
from cxgap.services import accounts, campaigns
from cxgap.services.answers import store_internal_answers
from cxgap.services.campaigns import create_internal_campaign
from cxgap.services.contact_masking import mask_stored_contacts
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.survey_imports import import_customer_csv
from cxgap.services.workspaces import get_workspace
from tests.factories import PILLAR_KEYS, customer_form, internal_form, make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.test_public_forms import answer

SAID = "Rappelez-moi au 06 12 34 56 78 ou à marie@exemple.fr, carte 4111 1111 1111 1111"
MASKED = "Rappelez-moi au [phone] ou à [email], carte [card]"


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, workspace=workspace, role="analyst")
    return cx


@pytest.fixture
def client(acme: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(acme), follow_redirects=False) as test_client:
        yield test_client


def texts(cx: Cxgap) -> tuple[list[str], list[str]]:
    """(customer comments, feedback texts) as stored."""
    with cx.reading() as session:
        comments = list(session.scalars(select(CustomerResponse.comment)))
        feedback = list(session.scalars(select(Feedback.text).order_by(Feedback.id)))
    return comments, feedback


def test_a_public_survey_comment_is_stored_masked(acme: Cxgap, client: TestClient) -> None:
    with acme.transaction() as session:
        token = campaigns.create_survey(
            session, workspace=get_workspace(session, "acme"), key="pulse", name="P"
        ).token
    assert answer(client, f"/s/{token}", "fr", comment=SAID).status_code == 303
    assert texts(acme) == ([MASKED], [MASKED])
    with acme.reading() as session:
        (item,) = session.scalars(select(Feedback))
        assert item.text_hash == hashlib.sha256(MASKED.encode()).hexdigest()


def test_answers_posted_to_the_api_are_stored_masked(acme: Cxgap, client: TestClient) -> None:
    with acme.transaction() as session:
        token = accounts.create_api_token(session, email="ana@example.com", name="t")
    response = client.post(
        "/api/v1/workspaces/acme/customer-answers",
        json={"answers": [customer_form(response_id="a1", comment=SAID)]},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    assert texts(acme) == ([MASKED], [MASKED])


def answers_csv(comment: str) -> bytes:
    buffer = io.StringIO()
    form = customer_form(response_id="r1", comment=comment)
    writer = csv.DictWriter(buffer, fieldnames=list(form))
    writer.writeheader()
    writer.writerow(form)
    return buffer.getvalue().encode()


def test_a_customer_answers_file_is_stored_masked(acme: Cxgap) -> None:
    with acme.transaction() as session:
        report = import_customer_csv(
            session,
            workspace=get_workspace(session, "acme"),
            data=answers_csv(SAID),
            source="answers.csv",
            max_bytes=100_000,
        )
    assert report.stored == 1, report.problems
    assert texts(acme) == ([MASKED], [MASKED])


def test_a_feedback_file_is_stored_masked(acme: Cxgap, tmp_path: Path) -> None:
    source = tmp_path / "notes.csv"
    source.write_text(
        "source_id,source_type,collected_at,text\n"
        f'N-1,complaint,2024-03-11T10:30:00+01:00,"{SAID}"\n'
        'N-2,complaint,2024-03-11T10:31:00+01:00,"Commande 123456789 du 03/05/2024 : 1 234,50 €"\n',
        encoding="utf-8",
    )
    outcome = run_feedback_import(
        acme, workspace_key="acme", source=source, name="notes.csv", preset="generic"
    )
    assert outcome.refusal is None
    assert texts(acme)[1] == [MASKED, "Commande 123456789 du 03/05/2024 : 1 234,50 €"]


def test_a_staff_comment_is_stored_masked(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        campaign = create_internal_campaign(session, workspace=workspace, key="q1", name="Q1")
        parsed = parse_internal_answer(internal_form(comment=SAID), pillar_keys=PILLAR_KEYS)
        store_internal_answers(session, campaign=campaign, answers=[parsed], submission_ids=["s1"])
    with acme.reading() as session:
        assert list(session.scalars(select(InternalResponse.comment))) == [MASKED]


def test_masking_turned_off_keeps_the_text_and_the_command_masks_it_later(
    acme: Cxgap, client: TestClient
) -> None:
    unmasked = Cxgap(dataclasses.replace(acme.settings, mask_contacts=False))
    try:
        with unmasked.transaction() as session:
            import_customer_csv(
                session,
                workspace=get_workspace(session, "acme"),
                data=answers_csv(SAID),
                source="answers.csv",
                max_bytes=100_000,
            )
    finally:
        unmasked.dispose()
    assert texts(acme) == ([SAID], [SAID])
    result = CliRunner().invoke(
        cli,
        [
            "db",
            "mask-contacts",
            "--workspace",
            "acme",
            "--database-url",
            acme.settings.database_url,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 feedback texts, 1 customer comments and 0 staff comments" in result.stdout
    assert texts(acme) == ([MASKED], [MASKED])
    with acme.transaction() as session:  # a second run finds nothing left to mask
        assert mask_stored_contacts(session).total == 0
