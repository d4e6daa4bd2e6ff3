"""The feedback export service: CSV that French Excel opens, XLSX texts that stay texts,
keyset pages, the Listening filters, and the import recognising the file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select, update

from cxgap.db.tables import Feedback, TextEnrichment
from cxgap.errors import ValidationError
from cxgap.ingest.preview import detect_preset
from cxgap.services import feedback_export as export
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.listening import parse_filters
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_feedback, enrich
from tests.factories import make_workspace

SOURCE = Path(__file__).resolve().parents[1] / "data" / "export" / "feedback.csv"


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        make_workspace(session)
    outcome = run_feedback_import(cx, workspace_key="acme", source=SOURCE, name="feedback.csv")
    assert outcome.refusal is None
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        for item in session.scalars(select(Feedback).where(Feedback.text != "")):
            enrich(session, workspace, item.text_hash, -0.25, None, [("price", -0.25)])
    return cx


def exported(cx: Cxgap, fmt: export.Format, **filters: str) -> bytes:
    target = io.BytesIO()
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        where = export.listening_filter(session, workspace, parse_filters(filters))
        export.export_feedback(session, workspace=workspace, fmt=fmt, target=target, where=where)
    return target.getvalue()


def test_a_french_workspace_gets_semicolons_and_decimal_commas(acme: Cxgap) -> None:
    english = exported(acme, "csv")
    assert english.startswith(b"\xef\xbb\xbftext,question,")
    with acme.transaction() as session:
        session.execute(update(TextEnrichment).values(language="fr"))
    data = exported(acme, "csv")
    assert data.startswith("\ufefftext;question;".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r["source_id"] for r in rows] == ["S-1", "S-2", "R-1", "T-1", "C-1", "S-3"]
    first = rows[0]
    assert first["text"] == "Livraison rapide ; le livreur était très aimable, merci !"
    assert (first["language"], first["sentiment"], first["sentiment_score"]) == (
        "fr",
        "negative",
        "-0,25",
    )
    assert first["topics"] == "price"
    assert rows[1]["text"] == 'Trop cher.\nEt le SAV ne répond pas "jamais"'
    # Spreadsheet formulas stay text (OWASP's apostrophe); the import takes it off again.
    assert rows[2]["text"] == "'=1+1 great shop"
    assert rows[3]["text"] == "'-- the refund took three weeks"
    assert rows[5]["text"] == rows[5]["sentiment"] == ""


def test_topics_are_joined_with_the_documented_separator(acme: Cxgap) -> None:
    with acme.transaction() as session:
        session.execute(update(TextEnrichment).values(topic_keys=["delivery", "price"]))
    data = exported(acme, "csv").decode("utf-8-sig")
    assert ",delivery | price\r\n" in data


def test_xlsx_texts_stay_texts(acme: Cxgap) -> None:
    sheet = load_workbook(io.BytesIO(exported(acme, "xlsx"))).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header == list(export.COLUMNS)
    formula_like = sheet.cell(row=4, column=1)
    assert (formula_like.value, formula_like.data_type) == ("=1+1 great shop", "s")
    assert formula_like.quotePrefix  # Excel keeps it text even when the cell is edited
    assert sheet.cell(row=2, column=3).value == "2026-03-01T09:15:30+00:00"
    assert sheet.cell(row=2, column=9).value == 9
    assert sheet.cell(row=5, column=7).value == "00042"


def test_the_listening_filters_choose_the_records(acme: Cxgap) -> None:
    data = exported(acme, "csv", source="survey", to="2026-03-02")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["source_id"] for r in rows] == ["S-1", "S-2"]


def test_records_are_read_in_keyset_pages(acme: Cxgap) -> None:
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "FROM feedback" in statement:
            statements.append(statement)

    event.listen(acme.engine, "before_cursor_execute", seen)
    try:
        with acme.reading() as session:
            workspace = get_workspace(session, "acme")
            ids = [r["source_id"] for r in export.feedback_records(session, workspace, page_size=4)]
    finally:
        event.remove(acme.engine, "before_cursor_execute", seen)
    assert ids == ["S-1", "S-2", "R-1", "T-1", "C-1", "S-3"]
    assert len(statements) == 3  # two full or partial pages, then an empty one
    assert all("LIMIT" in s for s in statements)
    assert all("feedback.collected_at >" in s for s in statements[1:])  # from the cursor on


def test_the_import_recognises_an_export(acme: Cxgap, tmp_path: Path) -> None:
    for fmt in export.FORMATS:
        path = tmp_path / f"any-name.{fmt}"
        path.write_bytes(exported(acme, fmt))
        assert detect_preset(path, name=path.name) == "cxgap"
    assert detect_preset(SOURCE, name=SOURCE.name) == "generic"  # the generic layout stays
    generic = {
        "source_type": "review",
        "collected_at": "2026-03-01",
        "text": "Bien",
        "language": "fr",
    }
    for name, data in (("g.json", json.dumps([generic])), ("g.jsonl", json.dumps(generic))):
        (tmp_path / name).write_text(data + "\n", encoding="utf-8")
        assert detect_preset(tmp_path / name, name=name) == "generic"


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be one of csv, xlsx, json"):
        export.parse_format("pdf")


def test_records_of_the_same_moment_are_neither_lost_nor_repeated(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        for n in range(7):  # the factory dates them all 2026-05-01 00:00 UTC
            add_feedback(session, workspace, f"Same moment {n}")
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        texts = [r["text"] for r in export.feedback_records(session, workspace, page_size=2)]
    assert texts == [f"Same moment {n}" for n in range(7)]
