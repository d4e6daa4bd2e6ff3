"""``cxgap export feedback``, the contract command: the export re-imports as it is, on SQLite
and PostgreSQL, in every format, with no import option."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import Feedback, TextEnrichment
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import enrich
from tests.factories import make_workspace

SOURCE = Path(__file__).resolve().parents[1] / "data" / "export" / "feedback.csv"
runner = CliRunner()


def cxgap(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--database-url", url])
    return result.exit_code, result.stdout, result.stderr


def records(cx: Cxgap, key: str) -> list[tuple[object, ...]]:
    """Everything a record holds, in a stable order (ids and import links aside)."""
    with cx.reading() as session:
        workspace = get_workspace(session, key)
        rows = session.scalars(
            select(Feedback)
            .where(Feedback.workspace_id == workspace.id)
            .order_by(Feedback.source_type, Feedback.source_id)
        )
        return [
            (
                r.source_type, r.source_id, r.channel, r.collected_at, r.text, r.nps, r.csat,
                r.ces, r.stars, r.customer_ref, r.touchpoint, r.language_hint, r.attributes,
                r.question, r.text_hash,
            )
            for r in rows
        ]  # fmt: skip


@pytest.fixture
def url(cx: Cxgap) -> str:
    """Workspace ``acme`` with the source file imported, a survey question on one record and
    an enrichment on another; ``copy`` empty."""
    with cx.transaction() as session:
        make_workspace(session)
        make_workspace(session, "copy", "Copy")
    code, _, err = cxgap(cx.settings.database_url, "import", "feedback", str(SOURCE), "-w", "acme")
    assert code == 0, err
    with cx.transaction() as session:
        first = session.scalars(select(Feedback).where(Feedback.source_id == "S-1")).one()
        first.question = "Qu'est-ce qui vous a plu ?\n(une ligne de plus)"
        acme = get_workspace(session, "acme")
        enrich(session, acme, first.text_hash, 0.8, None, [("delivery", 0.8)])
    return cx.settings.database_url


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_export_reimports_as_the_same_records(
    cx: Cxgap, url: str, tmp_path: Path, fmt: str
) -> None:
    exported = tmp_path / f"feedback.{fmt}"
    code, _, err = cxgap(
        url, "export", "feedback", "-w", "acme", "--format", fmt, "--output", str(exported)
    )
    assert code == 0, err
    assert "Wrote 6 feedback records" in err
    code, out, err = cxgap(url, "import", "feedback", str(exported), "--workspace", "copy")
    assert code == 0, err
    assert "Layout detected: cxgap" in err
    assert "Stored 6 records from 6 rows" in out
    assert records(cx, "copy") == records(cx, "acme")
    assert len(records(cx, "acme")) == 6
    questions = [r[-2] for r in records(cx, "copy")]
    assert questions.count("Qu'est-ce qui vous a plu ?\n(une ligne de plus)") == 1
    assert questions.count(None) == 5


def test_csv_and_json_go_to_stdout(cx: Cxgap, url: str) -> None:
    code, out, err = cxgap(url, "export", "feedback", "-w", "acme", "--format", "json")
    assert code == 0, err
    items = json.loads(out)
    assert [item["source_id"] for item in items] == ["S-1", "S-2", "R-1", "T-1", "C-1", "S-3"]
    first = items[0]
    assert first["question"] == "Qu'est-ce qui vous a plu ?\n(une ligne de plus)"
    assert first["collected_at"] == "2026-03-01T09:15:30+00:00"
    enrichment = (first["sentiment"], first["sentiment_score"], first["topics"])
    assert enrichment == ("positive", 0.8, ["delivery"])
    assert items[1]["sentiment"] is None and items[1]["topics"] == []
    code, out, err = cxgap(url, "export", "feedback", "-w", "acme", "--format", "csv")
    assert code == 0, err
    assert out.startswith("\ufefftext,question,collected_at,source_type,")
    assert ",en,positive,0.8,delivery\n" in out.replace("\r\n", "\n")


def test_a_bad_format_or_workspace_is_refused(cx: Cxgap, url: str) -> None:
    code, _, err = cxgap(url, "export", "feedback", "-w", "acme", "--format", "pdf")
    assert code == 2
    assert "'pdf' is not one of" in err
    code, _, err = cxgap(url, "export", "feedback", "-w", "nope", "--format", "csv")
    assert code == 2
    assert "nope" in err


def test_xlsx_is_not_written_to_a_terminal(cx: Cxgap, url: str, tmp_path: Path) -> None:
    """A real pseudo-terminal as stdout: the workbook is refused with a hint, exit code 2."""
    main, follower = pty.openpty()
    command = "from cxgap.cli.main import main; main()"
    args = ["export", "feedback", "-w", "acme", "--format", "xlsx", "--database-url", url]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", command, *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    os.close(follower)
    os.close(main)
    assert done.returncode == 2
    assert b"give --output PATH" in done.stderr


def test_a_french_workspace_csv_reimports_too(cx: Cxgap, url: str, tmp_path: Path) -> None:
    with cx.transaction() as session:
        session.execute(update(TextEnrichment).values(language="fr"))
    exported = tmp_path / "retours.csv"
    code, _, err = cxgap(url, "export", "feedback", "-w", "acme", "-f", "csv", "-o", str(exported))
    assert code == 0, err
    assert exported.read_bytes().startswith("\ufefftext;question;".encode())
    code, _, err = cxgap(url, "import", "feedback", str(exported), "--workspace", "copy")
    assert code == 0, err
    assert records(cx, "copy") == records(cx, "acme")
