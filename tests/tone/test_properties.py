"""Properties that hold for any draft: the check never fails, every span lies in the text,
and the marked pieces of the findings partial put the text back together."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.tone.check import check_draft
from cxgap.tone.model import CHANNELS, Mood, ReplyContext, ToneProfile
from cxgap.tone.report import highlight_segments
from tests.tone.helpers import NOW, PARIS

WORDS = st.sampled_from(
    [
        "Bonjour",
        "vous",
        "tu",
        "t'",
        "SLA",
        "!!",
        "?!",
        "sous",
        "48h",
        "demain",
        "le",
        "15/12",
        "décembre",
        "within",
        "2",
        "business",
        "days",
        "As",
        "stated",
        "MERCI",
        "BEAUCOUP",
        "{order_ref}",
        "\n",
        "Cordialement",
        "sorry",
        ".",
        ",",
        "N2",
        "ticket",
        "#12345",
        "désolé",
        "comme",
        "indiqué",
        "you",
        "should",
        "have",
        "",
    ]
)
DRAFTS = st.one_of(
    st.lists(WORDS, max_size=40).map(" ".join),
    st.text(max_size=300),
)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    text=DRAFTS,
    channel=st.sampled_from(CHANNELS),
    language=st.sampled_from(["fr", "en"]),
    address=st.sampled_from(["vous", "tu"]),
    intensity=st.floats(0, 1),
)
def test_every_finding_lies_in_the_text_and_the_pieces_rebuild_it(
    text: str, channel: str, language: str, address: str, intensity: float
) -> None:
    context = ReplyContext(
        channel,  # type: ignore[arg-type]
        language,  # type: ignore[arg-type]
        ToneProfile(address),  # type: ignore[arg-type]
        Mood("negative", intensity),
        due=datetime(2026, 12, 4, 14, 0, tzinfo=PARIS),
        now=NOW,
    )
    findings = check_draft(text, context, sentiment="negative")
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(text), finding
    assert [(f.start, f.end) for f in findings] == sorted((f.start, f.end) for f in findings)
    pieces = highlight_segments(text, findings)
    assert "".join(piece for piece, _ in pieces) == text
    covered = {i for _, covering in pieces for i in covering}
    assert covered == {i for i, f in enumerate(findings) if f.end > f.start}
