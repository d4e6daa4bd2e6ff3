"""Lexical cues: polarity with negation and idioms, questions, shouting."""

from __future__ import annotations

from cxgap.text.lexicon import FEATURES, lexical_features, parse_lexicon


def cues(text: str, language: str = "fr") -> dict[str, float]:
    return dict(zip(FEATURES, lexical_features(text, language), strict=True))  # type: ignore[arg-type]


def test_negation_turns_a_positive_word_into_a_weaker_negative_one() -> None:
    assert cues("Je suis satisfait")["net"] > 0
    assert cues("Je ne suis pas satisfait")["net"] < 0
    assert cues("not happy at all", "en")["net"] < 0
    assert cues("Colis jamais reçu, honteux")["net"] < 0  # a comma ends the negation


def test_idioms_win_over_their_words() -> None:
    assert cues("Pas terrible")["net"] < 0
    assert cues("Pas mal du tout")["net"] > 0
    assert cues("not bad", "en")["net"] > 0


def test_questions_exclamations_and_shouting() -> None:
    assert cues("@airline what time does it board?", "en")["question_opening"] == 1.0
    assert cues("Comment changer mon adresse ?")["question_mark"] == 1.0
    shouted = cues("NEVER AGAIN!!!", "en")
    assert shouted["shouting"] == 1.0 and shouted["exclamations"] == 1.0


def test_an_unknown_language_reads_both_lexicons() -> None:
    assert cues("parfait", "other")["positive"] > 0 and cues("awful", "other")["negative"] > 0


def test_parse_lexicon_reads_sections_prefixes_and_idioms() -> None:
    lexicon = parse_lexicon(
        "[polarity]\ngénial* 3\nnul -3\n[idioms]\npas mal 1\n[negators]\npas\n", where="t"
    )
    assert lexicon.weight("geniale") == 3 and lexicon.weight("nul") == -3
    assert lexicon.idioms == {("pas", "mal"): 1.0} and "pas" in lexicon.negators
