"""The default analyzer on the bundled models: clauses, sentiment, topics, pillars."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.errors import ValidationError
from cxgap.text.analyzer import DefaultAnalyzer, build_analyzer, train_workspace_model
from cxgap.text.protocols import TextAnalyzer, TopicSpec
from cxgap.text.taxonomy import DEFAULT_TAXONOMY


@pytest.fixture(scope="module")
def analyzer() -> DefaultAnalyzer:
    return build_analyzer()


def test_it_is_a_text_analyzer_named_after_its_models(analyzer: DefaultAnalyzer) -> None:
    assert isinstance(analyzer, TextAnalyzer)
    assert analyzer.name.startswith("cxgap-cx-") and "use-multilingual-v3" in analyzer.name


def test_a_mixed_sentence_gives_a_positive_and_a_negative_finding(
    analyzer: DefaultAnalyzer,
) -> None:
    text = "Staff were lovely but delivery took three weeks."
    (analysis,) = analyzer.analyze([text])
    praise, complaint = analysis.findings
    assert (praise.sentiment, complaint.sentiment) == ("positive", "negative")
    assert "staff_attitude" in praise.topics and "delivery" in complaint.topics
    assert text[complaint.start : complaint.end].startswith("but delivery")
    assert analysis.language == "en"
    assert {"representatives", "in_person", "service"} <= set(analysis.pillars)


def test_verbatims_get_sentiment_score_and_intensity_in_range(analyzer: DefaultAnalyzer) -> None:
    texts = [
        "Livraison rapide, produit conforme, je recommande vivement !",
        "Colis jamais reçu et service client injoignable. Honteux !!!",
        "Bonjour, pouvez-vous me dire où en est ma commande ?",
        "@airline what time does boarding start for flight 123?",
    ]
    results = analyzer.analyze(texts)
    assert [r.sentiment for r in results] == ["positive", "negative", "neutral", "neutral"]
    assert results[0].sentiment_score > 0.3 and results[1].sentiment_score < -0.3
    for result in results:
        assert result.sentiment_score is not None and -1 <= result.sentiment_score <= 1
        assert result.intensity is not None and 0 <= result.intensity <= 1
    assert results[1].intensity > results[2].intensity  # type: ignore[operator]
    assert [r.language for r in results] == ["fr", "fr", "fr", "en"]


def test_empty_texts_get_empty_values_in_place(analyzer: DefaultAnalyzer) -> None:
    results = analyzer.analyze(["", "   ", "Parfait."])
    assert results[0] == results[1]
    assert (results[0].language, results[0].sentiment, results[0].sentiment_score) == ("", "", None)
    assert results[0].topics == () and results[0].findings == ()
    assert results[2].sentiment == "positive"
    assert analyzer.analyze([]) == []


def test_a_new_topic_is_found_from_its_example_phrases_alone() -> None:
    pets = TopicSpec(
        key="pets",
        name_en="Pets",
        name_fr="Animaux",
        examples=("My dog was not allowed in the cabin.", "Mon chat a voyagé en soute."),
        pillar_keys=("service",),
    )
    analyzer = build_analyzer([*DEFAULT_TAXONOMY, pets])
    (dog, other) = analyzer.analyze(["They refused to let my dog travel in the cabin.", "Thanks!"])
    assert "pets" in dog.topics and "service" in dog.pillars
    assert "pets" not in other.topics


def test_keyword_rules_fire_a_topic_and_removed_topics_are_never_given() -> None:
    only = [
        TopicSpec(
            "noise", "Noise", "Bruit", keywords=("bruyant", "noisy"), pillar_keys=("friction",)
        )
    ]
    analyzer = build_analyzer(only)
    (result,) = analyzer.analyze(["The room was noisy and the delivery late."])
    assert result.topics == ("noise",) and result.pillars == ("friction",)


def test_a_workspace_model_follows_the_analyst(tmp_path: Path) -> None:
    text = "The seats were as narrow as ever."
    before = build_analyzer().analyze([text])[0]
    wanted = "positive" if before.sentiment != "positive" else "negative"
    train_workspace_model(
        [
            (text, "sentiment", wanted, True),
            (text, "topic", "product_quality", True),
            (text, "topic", "trust_reputation", False),
        ],
        tmp_path / "ws",
    )
    corrected = build_analyzer(workspace_model_dir=tmp_path / "ws")
    after = corrected.analyze([text, ""])
    assert after[0].sentiment == wanted and "product_quality" in after[0].topics
    assert "trust_reputation" not in after[0].topics and "products" in after[0].pillars
    assert after[1].sentiment == "" and corrected.name.endswith(tuple("0123456789abcdef"))
    assert corrected.name != build_analyzer().name


def test_a_corrected_clause_changes_that_finding_and_a_one_clause_verbatim_its_finding(
    analyzer: DefaultAnalyzer, tmp_path: Path
) -> None:
    mixed = "The staff were lovely but delivery took three weeks."
    single = "Livré lundi comme prévu."
    base_mixed, base_single = analyzer.analyze([mixed, single])
    assert len(base_mixed.findings) == 2 and len(base_single.findings) == 1
    second = base_mixed.findings[1]
    clause = mixed[second.start : second.end]
    flipped = "positive" if second.sentiment != "positive" else "neutral"
    train_workspace_model(
        [
            (clause, "sentiment", flipped, True),
            (clause, "topic", "waiting_time", True),
            (single, "sentiment", "positive", True),
        ],
        tmp_path / "ws",
    )
    after_mixed, after_single = build_analyzer(workspace_model_dir=tmp_path / "ws").analyze(
        [mixed, single]
    )
    first, fixed = after_mixed.findings
    assert first == base_mixed.findings[0]  # the other clause keeps what the model said
    assert fixed.sentiment == flipped and "waiting_time" in fixed.topics
    assert "waiting_time" in after_mixed.topics  # the verbatim's topics follow its clauses
    assert after_single.sentiment == "positive"
    assert after_single.findings[0].sentiment == "positive"  # the highlight agrees


def test_bad_corrections_are_refused_with_their_row(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        train_workspace_model(
            [("Fine", "sentiment", "happy", True), ("Late", "mood", "x", True)], tmp_path / "ws"
        )
    described = str(refused.value)
    assert "row 1" in described and "'happy'" in described and "'mood'" in described
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # praise phrased with a negation
        ("Ne changez rien, c'est parfait.", "positive"),
        ("Livraison sans encombre.", "positive"),
        ("Aucun souci avec ma commande.", "positive"),
        ("AUCUN SOUCIS, MERCI", "positive"),
        ("Delivered without any hassle.", "positive"),
        ("Couldn't fault it.", "positive"),
        # a small reservation in a glowing review; politeness that solved nothing
        ("Très bon produit, seul bémol la livraison un peu lente.", "positive"),
        ("The agent was polite but couldn't solve anything.", "negative"),
        # questions and requests for information
        ("Quels sont vos horaires d'ouverture ?", "neutral"),
        ("Can I change my seat online?", "neutral"),
        ("Colis jamais reçu, honteux.", "negative"),
    ],
)
def test_negation_concession_and_questions_are_read_in_context(
    analyzer: DefaultAnalyzer, text: str, expected: str
) -> None:
    (analysis,) = analyzer.analyze([text])
    assert analysis.sentiment == expected
