"""Rename modules whose names did not say what they hold, and every reference to them.

Issue 11, "names say what they hold": ``analytics/segments.py`` is about group results,
``services/imports.py`` imports survey answers, ``services/feedback.py`` imports feedback.
Run from the repository root (``python scripts/rename_modules.py``); it is idempotent, so it
can be run again after merging branches written against the old names: it ``git mv``s what
is still at an old path and rewrites dotted names, file paths and ``from package import
module`` bindings (with their ``module.attribute`` uses) in src/, tests/, bench/, scripts/
and the docs.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

# (package, old module, new module); tests mirror src, so their files follow.
RENAMES = (
    ("cxgap.analytics", "segments", "group_results"),
    ("cxgap.services", "imports", "survey_imports"),
    ("cxgap.services", "feedback", "feedback_imports"),
)
TEXT_ROOTS = ("src", "tests", "bench", "scripts", "docs")
TEXT_FILES = ("README.md", "Makefile", "pyproject.toml")
SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".txt", ".html", ".json", ".yml", ".yaml"}
SELF = Path(__file__).resolve()


def move_files(root: Path) -> None:
    for package, old, new in RENAMES:
        folder = package.replace(".", "/")
        sub = folder.removeprefix("cxgap/")
        pairs = (
            (root / "src" / folder / f"{old}.py", root / "src" / folder / f"{new}.py"),
            (root / "tests" / sub / f"test_{old}.py", root / "tests" / sub / f"test_{new}.py"),
        )
        for source, target in pairs:
            if source.exists() and not target.exists():
                subprocess.run(["git", "mv", str(source), str(target)], cwd=root, check=True)


def rewrite_text(text: str) -> str:
    """Dotted names and paths: ``cxgap.services.feedback``, ``services/feedback.py`` and the
    mirroring test module, ``tests.services.test_feedback``."""
    for package, old, new in RENAMES:
        dotted = re.escape(f"{package}.{old}")
        text = re.sub(rf"\b{dotted}(?![\w])", f"{package}.{new}", text)
        folder = package.removeprefix("cxgap.").replace(".", "/")
        text = re.sub(rf"(?<![\w/]){folder}/{old}\.py\b", f"{folder}/{new}.py", text)
        text = re.sub(rf"(?<![\w/])cxgap/{folder}/{old}\.py\b", f"cxgap/{folder}/{new}.py", text)
        text = re.sub(rf"\btests/{folder}/test_{old}\.py\b", f"tests/{folder}/test_{new}.py", text)
        tests = re.escape(f"tests.{folder.replace('/', '.')}.test_{old}")
        text = re.sub(rf"\b{tests}(?![\w])", f"tests.{folder.replace('/', '.')}.test_{new}", text)
    return text


def rewrite_bindings(source: str) -> str:
    """``from cxgap.services import feedback`` → ``feedback_imports``, and ``feedback.x`` uses."""
    tree = ast.parse(source)
    renamed: dict[str, str] = {}
    spans: list[tuple[int, int, int, str]] = []  # line, start col, end col, new text
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            for package, old, new in RENAMES:
                if node.module != package:
                    continue
                for alias in node.names:
                    if alias.name == old:
                        if alias.asname is None:
                            renamed[old] = new
                        line, col = _alias_position(source, node, old)
                        spans.append((line, col, col + len(old), new))
    if not renamed:
        return source
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in renamed
        ):
            name = node.value
            spans.append((name.lineno, name.col_offset, name.end_col_offset or 0, renamed[name.id]))
    lines = source.split("\n")
    for line, start, end, new in sorted(set(spans), reverse=True):
        text = lines[line - 1]
        lines[line - 1] = text[:start] + new + text[end:]
    return "\n".join(lines)


def _alias_position(source: str, node: ast.ImportFrom, name: str) -> tuple[int, int]:
    """Where ``name`` is written inside the import statement (aliases carry no position
    before Python 3.10's end positions, and never for the bare name)."""
    lines = source.split("\n")
    for number in range(node.lineno, (node.end_lineno or node.lineno) + 1):
        text = lines[number - 1]
        start = text.find("import") + 6 if number == node.lineno else 0
        match = re.search(rf"(?<![\w.]){name}(?![\w])", text[start:])
        if match:
            return number, start + match.start()
    raise ValueError(f"{name} not found in the import at line {node.lineno}")


def main(root: Path) -> None:
    move_files(root)
    paths = [root / name for name in TEXT_FILES if (root / name).is_file()]
    for folder in TEXT_ROOTS:
        paths += [p for p in (root / folder).rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    for path in paths:
        if path.resolve() == SELF:
            continue
        original = path.read_text(encoding="utf-8")
        text = rewrite_text(original)
        if path.suffix == ".py":
            text = rewrite_bindings(text)
        if text != original:
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {path.relative_to(root)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
