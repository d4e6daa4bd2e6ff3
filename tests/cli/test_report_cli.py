"""``cxgap report executive`` on the demo, on SQLite and PostgreSQL (the contract of issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pypdfium2
import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from tests.prepared import Prepared

runner = CliRunner()


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _demo(cx: Cxgap) -> None:
    code, _, _ = cxgap("demo", "--customers", "20", "--database-url", cx.settings.database_url)
    assert code == 0


@pytest.fixture
def url(cx: Cxgap, prepared: Prepared) -> str:
    prepared.prepare(cx, "cli-demo-20", _demo)
    return cx.settings.database_url


def _report(url: str, out: Path, period: str) -> dict[str, Any]:
    code, _, stderr = cxgap(
        "report", "executive", "--workspace", "demo", "--period", period,
        "--format", "json", "--output", str(out), "--database-url", url,
    )  # fmt: skip
    assert code == 0, stderr
    return cast(dict[str, Any], json.loads(out.read_text()))


def test_json_has_the_three_gaps_per_pillar(url: str, tmp_path: Path) -> None:
    data = _report(url, tmp_path / "r.json", "2026-Q3")
    assert data["period"] == {"label": "2026-Q3", "first": "2026-07-01", "last": "2026-09-30"}
    assert data["previous_period"]["label"] == "2026-Q2"
    assert len(data["gaps"]) == 10
    for gap in data["gaps"]:
        assert {"knowledge", "desire", "action"} <= gap.keys()
    # The demo's three actions: the action gap of their pillars is an object, not null.
    action = {g["pillar"]: g["action"] for g in data["gaps"]}
    for pillar in ("friction", "communication", "service"):
        assert set(action[pillar]) == {"kind", "subject", "actions", "late", "moved", "status"}
        assert action[pillar]["subject"] == pillar and action[pillar]["actions"] == 1
    assert set(data["headlines"]) == {"nps", "csat", "ces", "volume", "negative"}


def test_a_past_period_shows_the_action_gap_as_it_stood_then(url: str, tmp_path: Path) -> None:
    """The demo's plan (services/action_demo.py): the call-backs planned on 14 September,
    started on 1 October, due on 6 November and still in progress; the payment e-mails done
    on 25 September, the delivery partner on 27 October. Each report reads the plan as it
    stood at its period's end, and the metrics up to that day."""

    def action(period: str) -> dict[str, Any]:
        data = _report(url, tmp_path / f"{period}.json", period)
        return {g["pillar"]: g["action"] for g in data["gaps"]}

    q2, q3, november = action("2026-Q2"), action("2026-Q3"), action("2026-11")
    for pillar in ("friction", "communication", "service"):  # nothing planned before August
        assert q2[pillar] is None or q2[pillar]["actions"] == 0
    # End of September: the call-backs not started, not late; a single month after the
    # other two started: nothing measurable yet.
    assert q3["service"] | {"subject": None} == {
        "kind": "pillar", "subject": None, "actions": 1, "late": 0, "moved": "not_started",
        "status": "waiting",
    }  # fmt: skip
    assert q3["friction"]["moved"] == q3["communication"]["moved"] == "not_enough_data"
    assert q3["friction"]["status"] == "waiting"
    # End of November: the call-backs late; the delivery partner's effect measured.
    assert november["service"]["late"] == 1 and november["service"]["status"] == "late"
    assert november["friction"]["moved"] != "not_enough_data"
    assert november["communication"]["late"] == 0


def test_pdf_has_contents_an_outline_and_selectable_text(url: str, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    code, _, stderr = cxgap(
        "report", "executive", "-w", "demo", "--lang", "fr", "--period", "2026-Q3",
        "--format", "pdf", "--paper", "a4", "--output", str(out), "--database-url", url,
    )  # fmt: skip
    assert code == 0, stderr
    pdf = pypdfium2.PdfDocument(str(out))
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    titles = [item.get_title() for item in pdf.get_toc()]
    assert titles[:3] == ["Chiffres clés", "Les trois écarts", "Piliers prioritaires"]
    first_page = pdf[0].get_textpage().get_text_range()
    assert "Sommaire" in first_page and "Les trois écarts" in first_page
    gaps_text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Écart de connaissance" in gaps_text


def test_letter_paper_and_a_bad_period_refused(url: str, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    code, _, _ = cxgap(
        "report", "executive", "-w", "demo", "--format", "pdf", "--paper", "letter",
        "--period", "2026-11", "--output", str(out), "--database-url", url,
    )  # fmt: skip
    assert code == 0
    width, height = pypdfium2.PdfDocument(str(out))[0].get_size()
    assert (round(width), round(height)) == (612, 792)
    code, _, stderr = cxgap(
        "report", "executive", "-w", "demo", "--format", "json", "--period", "last-month",
        "--output", str(tmp_path / "x.json"), "--database-url", url,
    )  # fmt: skip
    assert code == 2 and "last-month" in stderr
    assert not (tmp_path / "x.json").exists()
