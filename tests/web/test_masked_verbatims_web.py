"""A masked contact detail is named in the reader's language on the Listening page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from tests.factories import make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import log_in


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("fr", "Rappelez-moi au [téléphone] ou [e-mail]"),
        ("en", "Rappelez-moi au [phone] ou [e-mail]"),
    ],
)
def test_masks_are_named_in_the_readers_language(
    sqlite_cx: Cxgap, tmp_path: Path, lang: str, shown: str
) -> None:
    with sqlite_cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="viewer")
    source = tmp_path / "notes.csv"
    source.write_text(
        "source_id,source_type,collected_at,text\n"
        "N-1,complaint,2024-03-11T10:30:00+01:00,Rappelez-moi au 06 12 34 56 78 ou a@b.fr\n",
        encoding="utf-8",
    )
    outcome = run_feedback_import(sqlite_cx, workspace_key="acme", source=source, name="n.csv")
    assert outcome.refusal is None
    with TestClient(app_for(sqlite_cx)) as client:
        log_in(client, "ana@example.com")
        html = client.get(f"/w/acme/listening?lang={lang}").text
    assert shown in html
    assert "06 12 34 56 78" not in html
