"""The replies service on the bundled analyzer: the customer's mood read from their own
messages, the draft's sentiment, and the refusals of the input."""

from __future__ import annotations

from datetime import datetime

import pytest

from cxgap.errors import ValidationError
from cxgap.services.replies import ReplyRequest, bundled_analyzer, check_reply
from cxgap.text.protocols import TextAnalyzer

ANGRY_FR = "C'est scandaleux, trois semaines sans colis et personne ne répond, je suis furieux !"
NOW = datetime.fromisoformat("2026-12-04T10:00+01:00")


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return bundled_analyzer()


def test_an_angry_customer_message_asks_for_an_apology_first(analyzer: TextAnalyzer) -> None:
    cold = "Bonjour Madame, votre colis est parti ce matin.\nBien cordialement,\nJulie"
    request = ReplyRequest(
        text=cold, channel="email", customer_messages=[ANGRY_FR], now=NOW, language="fr"
    )
    result = check_reply(request, analyzer=analyzer)
    assert result.context.mood.angry  # read -0.89, intensity 0.84 by the bundled models
    assert result.guidance.apology_first
    assert [f.params.get("missing") for f in result.findings] == ["empathy"]
    document = result.as_json()
    assert document["customer_mood"]["angry"] is True


def test_a_given_sentiment_wins_over_the_messages(analyzer: TextAnalyzer) -> None:
    request = ReplyRequest(
        text="Bonjour, votre colis est parti ce matin.",
        channel="chat",
        customer_messages=[ANGRY_FR],
        customer_sentiment="neutral",
        now=NOW,
    )
    result = check_reply(request, analyzer=analyzer)
    assert not result.context.mood.upset and result.findings == []


def test_the_draft_read_negative_is_a_finding_unless_it_apologises(
    analyzer: TextAnalyzer,
) -> None:
    hostile = "Your complaint is rejected. There is nothing more we can do for you."
    result = check_reply(
        ReplyRequest(text=hostile, channel="sms", analyze_draft=True, now=NOW), analyzer=analyzer
    )
    assert result.draft_sentiment == "negative"
    assert [f.code for f in result.findings] == ["reads_negative"]
    apology = "Bonjour Léa, je suis vraiment désolé pour ce retard, votre colis arrive demain."
    result = check_reply(
        ReplyRequest(text=apology, channel="sms", analyze_draft=True, now=NOW), analyzer=analyzer
    )
    assert result.draft_sentiment == "negative"  # it names the problem
    assert result.findings == []


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"channel": "fax"}, "channel", "fax"),
        ({"address": "toi"}, "address", "toi"),
        ({"length": "long"}, "length", "long"),
        ({"language": "de"}, "language", "de"),
        ({"text": "   "}, "text", ""),
        ({"text": "x" * 20_001}, "text", 20_001),
        ({"timezone": "Mars/Olympus"}, "timezone", "Mars/Olympus"),
        ({"due": datetime(2026, 12, 4, 14, 0)}, "due", "2026-12-04T14:00:00"),
        ({"customer_sentiment": "furious"}, "customer_sentiment", "furious"),
        (
            {"customer_sentiment": "negative", "customer_intensity": -0.1},
            "customer_intensity",
            -0.1,
        ),
        ({"draft_sentiment": "meh"}, "draft_sentiment", "meh"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_value(
    changes: dict[str, object], field: str, value: object
) -> None:
    values: dict[str, object] = {"text": "Hello Sam", "channel": "chat", "language": "en"}
    with pytest.raises(ValidationError) as caught:
        check_reply(ReplyRequest(**(values | changes)))  # type: ignore[arg-type]
    problem = caught.value.problems[0]
    assert (problem.field, problem.value) == (field, value)
