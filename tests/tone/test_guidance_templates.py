"""Guidance from the context, the customer's mood from the analyzer, and the templates: every
template filled in passes the tone check it is written for."""

from __future__ import annotations

from datetime import datetime

import pytest

from cxgap.errors import ValidationError
from cxgap.i18n import LOCALES, translate
from cxgap.text.protocols import TextAnalysis
from cxgap.text.taxonomy import DEFAULT_TAXONOMY
from cxgap.tone.check import check_draft
from cxgap.tone.guidance import build_guidance, guidance_lines
from cxgap.tone.model import Mood, ReplyContext, ToneProfile, checked_mood, mood_of
from cxgap.tone.report import check_json, finding_message, message_key
from cxgap.tone.templates import (
    SITUATION_TOPICS,
    SITUATIONS,
    choose_situation,
    fill_template,
    placeholders_of,
    template_text,
)
from tests.tone.helpers import ANGRY, NOW, PARIS, context


def analysis(sentiment: str, intensity: float) -> TextAnalysis:
    return TextAnalysis("fr", sentiment, 0.0, intensity, (), (), ())  # type: ignore[arg-type]


def test_the_most_negative_message_sets_the_mood() -> None:
    furious, calm = analysis("negative", 0.9), analysis("neutral", 0.1)
    assert mood_of([calm, furious, calm]) == Mood("negative", 0.9)
    assert mood_of([calm, furious]).angry
    assert not mood_of([analysis("negative", 0.3)]).angry
    assert mood_of([analysis("positive", 0.6), calm]) == Mood("neutral", 0.1)
    assert mood_of([]) == Mood()


def test_a_mood_from_user_input_is_refused_with_its_field_and_value() -> None:
    with pytest.raises(ValidationError) as caught:
        checked_mood("furious", 0.9)
    assert caught.value.problems[0].field == "customer_sentiment"
    assert caught.value.problems[0].value == "furious"
    with pytest.raises(ValidationError) as caught:
        checked_mood("negative", 1.5)
    assert caught.value.problems[0].field == "customer_intensity"


def test_guidance_for_an_angry_customer_by_email_in_french() -> None:
    due = datetime(2026, 12, 4, 14, 0, tzinfo=PARIS)
    guidance = build_guidance(context("fr", "email", "vous", ANGRY, due))
    assert guidance.apology_first and guidance.empathy and guidance.signature
    assert guidance.words == (50, 220)
    codes = [line.code for line in guidance.lines]
    assert codes[:3] == ["address_fr_vous", "length", "apology_first"]
    assert "commit_before" in codes and "signature" in codes
    said = guidance_lines(guidance, "fr")
    assert said[0].startswith("Vouvoyez")
    assert any("2026-12-04 14:00" in line for line in said)
    assert guidance_lines(guidance, "en")[2].startswith("The customer is angry")


def test_guidance_for_a_pleased_customer_on_a_public_social_reply_in_english() -> None:
    ctx = ReplyContext("social", "en", ToneProfile("tu", "short"), Mood("positive", 0.8))
    guidance = build_guidance(ctx)
    assert not guidance.apology_first and not guidance.signature
    assert guidance.characters == 280 and guidance.words == (7, 30)
    codes = [line.code for line in guidance.lines]
    assert "thanks" in codes and "move_private" in codes and "commit_no_due" in codes
    assert "address_en_tu" in codes


def test_every_guidance_line_and_finding_is_said_in_both_languages() -> None:
    text = (
        "Comme indiqué, tu aurais dû lire le SLA!! NOUS NE POUVONS RIEN FAIRE. Réponse sous "
        "48h. {order_ref}"
    )
    ctx = context("fr", "email", "vous", ANGRY, datetime(2026, 12, 4, 14, 0, tzinfo=PARIS))
    findings = check_draft(text, ctx, sentiment="negative")
    assert len({f.code for f in findings}) >= 9
    for finding in findings:
        for locale in LOCALES:
            assert finding_message(finding, locale) != message_key(finding)
    document = check_json(text, findings, build_guidance(ctx))
    assert {"en", "fr"} <= set(document["findings"][0]["message"])
    for line in document["guidance"]["lines"]:
        assert line["message"]["fr"] != line["message"]["en"]
    assert translate("tone.findings.none", "fr") != translate("tone.findings.none", "en")


def test_situation_topics_are_keys_of_the_taxonomy() -> None:
    keys = {topic.key for topic in DEFAULT_TAXONOMY}
    assert {k for _, topics in SITUATION_TOPICS for k in topics} <= keys


@pytest.mark.parametrize(
    ("topics", "sentiment", "situation"),
    [
        (["delivery"], "negative", "late_delivery"),
        (["returns_refunds", "product_quality"], "negative", "refund"),
        (["product_quality"], "negative", "defect"),
        (["billing", "delivery"], "negative", "billing_error"),
        (["staff_attitude"], "negative", "rude_staff"),
        (["waiting_time"], "neutral", "follow_up"),
        (["price"], "negative", "follow_up"),
        (["product_information"], "neutral", "information"),
        (["staff_attitude"], "positive", "praise"),
    ],
)
def test_the_situation_follows_the_topics_and_the_sentiment(
    topics: list[str], sentiment: str, situation: str
) -> None:
    assert choose_situation(topics, sentiment) == situation


VALUES = {
    "first_name": "Léa",
    "order_ref": "CMD-48213",
    "due_date": "8 décembre",
    "agent_name": "Julie Martin",
    "amount": "24,90 €",
    "answer": "Le magasin est ouvert du lundi au samedi.",
}
VARIANTS = [(s, "fr", a) for s in SITUATIONS for a in ("vous", "tu")] + [
    (s, "en", "vous") for s in SITUATIONS
]


@pytest.mark.parametrize(("situation", "language", "address"), VARIANTS)
def test_every_template_filled_in_passes_its_own_tone_check(
    situation: str, language: str, address: str
) -> None:
    filled = fill_template(situation, language, VALUES, address)
    assert filled.missing == ()
    mood = Mood("positive", 0.8) if situation == "praise" else ANGRY
    if situation == "information":
        mood = Mood("neutral", 0.2)
    ctx = ReplyContext("email", language, ToneProfile(address), mood, now=NOW)  # type: ignore[arg-type]
    findings = check_draft(filled.text, ctx, agent_name="Julie Martin", known_values=["CMD-48213"])
    assert [(f.code, filled.text[f.start : f.end]) for f in findings] == []


def test_the_tu_and_vous_variants_differ_and_share_their_placeholders() -> None:
    for situation in SITUATIONS:
        vous, tu = (template_text(situation, "fr", a) for a in ("vous", "tu"))
        assert vous != tu
        assert placeholders_of(vous) == placeholders_of(tu)
        assert set(placeholders_of(vous)) == set(placeholders_of(template_text(situation, "en")))


def test_an_unknown_placeholder_stays_visible_and_is_reported() -> None:
    filled = fill_template("refund", "en", {"first_name": "Sam", "colour": "blue"})
    assert "{order_ref}" in filled.text and "{amount}" in filled.text
    assert filled.missing == ("order_ref", "amount", "due_date", "agent_name")
    assert filled.unused == ("colour",)
    assert filled.text.startswith("Hello Sam,")


def test_a_blank_value_is_missing_and_a_value_is_filled_once() -> None:
    filled = fill_template("follow_up", "fr", {"first_name": " ", "order_ref": "{due_date}"})
    assert "Bonjour {first_name}," in filled.text
    assert "first_name" in filled.missing
    assert filled.text.count("{due_date}") == 2  # the value as given, and the placeholder


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [
        (("shipping", "fr", "vous"), "situation", "shipping"),
        (("refund", "de", "vous"), "language", "de"),
        (("refund", "fr", "toi"), "address", "toi"),
    ],
)
def test_unknown_choices_are_refused_naming_the_field(
    args: tuple[str, str, str], field: str, value: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        template_text(*args)
    problem = caught.value.problems[0]
    assert (problem.field, problem.value, problem.code) == (field, value, "choice")


def test_a_bad_variable_name_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        fill_template("refund", "en", {"First Name": "Sam"})
    assert caught.value.problems[0].value == "First Name"
