"""The demo in one language: texts a workspace keeps in one language are written in the
language the demo is created in (``cxgap demo --language``); names stay bilingual."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import JourneyTouchpointRow, PersonaRow, Topic
from cxgap.demo.journeys import demo_journeys
from cxgap.demo.personas import demo_personas
from cxgap.demo.topics import FRENCH_DESCRIPTIONS
from cxgap.services.core import Cxgap
from cxgap.text.taxonomy import DEFAULT_TAXONOMY


def test_every_persona_text_and_default_topic_has_a_french_version() -> None:
    english, french = demo_personas("en"), demo_personas("fr")
    for en, fr in zip(english, french, strict=True):
        assert en.key == fr.key and en.quote == fr.quote  # the customer's own words
        for field in ("needs", "usages", "behaviours"):
            pairs = list(zip(getattr(en, field), getattr(fr, field), strict=True))
            assert pairs and all(a != b for a, b in pairs), (en.key, field)
    assert set(FRENCH_DESCRIPTIONS) == {topic.key for topic in DEFAULT_TAXONOMY}
    goals = {tp.goal for j in demo_journeys("fr") for tp in j.touchpoints}
    assert "Payer en confiance" in goals and "Pay safely" not in goals


@pytest.mark.parametrize(
    ("language", "need", "goal", "description"),
    [
        ("en", "Sturdy, washable furniture", "Pay safely", "Getting the order to the customer"),
        ("fr", "Des meubles solides et lavables", "Payer en confiance", "Faire arriver la"),
    ],
)
def test_cxgap_demo_language_writes_the_texts_in_that_language(
    cx: Cxgap, language: str, need: str, goal: str, description: str
) -> None:
    url = cx.settings.database_url
    args = ["demo", "--no-enrich", "--customers", "20", "--language", language]
    result = CliRunner().invoke(app, [*args, "--database-url", url])
    assert result.exit_code == 0, result.stdout
    with cx.reading() as session:
        claire = session.scalar(select(PersonaRow).where(PersonaRow.key == "claire"))
        assert claire is not None and claire.needs[0] == need
        goals = set(session.scalars(select(JourneyTouchpointRow.goal)))
        assert goal in goals
        topics = {t.key: t for t in session.scalars(select(Topic))}
        if language == "fr":  # English workspaces seed their taxonomy on first use
            assert topics["delivery"].description.startswith(description)
            assert topics["delivery"].name_en == "Delivery"  # names stay bilingual
        else:
            assert not topics


def test_an_unknown_demo_language_is_refused(cx: Cxgap) -> None:
    url = cx.settings.database_url
    result = CliRunner().invoke(
        app, ["demo", "--no-enrich", "--language", "de", "--database-url", url]
    )
    assert result.exit_code == 2
