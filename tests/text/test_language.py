from __future__ import annotations

import pytest

from cxgap.text.language import RuleAndModelDetector, obvious_language, words_of
from cxgap.text.protocols import LanguageDetector


def refusing_model(text: str) -> list[tuple[str, float]]:
    raise AssertionError(f"the fast path should have decided {text!r}")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le livreur était très aimable mais le canapé est arrivé abîmé.", "fr"),
        ("J'ai attendu 45 minutes au téléphone, c'est inadmissible !", "fr"),
        ("The delivery was late and nobody answered my emails.", "en"),
        ("I've been waiting three weeks for my refund, this is not acceptable", "en"),
    ],
)
def test_obvious_cases_are_decided_without_the_model(text: str, language: str) -> None:
    assert RuleAndModelDetector(model=refusing_model).detect(text) == language


def test_an_empty_or_wordless_text_has_no_language() -> None:
    detector = RuleAndModelDetector(model=refusing_model)
    assert [detector.detect(t) for t in ("", "   ", "!!! 👍", "12/05")] == ["", "", "", ""]


def test_the_model_decides_what_the_markers_cannot() -> None:
    seen: list[str] = []

    def model(text: str) -> list[tuple[str, float]]:
        seen.append(text)
        return [("de", 0.97), ("en", 0.02)]

    assert RuleAndModelDetector(model=model).detect("Die Lieferung kam viel zu spät an.") == "other"
    assert seen == ["Die Lieferung kam viel zu spät an."]


def test_a_short_text_is_not_called_foreign_on_a_weak_guess() -> None:
    def model(text: str) -> list[tuple[str, float]]:
        return [("cy", 0.4), ("fr", 0.3), ("en", 0.2)]

    assert RuleAndModelDetector(model=model).detect("Parfait") == "fr"


def test_a_long_text_the_model_calls_foreign_is_other() -> None:
    def model(text: str) -> list[tuple[str, float]]:
        return [("es", 0.6), ("fr", 0.3)]

    detector = RuleAndModelDetector(model=model)
    assert detector.detect("El sofá llegó roto y nadie contesta el teléfono") == "other"


def test_mixed_markers_go_to_the_model() -> None:
    assert obvious_language(words_of("Le SAV is the worst, et the livreur était rude")) is None


def test_elisions_are_split_like_words() -> None:
    assert words_of("C’est l'été, j'ai reçu") == ["c", "est", "l", "été", "j", "ai", "reçu"]


def test_the_detector_satisfies_the_protocol() -> None:
    assert isinstance(RuleAndModelDetector(), LanguageDetector)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Service client injoignable, remboursement toujours en attente", "fr"),
        ("Customer service unreachable, refund still pending", "en"),
        ("Il servizio clienti non risponde mai alle email", "other"),
        ("Bof", "fr"),
    ],
)
def test_the_bundled_model_settles_the_hard_cases(text: str, language: str) -> None:
    pytest.importorskip("py3langid")
    assert RuleAndModelDetector().detect(text) == language
