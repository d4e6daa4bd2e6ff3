"""The layering of docs/architecture.md, checked on every module's imports (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cxgap"

# Pure packages: no storage, no web, no CLI, and none of the layers above them.
PURE = (
    "sqlalchemy",
    "fastapi",
    "typer",
    "starlette",
    "cxgap.db",
    "cxgap.services",
    "cxgap.web",
    "cxgap.cli",
)
# package -> prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    **{
        package: PURE
        for package in ("analytics", "ingest", "demo", "reporting", "text", "journeys")
    },
    # Outgoing e-mail: settings, messages and SMTP only; the services own the data.
    "mail": PURE,
    # Single sign-on protocol code: settings and HTTP only; services.sso owns the accounts.
    "sso": PURE,
    "db": ("cxgap.services", "cxgap.web", "cxgap.cli", "fastapi", "typer"),
    "services": ("cxgap.web", "cxgap.cli", "cxgap.jobs", "fastapi", "typer"),
    # The task queue calls services; the front ends call it.
    "jobs": ("cxgap.web", "cxgap.cli", "fastapi", "typer", "starlette"),
    "web": ("cxgap.cli", "cxgap.db.queries"),
    "cli": ("cxgap.web.routes", "cxgap.db.queries", "fastapi"),
}
TOP_LEVEL_LIGHT = ("errors.py", "config.py", "schema.py", "pillars.py")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layers_only_import_downwards(package: str) -> None:
    offences = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in modules(package)
        for name in imports_of(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package])
    ]
    assert offences == []


def test_routes_and_commands_write_no_sql() -> None:
    offences = [
        f"{path.relative_to(SRC)} imports {name}"
        for package in ("web", "cli")
        for path in modules(package)
        for name in imports_of(path)
        if name in {"sqlalchemy", "sqlalchemy.sql"} or name.startswith("sqlalchemy.sql.")
    ]
    assert offences == []


@pytest.mark.parametrize("name", TOP_LEVEL_LIGHT)
def test_core_modules_import_nothing_heavy(name: str) -> None:
    heavy = {"sqlalchemy", "fastapi", "typer", "numpy", "scipy", "jinja2"}
    assert {n.split(".")[0] for n in imports_of(SRC / name)} & heavy == set()


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from sqlalchemy import select\nimport fastapi\n")
    assert imports_of(sample) == {"sqlalchemy", "fastapi"}
