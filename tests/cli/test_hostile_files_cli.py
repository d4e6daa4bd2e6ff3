"""``cxgap import feedback`` given hostile files, in a real process: refused with exit code 2
and a message, no traceback, in bounded memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from tests.factories import make_workspace
from tests.hostile_files import MB, nested_json, shared_string_bomb

# The command in a child process that reports its own peak memory (ru_maxrss, KiB on Linux)
# on its last line of stderr, whatever way it exits.
_MEASURED = """
import atexit, resource, sys
atexit.register(lambda: print(f"maxrss={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}",
                              file=sys.stderr))
from cxgap.cli.main import app
sys.argv = ["cxgap", *sys.argv[1:]]
app()
"""


@pytest.fixture
def url(sqlite_cx: Cxgap) -> str:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    return sqlite_cx.settings.database_url


def cxgap(url: str, file: Path, tmp_path: Path, lang: str = "en") -> tuple[int, str, int]:
    """Exit code, stderr and peak memory (bytes) of ``cxgap import feedback FILE``."""
    env = os.environ | {"CXGAP_DATA_DIR": str(tmp_path), "CXGAP_LOCALE": lang}
    args = ["import", "feedback", str(file), "-w", "acme", "--database-url", url]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        capture_output=True, text=True, timeout=120, check=False, env=env, cwd=tmp_path,
    )  # fmt: skip
    *lines, last = done.stderr.rstrip().splitlines()
    assert last.startswith("maxrss="), done.stderr
    return done.returncode, "\n".join(lines), int(last.removeprefix("maxrss=")) * 1024


def test_a_zip_bomb_is_refused_in_bounded_memory(url: str, tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    small.write_text("collected_at,text\n2024-03-01,fine\n", encoding="utf-8")
    _, _, baseline = cxgap(url, small, tmp_path)  # what the command takes anyway
    bomb = shared_string_bomb(tmp_path / "bomb.xlsx", 160)
    code, err, peak = cxgap(url, bomb, tmp_path)
    assert code == 2, err
    assert "as a zip bomb does" in err and "bomb.xlsx" in err
    assert "Traceback" not in err
    assert peak - baseline < 60 * MB  # the bomb unpacks to 160 MB: it never did


def test_json_nested_200000_levels_exits_2_without_a_traceback(url: str, tmp_path: Path) -> None:
    deep = nested_json(tmp_path / "deep.json", 200_000)
    code, err, _ = cxgap(url, deep, tmp_path)
    assert code == 2, err
    assert "Traceback" not in err and "RecursionError" not in err
    assert "deep.json" in err and "more than 64 levels deep" in err


def test_json_nested_200000_levels_is_refused_in_french(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal in French, the command run in this process (a child process costs
    5 CPU s of imports; the test above runs the real one)."""
    deep = nested_json(tmp_path / "deep.json", 200_000)
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    args = ["import", "feedback", str(deep), "-w", "acme", "--database-url", url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, RecursionError)
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    assert "deep.json" in result.stderr and "sur plus de 64 niveaux" in result.stderr
