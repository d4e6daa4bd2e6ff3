"""Every CSV export opens in Excel (BOM, ``;`` in French) and reads back as it was written,
hostile comments included: quotes, delimiters, line breaks, tabs, a BOM, formulas."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select, update

from cxgap.db.tables import CustomerResponse, Feedback, InternalResponse
from cxgap.ingest import open_table
from cxgap.ingest.csvwrite import restore_text
from cxgap.schema import parse_internal_answer
from cxgap.services.answers import store_internal_answers
from cxgap.services.campaigns import create_internal_campaign
from cxgap.services.core import Cxgap
from cxgap.services.exports import export_answers, write_answers_csv
from cxgap.services.feedback_export import export_feedback
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.survey_imports import import_customer_csv, import_customer_rows
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_feedback
from tests.factories import PILLAR_KEYS, customer_form, internal_form, make_workspace

HOSTILE = (
    'He said "great", then left, sadly',
    "Livraison ; rapide, mais « colis » abîmé",
    "Line one\nline two\r\nline three",
    "Tabs\tinside\tthe text",
    "A \ufeff byte order mark inside",
    '=HYPERLINK("http://evil.example","click")',
    "+1 for the delivery team",  # a + first (a phone number would be masked)
    "-- the refund took three weeks",
    "@admin please look",
    '"Quoted from the start", she wrote',
)

# Feedback texts as the feedback import stores them: trimmed, line breaks as LF.
FEEDBACK = tuple(text.strip().replace("\r\n", "\n") for text in HOSTILE)


def add_answers(cx: Cxgap, key: str, language: str) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session, key=key)
        rows = [
            customer_form(response_id=f"r{i}", comment=text, language=language)
            for i, text in enumerate(HOSTILE)
        ]
        report = import_customer_rows(session, workspace=workspace, rows=rows, source="api")
        assert report.stored == len(HOSTILE)


def exported(cx: Cxgap, key: str, which: str = "customer") -> bytes:
    buffer = io.StringIO(newline="")
    with cx.reading() as session:
        write_answers_csv(
            session, workspace=get_workspace(session, key), which=which, handle=buffer
        )
    return buffer.getvalue().encode("utf-8")


def comments(cx: Cxgap, key: str) -> list[str]:
    with cx.reading() as session:
        workspace = get_workspace(session, key)
        query = (
            select(CustomerResponse.comment)
            .where(CustomerResponse.workspace_id == workspace.id)
            .order_by(CustomerResponse.external_id)
        )
        return list(session.scalars(query))


@pytest.mark.parametrize(("language", "delimiter"), [("fr", ";"), ("en", ",")])
def test_customer_answers_reimport_with_every_hostile_comment(
    cx: Cxgap, language: str, delimiter: str
) -> None:
    add_answers(cx, "acme", language)
    data = exported(cx, "acme")
    assert data.startswith(f"\ufeffresponse_id{delimiter}source{delimiter}".encode())
    # RFC 4180 on the way out: doubled quotes, a formula kept inert by an apostrophe.
    assert b'"He said ""great"", then left, sadly"' in data
    assert b'"\'=HYPERLINK(""http://evil.example""' in data
    with cx.transaction() as session:
        make_workspace(session, key="copy")
        report = import_customer_csv(
            session,
            workspace=get_workspace(session, "copy"),
            data=data,
            source="customer_answers.csv",
            max_bytes=1_000_000,
        )
    assert (report.stored, report.problems) == (len(HOSTILE), [])
    assert comments(cx, "copy") == comments(cx, "acme")
    assert sorted(comments(cx, "copy")) == sorted(text.strip() for text in HOSTILE)


def test_the_export_written_by_the_cli_reimports_as_it_is(cx: Cxgap, tmp_path: Path) -> None:
    add_answers(cx, "acme", "fr")
    with cx.reading() as session:
        summary = export_answers(
            session, workspace=get_workspace(session, "acme"), output_dir=tmp_path
        )
    raw = summary.customer_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfresponse_id;") and b"\r\n" in raw
    with cx.transaction() as session:
        report = import_customer_csv(
            session,
            workspace=get_workspace(session, "acme"),
            data=raw,
            source=summary.customer_path.name,
            max_bytes=1_000_000,
        )
    assert report.stored == len(HOSTILE)  # the same ids: updated, not doubled
    assert len(comments(cx, "acme")) == len(HOSTILE)


def test_internal_answers_read_back_cell_for_cell(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        campaign = create_internal_campaign(session, workspace=workspace, key="q1", name="Q1")
        answers = [
            parse_internal_answer(internal_form(comment=text), pillar_keys=PILLAR_KEYS)
            for text in HOSTILE
        ]
        ids = [f"s{i}" for i in range(len(HOSTILE))]
        store_internal_answers(session, campaign=campaign, answers=answers, submission_ids=ids)
        stored = list(
            session.scalars(select(InternalResponse.comment).order_by(InternalResponse.id))
        )
    data = exported(cx, "acme", "internal")
    assert data.startswith(b"\xef\xbb\xbfresponse_id,campaign,")
    with open_table(io.BytesIO(data), name="internal_answers.csv") as table:
        assert table.header[:5] == [
            "response_id",
            "campaign",
            "submitted_at",
            "department",
            "comment",
        ]
        read = [(values["comment"] or "") for _, values in table]
    assert [restore_text(text) for text in read] == stored


def test_a_raw_file_with_quoted_commas_and_a_bom_imports(cx: Cxgap) -> None:
    """The file of the bug report: another tool's RFC 4180 CSV with CRLF line ends."""
    with cx.transaction() as session:
        make_workspace(session)
    form = customer_form(response_id="x1")
    form.pop("comment")
    header = ",".join([*form, "comment"])
    cells = ",".join(str(value) for value in form.values())
    data = f'\ufeff{header}\r\n{cells},"He said ""great"", then left, sadly"\r\n'
    with cx.transaction() as session:
        report = import_customer_csv(
            session,
            workspace=get_workspace(session, "acme"),
            data=data.encode("utf-8"),
            source="other-tool.csv",
            max_bytes=1_000_000,
        )
    assert report.stored == 1
    assert comments(cx, "acme") == ['He said "great", then left, sadly']


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_feedback_export_reimports_every_hostile_text(cx: Cxgap, language: str) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        for text in FEEDBACK:
            add_feedback(session, workspace, text, stars=4)
        session.execute(update(Feedback).values(language_hint=language))
        make_workspace(session, key="copy")
    target = io.BytesIO()
    with cx.reading() as session:
        export_feedback(session, workspace=get_workspace(session, "acme"), fmt="csv", target=target)
    data = target.getvalue()
    delimiter = ";" if language == "fr" else ","
    assert data.startswith(f"\ufefftext{delimiter}question{delimiter}".encode())
    outcome = run_feedback_import(
        cx, workspace_key="copy", source=io.BytesIO(data), name="acme-feedback.csv"
    )
    assert outcome.refusal is None
    with cx.reading() as session:
        copied = {
            ws: sorted(
                session.scalars(
                    select(Feedback.text).where(
                        Feedback.workspace_id == get_workspace(session, ws).id
                    )
                )
            )
            for ws in ("acme", "copy")
        }
    assert copied["copy"] == copied["acme"] == sorted(FEEDBACK)
