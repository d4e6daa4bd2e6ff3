"""What each customer said, summed up for the lived paths and retention (issue 14).

A case of the event log and a customer of the feedback meet on the customer reference
(``feedback.customer_ref`` = ``events.case_ref``). Per reference:

- **last NPS**: the NPS answer of the customer's latest feedback item that has one (latest
  ``collected_at``, then the latest stored);
- **mean sentiment**: the mean of the sentiment scores (−1…1) of the customer's enriched
  feedback items, one value per item (two items with the same text count twice);
- **negative topics**: the topics of the clauses the text models read as negative, counted
  once per item, most items first (then by key).

One ordered read of the feedback joined with its enrichment and negative findings, streamed
(a server-side cursor on PostgreSQL): the rows of a customer are contiguous, so only the
customer being summed is held; ``customer_voices`` yields the summaries one by one and
``customer_voice`` collects them into a mapping (one small record per customer).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from cxgap.db.feedback_tables import Feedback, TextEnrichment, TextFinding

STREAM = 5_000


@dataclass(frozen=True, slots=True)
class CustomerVoice:
    """One customer's feedback, summed up; ``items``: their feedback items."""

    customer: str
    items: int
    nps: int | None
    nps_at: datetime | None
    sentiment_mean: float | None
    sentiment_n: int
    negative_topics: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "customer": self.customer,
            "items": self.items,
            "nps": self.nps,
            "nps_at": None if self.nps_at is None else self.nps_at.isoformat(),
            "sentiment_mean": self.sentiment_mean,
            "sentiment_n": self.sentiment_n,
            "negative_topics": list(self.negative_topics),
        }


@dataclass
class _Summing:
    customer: str
    items: int = 0
    nps: int | None = None
    nps_at: datetime | None = None
    sentiment_sum: float = 0.0
    sentiment_n: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    item_topics: set[str] = field(default_factory=set)

    def item(self, nps: int | None, at: datetime, score: float | None) -> None:
        self._close_item()
        self.items += 1
        if nps is not None:  # rows come oldest first: the last one seen is the latest
            self.nps, self.nps_at = int(nps), at
        if score is not None:
            self.sentiment_sum += float(score)
            self.sentiment_n += 1

    def _close_item(self) -> None:
        self.topics.update(self.item_topics)
        self.item_topics = set()

    def done(self) -> CustomerVoice:
        self._close_item()
        n = self.sentiment_n
        ranked = sorted(self.topics.items(), key=lambda item: (-item[1], item[0]))
        return CustomerVoice(
            customer=self.customer,
            items=self.items,
            nps=self.nps,
            nps_at=self.nps_at,
            sentiment_mean=self.sentiment_sum / n if n else None,
            sentiment_n=n,
            negative_topics=tuple(topic for topic, _ in ranked),
        )


def _statement(workspace_id: int) -> Any:
    enrichment = and_(
        TextEnrichment.workspace_id == Feedback.workspace_id,
        TextEnrichment.text_hash == Feedback.text_hash,
    )
    negative = and_(
        TextFinding.enrichment_id == TextEnrichment.id,
        TextFinding.sentiment == "negative",
        TextFinding.topic_key.is_not(None),
    )
    return (
        select(
            Feedback.customer_ref,
            Feedback.id,
            Feedback.collected_at,
            Feedback.nps,
            TextEnrichment.sentiment_score,
            TextFinding.topic_key,
        )
        .outerjoin(TextEnrichment, enrichment)
        .outerjoin(TextFinding, negative)
        .where(Feedback.workspace_id == workspace_id, Feedback.customer_ref.is_not(None))
        .order_by(Feedback.customer_ref, Feedback.collected_at, Feedback.id)
        .execution_options(yield_per=STREAM)
    )


def customer_voices(session: Session, workspace_id: int) -> Iterator[CustomerVoice]:
    """Each customer's summary, customers in the database's order of their reference."""
    current: _Summing | None = None
    last_item: int | None = None
    for customer, item_id, at, nps, score, topic in session.execute(_statement(workspace_id)):
        if current is None or customer != current.customer:
            if current is not None:
                yield current.done()
            current, last_item = _Summing(str(customer)), None
        if item_id != last_item:
            current.item(nps, at, score)
            last_item = item_id
        if topic is not None:
            current.item_topics.add(str(topic))
    if current is not None:
        yield current.done()


def customer_voice(session: Session, workspace_id: int) -> dict[str, CustomerVoice]:
    """Every customer's summary by reference (customers with no feedback are absent)."""
    return {voice.customer: voice for voice in customer_voices(session, workspace_id)}
