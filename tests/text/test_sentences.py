from __future__ import annotations

import pytest

from cxgap.text.sentences import split_clauses, split_sentences


def texts(spans: list) -> list[str]:
    return [span.text for span in spans]


@pytest.mark.parametrize(
    ("verbatim", "clauses"),
    [
        (
            "staff were lovely but delivery took three weeks",
            ["staff were lovely", "but delivery took three weeks"],
        ),
        (
            "le personnel était adorable mais la livraison a pris trois semaines",
            ["le personnel était adorable", "mais la livraison a pris trois semaines"],
        ),
        (
            "Great chairs, however the delivery was late.",
            ["Great chairs", "however the delivery was late."],
        ),
        (
            "Livraison rapide, en revanche le meuble est abîmé",
            ["Livraison rapide", "en revanche le meuble est abîmé"],
        ),
        (
            "Produit conforme sauf que la notice est en allemand",
            ["Produit conforme", "sauf que la notice est en allemand"],
        ),
        (
            "Although the staff were kind, the sofa arrived broken",
            ["Although the staff were kind", "the sofa arrived broken"],
        ),
        (
            "Même si le prix est élevé, la qualité est là ; le SAV est injoignable",
            ["Même si le prix est élevé", "la qualité est là", "le SAV est injoignable"],
        ),
    ],
)
def test_contrasts_split_a_sentence_into_clauses(verbatim: str, clauses: list[str]) -> None:
    assert texts(split_clauses(verbatim)) == clauses


@pytest.mark.parametrize(
    "verbatim",
    [
        "My order has not arrived yet",
        "Nice sofa though",
        "le SAV par contre est injoignable",  # an adverb inside the clause, not a new one
        "Mais non",
        "Bien mais cher",  # one word each side: too short to be two opinions
    ],
)
def test_no_clause_break_without_two_words_each_side_or_a_real_connector(verbatim: str) -> None:
    assert texts(split_clauses(verbatim)) == [verbatim]


def test_sentences_end_on_stops_and_line_breaks() -> None:
    verbatim = "Livré en 3 jours. Merci !! Le lit est bancal…\nÀ revoir? Oui"
    assert texts(split_sentences(verbatim)) == [
        "Livré en 3 jours.",
        "Merci !!",
        "Le lit est bancal…",
        "À revoir?",
        "Oui",
    ]


def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    verbatim = "Merci à M. Dupont, e.g. for the 3.5 m sofa. Top."
    assert texts(split_sentences(verbatim)) == [
        "Merci à M. Dupont, e.g. for the 3.5 m sofa.",
        "Top.",
    ]


def test_spans_point_back_into_the_text() -> None:
    verbatim = "  Staff were lovely, but delivery took three weeks!  Never again. "
    for span in split_clauses(verbatim):
        assert verbatim[span.start : span.end] == span.text


def test_empty_and_punctuation_only_texts_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_clauses(" ... !! ") == []
