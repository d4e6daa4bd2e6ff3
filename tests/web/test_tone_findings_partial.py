"""templates/tone/_findings.html: the findings of a draft rendered without script, in French
and English, with every fault marked in the draft and nothing unescaped."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from cxgap.i18n import translate
from cxgap.tone.check import check_draft
from cxgap.tone.guidance import build_guidance
from cxgap.tone.model import Mood, ReplyContext, ToneProfile
from cxgap.tone.report import findings_view
from cxgap.web.render import make_templates

PARIS = ZoneInfo("Europe/Paris")
DRAFT = "Comme indiqué, <b>vous</b> auriez dû vérifier!! Réponse sous 48h."


def render(text: str, locale: str) -> str:
    context = ReplyContext(
        "chat",
        "fr",
        ToneProfile("vous"),
        Mood("negative", 0.9),
        due=datetime(2026, 12, 4, 14, 0, tzinfo=PARIS),
        now=datetime(2026, 12, 4, 10, 0, tzinfo=PARIS),
    )
    findings = check_draft(text, context)
    view = findings_view(text, findings, build_guidance(context), locale)
    template = make_templates().env.get_template("tone/_findings.html")
    return template.render(
        tone=view, t=partial(lambda loc, key, **p: translate(key, loc, **p), locale)
    )


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_findings_are_listed_and_marked_in_the_readers_language(locale: str) -> None:
    html = render(DRAFT, locale)
    assert translate("tone.findings.title", locale) in html
    assert html.count("data-code=") == html.count("<tr ") - 1  # one row per finding
    assert 'data-code="blame"' in html and 'data-code="promise_after_due"' in html
    assert "<mark" in html and "<script" not in html
    assert "&lt;b&gt;vous&lt;/b&gt;" in html  # the draft is text, never markup
    said = translate("tone.guidance.apology_first", locale)
    assert said.replace("'", "&#39;") in html


def test_a_clean_draft_says_so() -> None:
    html = render("Bonjour Léa, je suis désolé pour ce retard : votre colis est parti.", "fr")
    assert "Aucun problème de ton relevé." in html and "<mark" not in html
