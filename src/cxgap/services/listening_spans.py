"""A verbatim cut into plain pieces and findings, for the explorer's highlighting
(``services.listening.explore``)."""

from __future__ import annotations

from dataclasses import dataclass

from cxgap.db import listening_queries as q


@dataclass(frozen=True)
class Span:
    """A piece of a verbatim: plain text, or a finding with its sentiment and topics."""

    text: str
    start: int
    end: int
    sentiment: str | None = None
    score: float | None = None
    topics: tuple[str, ...] = ()

    @property
    def is_finding(self) -> bool:
        return self.sentiment is not None


def highlight(text: str, findings: list[q.FindingRow]) -> list[Span]:
    """The text cut into plain pieces and findings. Findings of the same clause (one per
    topic) merge into one span; a clause overlapping an earlier one is clipped to what is
    left, and offsets outside the text are ignored, so a stale enrichment never breaks a page.
    """
    clauses: dict[tuple[int, int], list[q.FindingRow]] = {}
    for finding in findings:
        start, end = max(0, finding.start), min(len(text), finding.end)
        if start < end:
            clauses.setdefault((start, end), []).append(finding)
    spans: list[Span] = []
    cursor = 0
    for (start, end), group in sorted(clauses.items()):
        start = max(start, cursor)
        if start >= end:
            continue
        if start > cursor:
            spans.append(Span(text[cursor:start], cursor, start))
        first = group[0]
        topics = tuple(dict.fromkeys(f.topic_key for f in group if f.topic_key))
        spans.append(
            Span(text[start:end], start, end, first.sentiment or "neutral", first.score, topics)
        )
        cursor = end
    if cursor < len(text):
        spans.append(Span(text[cursor:], cursor, len(text)))
    return spans
