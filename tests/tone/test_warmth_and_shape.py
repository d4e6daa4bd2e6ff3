"""Too cold, too long, shouting, exclamation marks, signature, placeholders and a draft that
reads negative: each rule on drafts where it must fire and drafts where it must not."""

from __future__ import annotations

import pytest

from cxgap.tone.model import Mood, ReplyContext, ToneProfile
from tests.tone.helpers import ANGRY, NOW, codes, context

PLEASED = Mood("positive", 0.7)
UNHAPPY = Mood("negative", 0.4)

COLD_EN = "Your parcel left the warehouse on Monday. It will be delivered on Thursday."
WARM_EN = (
    "Hello Mr Jones,\nI am so sorry your parcel is late, I understand how annoying this is. "
    "It left the warehouse on Monday and will be delivered on Thursday."
)
COLD_FR = "Le colis est parti lundi. Il sera livré jeudi."
WARM_FR = (
    "Bonjour Madame Petit,\nJe suis vraiment désolée pour ce retard, je comprends votre "
    "agacement. Le colis est parti lundi et sera livré jeudi."
)


def test_an_angry_customer_gets_a_cold_reply_flagged_for_greeting_and_empathy() -> None:
    for language, text in (("en", COLD_EN), ("fr", COLD_FR)):
        findings = codes(text, context(language, "email", mood=ANGRY), "too_cold")  # type: ignore[arg-type]
        assert len(findings) == 2, (language, findings)


def test_a_warm_reply_to_an_angry_customer_is_not_cold() -> None:
    assert codes(WARM_EN, context("en", "email", mood=ANGRY), "too_cold") == []
    assert codes(WARM_FR, context("fr", "email", mood=ANGRY), "too_cold") == []


def test_an_apology_buried_at_the_end_is_late_for_an_angry_customer() -> None:
    text = (
        "Bonjour Monsieur Roux,\nLe colis est parti lundi. Le transporteur a eu un incident. "
        "Il sera livré jeudi. Nous sommes désolés."
    )
    from cxgap.tone.check import check_draft

    ctx = context("fr", "email", mood=ANGRY)
    missing = [f.params["missing"] for f in check_draft(text, ctx) if f.code == "too_cold"]
    assert missing == ["empathy_first"]
    # the same apology is fine for a customer who is unhappy but not angry
    calmer = context("fr", "email", mood=UNHAPPY)
    assert [f for f in check_draft(text, calmer) if f.code == "too_cold"] == []


def test_an_opening_that_thanks_or_apologises_needs_no_greeting_word() -> None:
    ctx = context("en", "social", mood=PLEASED)
    assert codes("Thanks so much for the kind words, Priya!", ctx, "too_cold") == []
    ctx_fr = context("fr", "chat", mood=UNHAPPY)
    assert codes("Désolés pour ce retard, Léa : le colis part ce soir.", ctx_fr, "too_cold") == []
    assert codes("Le colis part ce soir. Désolés, Léa.", ctx_fr, "too_cold") != []


def test_a_calm_customer_on_sms_needs_no_greeting_or_apology() -> None:
    text = "Your parcel will be delivered on Thursday between 9am and 1pm."
    assert codes(text, context("en", "sms"), "too_cold") == []


def test_praise_without_thanks_is_cold_and_with_thanks_is_not() -> None:
    ctx = context("en", "chat", mood=PLEASED)
    assert codes("Hi Ana, noted, see you soon.", ctx, "too_cold") != []
    assert codes("Hi Ana, thank you so much for your kind words!", ctx, "too_cold") == []
    ctx_fr = context("fr", "chat", mood=PLEASED)
    assert codes("Bonjour Ana, merci beaucoup pour ce gentil message.", ctx_fr, "too_cold") == []


def test_length_follows_the_channel_and_the_readers_preference() -> None:
    sms = "Bonjour, votre colis sera livré jeudi entre 9 h et 13 h. " * 4
    found = codes(sms, context("fr", "sms"), "too_long")
    assert len(found) == 1 and found[0].startswith("livré")  # from the 41st word on
    short = "Bonjour, votre colis sera livré jeudi entre 9 h et 13 h. Merci de votre patience."
    assert codes(short, context("fr", "sms"), "too_long") == []
    sentence = "We have checked your order and everything is on its way."  # 11 words
    assert codes(" ".join([sentence] * 21), context("en", "email"), "too_long") != []
    assert codes(" ".join([sentence] * 20), context("en", "email"), "too_long") == []  # 220
    # a reader who likes short replies: at most 132 words
    brief = ReplyContext("email", "en", ToneProfile("vous", "short"), now=NOW)
    assert codes(" ".join([sentence] * 13), brief, "too_long") != []
    assert codes(" ".join([sentence] * 12), brief, "too_long") == []


def test_a_public_reply_over_280_characters_is_too_long() -> None:
    text = "Hello Sam, sorry for the wait! " + "x" * 260
    found = codes(text, context("en", "social"), "too_long_characters")
    assert found == [text[280:]]


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("WE ARE SORRY FOR THE DELAY.", "WE ARE SORRY FOR THE DELAY"),
        ("Please read this: NE RÉPONDEZ PAS à ce message.", "NE RÉPONDEZ PAS"),
        ("This is ABSOLUTELY unacceptable on our part.", "ABSOLUTELY"),
    ],
)
def test_capitals_are_shouting(text: str, fault: str) -> None:
    assert codes(text, context("en"), "all_caps") == [fault]


@pytest.mark.parametrize(
    "text",
    [
        "Your SNCF ticket and your NPS survey are attached.",
        "Le SAV de Lyon vous rappelle.",
        "I am sorry, Mr O'NEILL, the item is OK now.",
        "Order ref AB12 ships today.",
    ],
)
def test_acronyms_are_not_shouting(text: str) -> None:
    assert codes(text, context("en"), "all_caps") == []


@pytest.mark.parametrize(
    ("text", "faults"),
    [
        ("Great news!! Your parcel is here!!!", ["!!", "!!!"]),
        ("Vraiment désolés ! ! Nous revenons vers vous.", ["! !"]),
        ("Your refund is ready?!", ["?!"]),
    ],
)
def test_repeated_exclamation_marks(text: str, faults: list[str]) -> None:
    assert codes(text, context("en"), "exclamations") == faults


@pytest.mark.parametrize(
    "text", ["Merci pour votre message !", "Great news! Your parcel is here. See you soon!"]
)
def test_single_exclamation_marks_are_fine(text: str) -> None:
    assert codes(text, context("fr"), "exclamations") == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Bonjour Madame,\nVotre colis arrive jeudi.\nBien cordialement,\nJulie"),
        (
            "fr",
            "Bonjour,\nVotre colis arrive jeudi.\nBelle journée à vous !\nJulie, service client",
        ),
        ("en", "Hello Sam,\nYour parcel arrives on Thursday.\nKind regards,\nJulie"),
        ("en", "Hello Sam,\nYour parcel arrives on Thursday.\n\nJulie Martin"),
        ("en", "Hello Sam,\nYour parcel arrives on Thursday.\nBest,\nJ."),
    ],
)
def test_a_signed_email_has_a_signature(language: str, text: str) -> None:
    ctx = context(language, "email")  # type: ignore[arg-type]
    assert codes(text, ctx, "no_signature", agent_name="Julie Martin") == []


@pytest.mark.parametrize(
    ("language", "text", "fault"),
    [
        ("fr", "Bonjour Madame,\nVotre colis arrive jeudi.", "Votre colis arrive jeudi."),
        (
            "en",
            "Hello Sam,\nYour parcel arrives on Thursday.\n",
            "Your parcel arrives on Thursday.",
        ),
        ("en", "Hello Sam,\nIt arrives today.\nWe did our best.", "We did our best."),
    ],
)
def test_an_unsigned_email_is_found(language: str, text: str, fault: str) -> None:
    ctx = context(language, "email")  # type: ignore[arg-type]
    assert codes(text, ctx, "no_signature", agent_name="Julie Martin") == [fault]


def test_a_chat_message_needs_no_signature() -> None:
    assert codes("Hello Sam, it arrives Thursday.", context("en", "chat"), "no_signature") == []


def test_placeholders_left_in_the_draft_are_found() -> None:
    text = "Bonjour {first_name}, votre commande {order_ref} est partie."
    assert codes(text, context("fr"), "placeholder") == ["{first_name}", "{order_ref}"]
    assert codes("Bonjour Léa, votre commande est partie.", context("fr"), "placeholder") == []


def test_a_draft_the_analyzer_reads_negative_is_flagged() -> None:
    text = "This is a terrible situation and nothing can be done."
    assert codes(text, context("en"), "reads_negative", sentiment="negative") == [text]
    assert codes(text, context("en"), "reads_negative", sentiment="neutral") == []
    assert codes(text, context("en"), "reads_negative") == []


def test_an_apology_is_not_held_to_its_negative_reading() -> None:
    """The bundled analyzer reads this apology -0.91 (it names the problem)."""
    text = "Bonjour Léa, je suis vraiment désolé pour ce retard, votre colis arrive demain."
    assert codes(text, context("fr"), "reads_negative", sentiment="negative") == []
