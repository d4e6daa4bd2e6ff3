"""In a real browser, the Listening page shows a verbatim's masked contact details by name,
in French and in English, at desktop and phone width (the screenshots in
docs/screenshots/listening-masked-*.png were taken by this test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace

from cxgap.services.feedback_imports import run_feedback_import

pytestmark = pytest.mark.browser

SAID = (
    "Livraison en retard de trois jours. Rappelez-moi au 06 12 34 56 78 ou écrivez à "
    "marie.dupont@exemple.fr ; ma carte 4111 1111 1111 1111 a été débitée deux fois."
)


def test_masked_contact_details_read_in_both_languages(
    browser: object, live_server: LiveServer, tmp_path: Path, shots: Path
) -> None:
    cx = live_server.cx
    with cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="analyst")
    source = tmp_path / "notes.csv"
    source.write_text(
        f'source_id,source_type,collected_at,text\nN-1,complaint,2024-03-11T10:30:00+01:00,"{SAID}"\n',
        encoding="utf-8",
    )
    assert (
        run_feedback_import(cx, workspace_key="acme", source=source, name="n.csv").refusal is None
    )
    shown = {"fr": "[téléphone]", "en": "[phone]"}
    with logged_in_page(browser, live_server, "ana@example.com") as page:  # type: ignore[arg-type]
        for lang, token in shown.items():
            for width, suffix in ((1280, ""), (390, "-phone")):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(f"{live_server.url}/w/acme/listening?lang={lang}")
                text = page.locator(".verbatim-text").first.inner_text()
                assert token in text and "[e-mail]" in text and "06 12" not in text
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
                )
                assert not overflow, f"{lang} {width}px scrolls sideways"
                page.screenshot(
                    path=str(shots / f"listening-masked-{lang}{suffix}.png"), full_page=True
                )
