"""One demo in both languages: persona texts and topic descriptions are stored in English
and French whatever ``cxgap demo --language`` says; that option now only chooses the
language of the texts a workspace keeps in one language (touchpoint goals, interlocutors)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import JourneyTouchpointRow, PersonaRow, Topic
from cxgap.demo.journeys import demo_journeys
from cxgap.demo.personas import demo_personas
from cxgap.services.core import Cxgap
from cxgap.text.taxonomy import DEFAULT_TAXONOMY
from cxgap.text.taxonomy_fr import FRENCH_DESCRIPTIONS


def test_every_persona_text_and_default_topic_has_a_french_version() -> None:
    for persona in demo_personas():
        assert persona.missing() == [], persona.key
        for field in ("needs", "usages", "behaviours"):
            pairs = list(zip(persona.lines(field, "en"), persona.lines(field, "fr"), strict=True))
            assert pairs and all(a != b for a, b in pairs), (persona.key, field)
    assert set(FRENCH_DESCRIPTIONS) == {topic.key for topic in DEFAULT_TAXONOMY}
    goals = {tp.goal for j in demo_journeys("fr") for tp in j.touchpoints}
    assert "Payer en confiance" in goals and "Pay safely" not in goals


@pytest.mark.parametrize(("language", "goal"), [("en", "Pay safely"), ("fr", "Payer en confiance")])
def test_cxgap_demo_stores_persona_texts_and_descriptions_in_both_languages(
    cx: Cxgap, language: str, goal: str
) -> None:
    url = cx.settings.database_url
    args = ["demo", "--no-enrich", "--customers", "20", "--language", language]
    result = CliRunner().invoke(app, [*args, "--database-url", url])
    assert result.exit_code == 0, result.stdout
    with cx.reading() as session:
        claire = session.scalar(select(PersonaRow).where(PersonaRow.key == "claire"))
        assert claire is not None
        assert claire.needs[0] == "Sturdy, washable furniture"
        assert claire.needs_fr[0] == "Des meubles solides et lavables"
        assert claire.behaviours_fr[-1] == "Se fie aux avis d'autres parents"
        goals = set(session.scalars(select(JourneyTouchpointRow.goal)))
        assert goal in goals
        topics = {t.key: t for t in session.scalars(select(Topic))}
    delivery = topics["delivery"]
    assert delivery.description.startswith("Getting the order to the customer")
    assert delivery.description_fr.startswith("Faire arriver la commande")
    assert all(t.description and t.description_fr for t in topics.values())


def test_an_unknown_demo_language_is_refused(cx: Cxgap) -> None:
    url = cx.settings.database_url
    result = CliRunner().invoke(
        app, ["demo", "--no-enrich", "--language", "de", "--database-url", url]
    )
    assert result.exit_code == 2
