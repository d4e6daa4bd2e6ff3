"""Settings are read in one place: every ``CXGAP_*`` variable is declared, documented, and read
through ``cxgap.config`` (STYLE.md, datasette's "settings declared as data")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cxgap.config import setting_value
from cxgap.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "cxgap"
# Until the lead moves the queue's settings into config.py, jobs/ keeps its own table and reader.
READERS = ("config.py",)
NAME = re.compile(r"\bCXGAP_[A-Z0-9_]+\b(?!\*)")  # CXGAP_OIDC_* names a family, not a variable
ENV_CALLS = {"getenv", "get", "setdefault", "pop"}


def declared_settings(src: Path = SRC) -> set[str]:
    """The names of every ``Setting(...)`` in a module-level ``SETTINGS`` tuple under ``src``."""
    names: set[str] = set()
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "SETTINGS" not in text:
            continue
        for node in ast.parse(text).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            if not any(isinstance(t, ast.Name) and t.id == "SETTINGS" for t in targets):
                continue
            value = node.value
            for call in ast.walk(value) if value is not None else ():
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id == "Setting"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    names.add(str(call.args[0].value))
    return names


def named_in(root: Path) -> dict[str, set[str]]:
    """Every ``CXGAP_*`` name in the text files under ``root`` -> the files naming it."""
    found: dict[str, set[str]] = {}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # weights, images
        for name in NAME.findall(text):
            found.setdefault(name, set()).add(str(path.relative_to(root)))
    return found


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _reads_cxgap(arg: ast.expr | None) -> bool:
    """A read of a CXGAP_ variable, or of a name computed at run time (which could be one)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value.startswith("CXGAP_")
    return True


def environment_reads(path: Path) -> list[str]:
    """``os.environ[...]``, ``os.environ.get(...)``, ``os.getenv(...)`` of a CXGAP_ name."""
    offences: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        arg: ast.expr | None = None
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            arg = node.slice
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ENV_CALLS:
                if func.attr == "getenv" or _is_environ(func.value):
                    arg = node.args[0]
            elif isinstance(func, ast.Name) and func.id == "getenv":
                arg = node.args[0]
        if arg is not None and _reads_cxgap(arg):
            offences.append(f"line {node.lineno}: {ast.unparse(node)}")
    return offences


def test_every_cxgap_variable_is_declared() -> None:
    undeclared = {
        name: sorted(files)
        for name, files in named_in(SRC).items()
        if name not in declared_settings()
    }
    assert undeclared == {}


def documented_settings(root: Path = ROOT) -> set[str]:
    """The names in the first cell of a table row of README.md or docs/*.md: a default and a
    meaning written down, not a passing mention."""
    docs = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    return {
        name
        for path in docs
        if path.is_file()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("|")
        for name in NAME.findall(line.split("|")[1])
    }


def test_every_declared_setting_is_documented() -> None:
    assert sorted(declared_settings() - documented_settings()) == []


def test_only_config_reads_cxgap_variables_from_the_environment() -> None:
    offences = {
        str(path.relative_to(SRC)): reads
        for path in sorted(SRC.rglob("*.py"))
        if not str(path.relative_to(SRC)).startswith(READERS) and (reads := environment_reads(path))
    }
    assert offences == {}


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text('SETTINGS = (Setting("CXGAP_A", None, "a"),)\n')
    reader = tmp_path / "reader.py"
    reader.write_text(
        "import os\nfrom os import environ, getenv\n"
        'a = os.environ.get("CXGAP_B")\nb = os.environ["CXGAP_C"]\nc = getenv("CXGAP_D")\n'
        'd = environ.get(name)\ne = os.environ.get("HOME")\nf = "CXGAP_OIDC_*"\n'
    )
    assert declared_settings(tmp_path) == {"CXGAP_A"}
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("CXGAP_B\n| `CXGAP_A` | 1 |\n| x | `CXGAP_C` |\n")
    assert documented_settings(tmp_path) == {"CXGAP_A"}
    assert set(named_in(tmp_path)) == {"CXGAP_A", "CXGAP_B", "CXGAP_C", "CXGAP_D"}
    assert [r.split(":")[0] for r in environment_reads(reader)] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
    ]


def test_a_setting_is_read_from_the_environment_else_its_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CXGAP_ADMIN_EMAIL", raising=False)
    assert setting_value("CXGAP_ADMIN_EMAIL") == "admin@example.com"
    monkeypatch.setenv("CXGAP_ADMIN_EMAIL", "cx@example.org")
    assert setting_value("CXGAP_ADMIN_EMAIL") == "cx@example.org"


def test_an_undeclared_setting_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="CXGAP_NOT_A_SETTING is not a declared setting"):
        setting_value("CXGAP_NOT_A_SETTING")
