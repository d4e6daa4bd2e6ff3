"""The layering of docs/architecture.md, checked on every module's imports (STYLE.md)."""

from __future__ import annotations

import ast
import builtins
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
        for package in (
            "analytics",
            "ingest",
            "demo",
            "reporting",
            "text",
            "journeys",
            "impact",
            "sla",
            "tickets",
            "tone",
            "integrity",
            "clv",
            "paths",
            "retention",
        )
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


def test_the_web_uses_the_jobs_package_not_its_internals() -> None:
    """The front end queues and reads jobs through ``cxgap.jobs``'s exports: claims, leases and
    runners are the workers' business."""
    offences = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in modules("web")
        for name in imports_of(path)
        if name.startswith("cxgap.jobs.")
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


# --- start-up cost -----------------------------------------------------------------------

# Imported inside the functions that use them: every `cxgap` command and every web process
# would otherwise pay for them at start-up (scipy.stats: 0.6-1.2 CPU s, docs/performance.md).
LAZY = ("scipy",)


def module_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_heavy_libraries_are_imported_by_the_functions_that_use_them() -> None:
    offences = [
        f"{path.relative_to(SRC)} imports {name} at module level"
        for path in sorted(SRC.rglob("*.py"))
        for name in module_level_imports(path)
        if name.split(".")[0] in LAZY
    ]
    assert offences == []


def test_the_start_up_checker_tells_module_level_from_function_level(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from scipy import stats\n\n\ndef f():\n    import scipy.special\n")
    assert module_level_imports(sample) == {"scipy"}


# --- relative imports ---------------------------------------------------------------------


def relative_imports(path: Path) -> list[str]:
    """``from . import x`` and ``from ..y import z``: an absolute name says where it comes from,
    and the layering checks above only see absolute ones."""
    return [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]


def test_no_relative_imports() -> None:
    offences = {
        str(path.relative_to(SRC)): found
        for path in sorted(SRC.rglob("*.py"))
        if (found := relative_imports(path))
    }
    assert offences == {}


# --- exceptions live in errors.py ---------------------------------------------------------

# The job model is the lead's to move (issue 11): jobs/ keeps its two errors until then.
EXCEPTIONS_ALLOWED_IN = ("errors.py",)


def exception_classes(root: Path) -> list[tuple[str, str]]:
    """(module, class) of every class deriving, through any chain of bases, from a built-in
    exception or from another such class defined under ``root``."""
    builtin = {
        name
        for name in dir(builtins)
        if isinstance(getattr(builtins, name), type)
        and issubclass(getattr(builtins, name), BaseException)
    }
    classes = [
        (str(path.relative_to(root)), node.name, {_base_name(b) for b in node.bases})
        for path in sorted(root.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    ]
    errors, grown = set(builtin), True
    while grown:
        before = len(errors)
        errors |= {name for _, name, bases in classes if bases & errors}
        grown = len(errors) > before
    return [(module, name) for module, name, _ in classes if name in errors]


def _base_name(base: ast.expr) -> str:
    if isinstance(base, ast.Attribute):
        return base.attr
    return base.id if isinstance(base, ast.Name) else ""


def test_every_exception_class_lives_in_errors_py() -> None:
    offences = [
        f"{module}: {name}"
        for module, name in exception_classes(SRC)
        if not module.startswith(EXCEPTIONS_ALLOWED_IN)
    ]
    assert offences == []


# --- module size --------------------------------------------------------------------------

MAX_LINES = 400
# Modules over the limit today, each held at its size: shrink them, never grow them, and take
# a module off the list once it fits.
OVERSIZE = {
    "web/routes/public.py": 498,
    "services/survey_mailing.py": 479,
    "analytics/segment_rules.py": 457,
    "text/taxonomy.py": 426,
    "services/feedback_imports.py": 420,
}


def line_counts(root: Path) -> dict[str, int]:
    return {
        str(path.relative_to(root)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(root.rglob("*.py"))
    }


def test_modules_stay_small() -> None:
    counts = line_counts(SRC)
    too_long = {
        module: lines for module, lines in counts.items() if lines > OVERSIZE.get(module, MAX_LINES)
    }
    assert too_long == {}, f"split these (STYLE.md: a module before ~{MAX_LINES} lines)"


def test_the_oversize_list_only_shrinks() -> None:
    counts = line_counts(SRC)
    stale = {m: counts.get(m) for m in OVERSIZE if counts.get(m, 0) <= MAX_LINES}
    assert stale == {}, "these fit now (or are gone): take them off OVERSIZE"


def test_the_checkers_see_what_they_look_for(tmp_path: Path) -> None:
    (tmp_path / "errors.py").write_text("class CxgapError(Exception): ...\n")
    (tmp_path / "other.py").write_text(
        "from . import errors\nfrom cxgap import errors as e\n"
        "class Refused(e.CxgapError): ...\nclass Worse(Refused): ...\n"
        "class Plain: ...\nclass Bad(ValueError): ...\n" + "\n" * MAX_LINES
    )
    assert relative_imports(tmp_path / "other.py") == ["line 1: from . import errors"]
    assert sorted(exception_classes(tmp_path)) == [
        ("errors.py", "CxgapError"),
        ("other.py", "Bad"),
        ("other.py", "Refused"),
        ("other.py", "Worse"),
    ]
    assert line_counts(tmp_path)["other.py"] > MAX_LINES
