"""CSV import: all or nothing by default, every problem located, re-imports update."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import CustomerResponse
from cxgap.errors import PayloadTooLargeError, ValidationError
from cxgap.services.core import Cxgap
from cxgap.services.survey_imports import import_customer_csv
from cxgap.services.workspaces import get_workspace
from tests.factories import customer_form, make_workspace


def csv_bytes(
    rows: list[dict[str, object]], delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def run_import(cx: Cxgap, data: bytes, **kwargs: object) -> object:
    with cx.transaction() as session:
        return import_customer_csv(
            session,
            workspace=get_workspace(session, "acme"),
            data=data,
            source="answers.csv",
            max_bytes=int(kwargs.pop("max_bytes", 1_000_000)),  # type: ignore[call-overload]
            **kwargs,  # type: ignore[arg-type]
        )


def stored(cx: Cxgap) -> int:
    with cx.reading() as session:
        return int(session.scalar(select(func.count(CustomerResponse.id))) or 0)


@pytest.fixture
def ws_cx(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        make_workspace(session)
    return cx


def rows(n: int, **overrides: object) -> list[dict[str, object]]:
    return [customer_form(response_id=f"r{i}", **overrides) for i in range(n)]


def test_a_valid_file_is_imported(ws_cx: Cxgap) -> None:
    report = run_import(ws_cx, csv_bytes(rows(5)))
    assert report.stored == 5  # type: ignore[attr-defined]
    assert stored(ws_cx) == 5


def test_semicolon_files_from_french_excel_are_read(ws_cx: Cxgap) -> None:
    run_import(ws_cx, csv_bytes(rows(3, comment="Très bien; merci"), delimiter=";"))
    assert stored(ws_cx) == 3


def test_one_bad_row_refuses_the_whole_file_and_names_row_column_value(ws_cx: Cxgap) -> None:
    data = rows(4)
    data[2]["nps"] = 42
    with pytest.raises(ValidationError) as exc:
        run_import(ws_cx, csv_bytes(data))
    (problem,) = exc.value.problems
    assert (problem.row, problem.field, problem.value) == (4, "nps", "42")  # header is row 1
    assert stored(ws_cx) == 0


def test_skip_invalid_stores_the_good_rows_and_reports_the_bad(ws_cx: Cxgap) -> None:
    data = rows(4)
    data[0]["service_performance"] = "excellent"
    report = run_import(ws_cx, csv_bytes(data), skip_invalid=True)
    assert (report.stored, report.rows_refused) == (3, 1)  # type: ignore[attr-defined]
    assert stored(ws_cx) == 3


def test_reimporting_updates_instead_of_duplicating(ws_cx: Cxgap) -> None:
    run_import(ws_cx, csv_bytes(rows(3)))
    run_import(ws_cx, csv_bytes(rows(3, nps=2)))
    assert stored(ws_cx) == 3
    with ws_cx.reading() as session:
        assert set(session.scalars(select(CustomerResponse.nps))) == {2}


def test_missing_and_unknown_columns_are_refused(ws_cx: Cxgap) -> None:
    data = rows(2)
    for row in data:
        del row["service_importance"]
        row["favourite_colour"] = "blue"
    with pytest.raises(ValidationError) as exc:
        run_import(ws_cx, csv_bytes(data))
    fields = {p.field: p.message for p in exc.value.problems}
    assert fields == {
        "service_importance": "required column is missing",
        "favourite_colour": "unknown column",
    }
    assert stored(ws_cx) == 0


def test_a_wrong_encoding_is_refused_with_the_line(ws_cx: Cxgap) -> None:
    data = csv_bytes(rows(3, comment="Très déçu"), encoding="cp1252")
    with pytest.raises(ValidationError) as exc:
        run_import(ws_cx, data, encoding="utf-8")
    assert "line 2" in str(exc.value) and "cp1252" in str(exc.value)
    assert stored(ws_cx) == 0


def test_the_encoding_is_detected_when_not_given(ws_cx: Cxgap) -> None:
    data = csv_bytes(rows(3, comment="Très déçu"), encoding="cp1252")
    run_import(ws_cx, data)
    with ws_cx.reading() as session:
        assert set(session.scalars(select(CustomerResponse.comment))) == {"Très déçu"}


def test_duplicate_ids_in_one_file_are_refused(ws_cx: Cxgap) -> None:
    data = rows(2)
    data[1]["response_id"] = "r0"
    with pytest.raises(ValidationError) as exc:
        run_import(ws_cx, csv_bytes(data))
    assert "duplicates row 2" in str(exc.value)


def test_ragged_rows_and_empty_files_are_refused(ws_cx: Cxgap) -> None:
    data = (
        csv_bytes(rows(2))
        + b"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
    )
    with pytest.raises(ValidationError) as exc:
        run_import(ws_cx, data)
    assert "has 30 cells but the header has" in str(exc.value)
    with pytest.raises(ValidationError):
        run_import(ws_cx, b"")
    header_only = csv_bytes(rows(1)).split(b"\n")[0] + b"\n"
    with pytest.raises(ValidationError, match="no answer rows"):
        run_import(ws_cx, header_only)
    assert stored(ws_cx) == 0


def test_oversized_files_are_refused(ws_cx: Cxgap) -> None:
    with pytest.raises(PayloadTooLargeError):
        run_import(ws_cx, csv_bytes(rows(50)), max_bytes=1000)


def test_customer_ids_can_be_pseudonymised(ws_cx: Cxgap) -> None:
    run_import(ws_cx, csv_bytes(rows(2, customer_ref="alice@example.com")), pseudonym_secret="k")
    with ws_cx.reading() as session:
        refs = set(session.scalars(select(CustomerResponse.customer_ref)))
    (ref,) = refs
    assert ref.startswith("p_") and "alice" not in ref


def test_the_shop_or_agent_and_the_time_taken_are_imported_for_the_integrity_flags(
    ws_cx: Cxgap,
) -> None:
    data = rows(3, agent="Lyon Part-Dieu", duration_seconds="83,5")
    data[1]["agent"], data[1]["duration_seconds"] = "", ""
    run_import(ws_cx, csv_bytes(data, delimiter=";"))
    with ws_cx.reading() as session:
        got = session.execute(
            select(CustomerResponse.agent, CustomerResponse.duration_seconds).order_by(
                CustomerResponse.external_id
            )
        ).all()
    assert [tuple(r) for r in got] == [
        ("Lyon Part-Dieu", 83.5), (None, None), ("Lyon Part-Dieu", 83.5),
    ]  # fmt: skip


@pytest.mark.parametrize("seconds", ["-3", "vite", "999999999", "nan"])
def test_a_bad_duration_is_refused_naming_row_column_and_value(ws_cx: Cxgap, seconds: str) -> None:
    data = rows(2, duration_seconds="40")
    data[1]["duration_seconds"] = seconds
    with pytest.raises(ValidationError) as refused:
        run_import(ws_cx, csv_bytes(data))
    (problem,) = refused.value.problems
    assert (problem.row, problem.field, problem.value) == (3, "duration_seconds", seconds)
    assert stored(ws_cx) == 0


def test_a_public_form_cannot_set_the_agent_or_its_own_time() -> None:
    from cxgap.schema import PUBLIC_FORM_IGNORED

    assert {"agent", "duration_seconds", "response_id", "submitted_at"} <= PUBLIC_FORM_IGNORED
