"""Lazy imports of the optional text libraries, failing once with an install hint."""

from __future__ import annotations

import importlib
from types import ModuleType

from cxgap.errors import ConfigError

INSTALL_HINT = "pip install 'cxgap[text]'"


class MissingTextDependencyError(ConfigError):
    """An optional text library is not installed."""


def require(module: str, *, purpose: str, hint: str = INSTALL_HINT) -> ModuleType:
    """Import ``module`` now, or explain which install brings it.

    >>> require("json", purpose="tests").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingTextDependencyError(
            f"{purpose} needs the Python module {module!r}, which is not installed: {hint}"
        ) from error
