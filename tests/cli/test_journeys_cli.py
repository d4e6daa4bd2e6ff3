"""The command-line contract of the journeys issue, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from cxgap.services.journeys import count_journey_rows
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
    """What `cxgap demo --customers 20` writes, run once per session and copied."""
    prepared.prepare(cx, "cli-demo-20", _demo)
    return cx.settings.database_url


def test_list_shows_journey_keys(url: str) -> None:
    code, out, _ = cxgap("journey", "list", "--workspace", "demo", "--database-url", url)
    assert code == 0
    keys = [line.split("\t")[0] for line in out.splitlines()]
    assert "claire-current" in keys and "claire-target" in keys and len(keys) == 8


def test_export_json_has_the_contract_keys(url: str, tmp_path: Path) -> None:
    target = tmp_path / "j.json"
    code, _, err = cxgap(
        "journey", "export", "--workspace", "demo", "--journey", "hugo-current",
        "--format", "json", "--output", str(target), "--database-url", url,
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["persona"]["key"] == "hugo"
    stage = doc["stages"][0]
    assert {"key", "name", "phase", "touchpoints"} <= set(stage)
    tp = stage["touchpoints"][0]
    assert {"key", "name", "channel", "digital", "moment_of_truth", "declared_criticality"} <= set(
        tp
    )
    assert set(tp["measured"]) >= {
        "feedback_count", "sentiment_mean", "nps", "measured_criticality", "top_irritants"
    }  # fmt: skip


def test_export_svg_writes_a_map(url: str, tmp_path: Path) -> None:
    target = tmp_path / "map.svg"
    code, _, err = cxgap(
        "journey", "export", "-w", "demo", "--journey", "nadia-target", "--format", "svg",
        "--locale", "fr", "--output", str(target), "--database-url", url,
    )  # fmt: skip
    assert code == 0, err
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    assert len(root.findall(".//{http://www.w3.org/2000/svg}g[@class='touchpoint']")) == 14


@pytest.mark.parametrize("format_", ["png", "pdf"])
def test_png_and_pdf_exports_are_real_files(url: str, tmp_path: Path, format_: str) -> None:
    target = tmp_path / f"map.{format_}"
    code, _, err = cxgap(
        "journey", "export", "-w", "demo", "--journey", "nadia-target", "--format", format_,
        "--locale", "fr", "--persona", "nadia", "--output", str(target), "--database-url", url,
    )  # fmt: skip
    assert code == 0, err
    data = target.read_bytes()
    if format_ == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
        width = int.from_bytes(data[16:20], "big")
        assert width == 150 + 14 * 150 + 16  # lane labels, one column per touchpoint, margin
    else:
        assert data.startswith(b"%PDF-")


def test_the_pdf_paper_is_chosen_by_option(url: str, tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    target = tmp_path / "map.pdf"
    code, _, err = cxgap(
        "journey", "export", "-w", "demo", "--journey", "nadia-target", "--format", "pdf",
        "--locale", "fr", "--paper", "letter", "--output", str(target), "--database-url", url,
    )  # fmt: skip
    assert code == 0, err
    document = pdfium.PdfDocument(target.read_bytes())
    sizes = {tuple(round(x) for x in page.get_size()) for page in document}
    document.close()
    assert sizes == {(792, 612)}  # Letter landscape, though French defaults to A4


def test_unknown_persona_is_refused(url: str, tmp_path: Path) -> None:
    code, _, err = cxgap(
        "journey", "export", "-w", "demo", "--journey", "nadia-target", "--persona", "zoe",
        "--output", str(tmp_path / "x.json"), "--database-url", url,
    )  # fmt: skip
    assert code == 2 and "zoe" in err
    assert not (tmp_path / "x.json").exists()


def test_import_round_trip_and_malformed_file(cx: Cxgap, url: str, tmp_path: Path) -> None:
    exported = tmp_path / "j.json"
    cxgap(
        "journey", "export", "-w", "demo", "--journey", "marc-target",
        "--output", str(exported), "--database-url", url,
    )  # fmt: skip
    cxgap("workspace", "create", "copy", "Copy", "--database-url", url)
    code, _, err = cxgap("journey", "import", "-w", "copy", str(exported), "--database-url", url)
    assert code == 0, err
    again = tmp_path / "again.json"
    cxgap(
        "journey", "export", "-w", "copy", "--journey", "marc-target",
        "--output", str(again), "--database-url", url,
    )  # fmt: skip
    first, second = json.loads(exported.read_text()), json.loads(again.read_text())
    # The demo's feedback measures its journey; the copy has no feedback: only "measured"
    # (recomputed in each workspace, never imported) differs.
    assert _measures(first) and not any(m["feedback_count"] for m in _measures(second))
    assert _without_measures(second) == _without_measures(first)

    doc = json.loads(exported.read_text())
    doc["key"] = "broken"
    doc["stages"][2]["touchpoints"][0]["channel"] = "carrier-pigeon"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with cx.reading() as session:
        before = count_journey_rows(session)
    code, _, err = cxgap("journey", "import", "-w", "copy", str(bad), "--database-url", url)
    assert code == 2
    assert "$.stages[2].touchpoints[0].channel" in err
    with cx.reading() as session:
        assert count_journey_rows(session) == before


def test_import_of_invalid_json_exits_2(url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = cxgap("journey", "import", "-w", "demo", str(bad), "--database-url", url)
    assert code == 2 and "not valid JSON" in err


def test_segment_rules_are_listed_set_and_refused_with_the_position(url: str) -> None:
    code, out, _ = cxgap("journey", "segments", "-w", "demo", "--database-url", url)
    assert code == 0 and 'pro_buyer\tsegment = "pro_buyer" or' in out
    code, out, err = cxgap(
        "journey", "segment-rule", "-w", "demo", "--segment", "busy_family",
        'generation = "Gen Y" and nps >= 9', "--database-url", url,
    )  # fmt: skip
    assert code == 0, err
    code, _, err = cxgap(
        "journey", "segment-rule", "-w", "demo", "-s", "busy_family", "nps >= high",
        "--database-url", url,
    )  # fmt: skip
    assert code == 2 and "position 8" in err and "'high'" in err
    code, out, _ = cxgap("journey", "segments", "-w", "demo", "--database-url", url)
    assert 'busy_family\tgeneration = "Gen Y" and nps >= 9' in out


def test_segment_rule_no_wait_queues_it_and_the_next_call_applies_it(url: str) -> None:
    rule = 'generation = "Gen Y" and nps >= 9'
    args = ("journey", "segment-rule", "-w", "demo", "-s", "busy_family", rule)
    code, out, err = cxgap(*args, "--no-wait", "--database-url", url)
    assert code == 0, err
    assert "Segment busy_family: " + rule in out and "queued as job" in out
    code, out, _ = cxgap("journey", "segments", "-w", "demo", "--database-url", url)
    assert f"busy_family\t{rule}" not in out  # the previous rule stays in use
    code, out, err = cxgap(*args, "--database-url", url)  # the same rule: runs that job
    assert code == 0, err
    assert out.strip() == f"Segment busy_family: {rule}" and "step" in err
    code, out, _ = cxgap("journey", "segments", "-w", "demo", "--database-url", url)
    assert f"busy_family\t{rule}" in out


def _measures(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        tp["measured"]
        for s in doc["stages"]
        for tp in s["touchpoints"]
        if tp["measured"]["feedback_count"]
    ]


def _without_measures(doc: dict[str, Any]) -> dict[str, Any]:
    for stage in doc["stages"]:
        for tp in stage["touchpoints"]:
            tp.pop("measured")
    return doc
