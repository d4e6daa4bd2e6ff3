"""Storing feedback: upserts by source id, all-or-nothing, history, on both backends."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from cxgap.db.tables import Feedback
from cxgap.errors import ImportRefused, NotFoundError, ValidationError
from cxgap.ingest import ImportReport, Mode, get_preset
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import (
    ImportProgress,
    count_feedback,
    get_import,
    import_feedback,
    list_imports,
    mapping_spec,
    run_feedback_import,
)
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"
TRUSTPILOT = DATA / "trustpilot.csv"


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        make_workspace(session)
    return cx


def run(
    cx: Cxgap,
    path: Path,
    preset: str | None = "trustpilot",
    mode: Mode = "all_or_nothing",
    mapping: Path | None = None,
    key: str | None = None,
) -> ImportReport:
    with cx.transaction() as session:
        return import_feedback(
            session,
            workspace=get_workspace(session, "acme"),
            source=path,
            name=path.name,
            preset=preset,
            mapping=mapping,
            mode=mode,
            pseudonym_key=key,
        )


def count(cx: Cxgap) -> int:
    with cx.reading() as session:
        return count_feedback(session, get_workspace(session, "acme"))


def stored(cx: Cxgap) -> dict[str, Feedback]:
    with cx.reading() as session:
        rows = session.scalars(select(Feedback).order_by(Feedback.id)).all()
        session.expunge_all()
    return {row.source_id: row for row in rows}


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_trustpilot_and_zendesk_samples_are_stored(acme: Cxgap) -> None:
    report = run(acme, TRUSTPILOT)
    assert report.ok and report.records_valid == 6
    run(acme, DATA / "zendesk.csv", preset="zendesk")
    assert count(acme) == 11
    rows = stored(acme)
    review = rows["65e4b20e1a2f3c0012b5e002"]
    assert (review.source_type, review.stars, review.channel) == ("review", 1, "trustpilot")
    assert review.text_hash == hashlib.sha256(review.text.encode()).hexdigest()
    assert rows["48212"].source_type == "ticket" and rows["48212"].csat == 1
    with acme.reading() as session:
        imports = list_imports(session, get_workspace(session, "acme"))
        assert [(i.status, i.records_stored, i.rows_read) for i in imports] == [
            ("done", 6, 6),
            ("done", 5, 5),
        ]
        assert {r.import_id for r in rows.values()} == {imports[0].id, imports[1].id}
        assert get_workspace(session, "acme").data_revision >= 2


def test_a_reimport_updates_instead_of_duplicating(acme: Cxgap, tmp_path: Path) -> None:
    run(acme, TRUSTPILOT)
    run(acme, TRUSTPILOT)
    assert count(acme) == 6
    lines = lines_of(TRUSTPILOT)
    lines[2] = lines[2].replace(",1,en,", ",2,en,").replace("Terrible", "Poor")
    run(acme, write(tmp_path / "edited.csv", lines))
    assert count(acme) == 6
    review = stored(acme)["65e4b20e1a2f3c0012b5e002"]
    assert review.stars == 2 and review.text.startswith("Poor after-sales")


def test_an_overlapping_file_adds_only_the_new_records(acme: Cxgap, tmp_path: Path) -> None:
    lines = lines_of(TRUSTPILOT)
    first = run(acme, write(tmp_path / "march-a.csv", lines[:4]))
    assert first.records_valid == 3 and count(acme) == 3
    second = run(acme, write(tmp_path / "march-b.csv", lines[:1] + lines[2:]))
    assert second.records_valid == 5
    assert count(acme) == 6


def test_a_broken_file_stores_nothing_and_keeps_the_earlier_import(acme: Cxgap) -> None:
    run(acme, DATA / "zendesk.csv", preset="zendesk")
    with pytest.raises(ImportRefused) as caught:
        run(acme, DATA / "trustpilot_broken.csv")
    assert caught.value.report is not None and caught.value.report.rows_refused == 1
    assert any(p.row == 4 for p in caught.value.problems)
    assert count(acme) == 5
    assert not any(row.source_type == "review" for row in stored(acme).values())


def test_skip_invalid_stores_the_good_rows(acme: Cxgap) -> None:
    report = run(acme, DATA / "trustpilot_broken.csv", mode="skip_invalid")
    assert report.ok and report.rows_refused == 1
    assert count(acme) == report.records_valid == 2
    with acme.reading() as session:
        (history,) = list_imports(session, get_workspace(session, "acme"))
        assert history.records_stored == 2 and history.report["rows_refused"] == 1


def test_pseudonymised_customer_refs(acme: Cxgap) -> None:
    run(acme, TRUSTPILOT, key="k")
    refs = [row.customer_ref for row in stored(acme).values() if row.customer_ref]
    assert refs and all(ref.startswith("p_") for ref in refs)
    assert "ORD-100231" not in refs


def test_a_mapping_file_with_a_cp1252_csv(acme: Cxgap) -> None:
    report = run(acme, DATA / "spreadsheet_fr.csv", preset=None,
                 mapping=DATA / "spreadsheet_fr.mapping.json")  # fmt: skip
    assert report.ok and count(acme) == 3
    assert {row.channel for row in stored(acme).values()} >= {"phone"}


def test_a_preset_and_a_mapping_file_combine(tmp_path: Path) -> None:
    mapping = tmp_path / "m.json"
    mapping.write_text('{"fields": {"touchpoint": "Location Name"}}', encoding="utf-8")
    spec = mapping_spec("trustpilot", mapping)
    assert spec.name == "trustpilot" and "touchpoint" in spec.fields and "stars" in spec.fields
    mapping.write_text('{"preset": "zendesk"}', encoding="utf-8")
    with pytest.raises(ValidationError, match="Mapping file refused"):
        mapping_spec("trustpilot", mapping)


def test_a_run_counts_created_and_updated_records_and_calls_the_hook(acme: Cxgap) -> None:
    hooked: list[str] = []
    watch = ImportProgress()
    first = run_feedback_import(
        acme,
        workspace_key="acme",
        source=TRUSTPILOT,
        name="t.csv",
        preset="trustpilot",
        watch=watch,
        after=lambda session, workspace: hooked.append(workspace.key),
    )
    assert first.refusal is None and hooked == ["acme"]
    assert (watch.rows_read, watch.records_stored, watch.problems) == (6, 6, 0)
    assert watch.share_done() == 1.0 and watch.rows_per_second() > 0
    second = run_feedback_import(
        acme, workspace_key="acme", source=TRUSTPILOT, name="t.csv", preset="trustpilot"
    )
    with acme.reading() as session:
        rows = {row.id: row for row in list_imports(session, get_workspace(session, "acme"))}
    assert (
        rows[first.import_id].report["records_created"],
        rows[first.import_id].report["records_updated"],
    ) == (6, 0)
    assert rows[second.import_id].report["records_updated"] == 6
    assert rows[second.import_id].report["records_created"] == 0


def test_a_refused_run_is_returned_recorded_and_skips_the_hook(acme: Cxgap) -> None:
    hooked: list[str] = []
    outcome = run_feedback_import(
        acme,
        workspace_key="acme",
        source=DATA / "trustpilot_broken.csv",
        name="broken.csv",
        spec=get_preset("trustpilot"),
        after=lambda session, workspace: hooked.append(workspace.key),
        max_problems=1_000,
    )
    assert outcome.refusal is not None and hooked == []
    assert "nothing was stored" in outcome.refusal.summary
    with acme.reading() as session:
        (row,) = list_imports(session, get_workspace(session, "acme"))
        assert (row.id, row.status, row.preset) == (outcome.import_id, "refused", "trustpilot")
        assert count_feedback(session, get_workspace(session, "acme")) == 0


def test_get_import_keeps_to_its_workspace(acme: Cxgap) -> None:
    outcome = run_feedback_import(
        acme, workspace_key="acme", source=TRUSTPILOT, name="t.csv", preset="trustpilot"
    )
    with acme.transaction() as session:
        other = make_workspace(session, key="other", name="Other")
        assert get_import(session, get_workspace(session, "acme"), outcome.import_id)
        with pytest.raises(NotFoundError):
            get_import(session, other, outcome.import_id)
