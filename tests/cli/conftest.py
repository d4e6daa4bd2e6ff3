"""CLI commands run with their data dir in the test's folder: pseudonymising (the default)
reads or creates the secret key there, never in the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def data_dir_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXGAP_DATA_DIR", str(tmp_path / "cli-data"))
