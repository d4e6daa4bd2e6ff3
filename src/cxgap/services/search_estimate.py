"""A broad Listening search on PostgreSQL: figures estimated from a page sample, said as
such, with the exact figures one click away (docs/scale.md, "A broad search: estimates from
a page sample").

A search keeps no count, so its figures are read from the rows. A selective one is found
through the trigram index (migration 0045) in well under a second; a broad one (``returns``:
a fifth of the texts) reads and joins every text it matches, 23-58 s a page at 10 M. Where
the workspace holds ``SAMPLE_FROM`` records or more (200,000) and the search matches about
``BROAD`` of them or more (20,000), the pages read the records of a random set of the
table's pages instead (``db.search_sample``, about ``SAMPLE_RECORDS``, 30,000) and scale
them; counts come with a 95 % interval. SQLite, smaller workspaces, selective searches and
``exact`` are read whole, as before: the pattern of an unsaved segment rule's check
(``services.rule_check``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from cxgap.analytics.descriptive import wilson_interval
from cxgap.db import listening_reads
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.search_sample import PageSample, draw, planned_matches

SAMPLE_FROM = 200_000  # records of the workspace before a search is ever estimated
BROAD = 20_000  # records the search matches (estimated) before its pages are estimated
SAMPLE_RECORDS = 30_000  # records read, page by page: about ±0.5 points at a share of a fifth
Z95 = 1.959964


@dataclass(frozen=True)
class SearchEstimate:
    """About ``kept`` records (95 %: ``low`` to ``high``) from ``sampled`` records read on
    ``pages`` random pages; every count of the page is the sample's times ``factor``."""

    kept: int
    low: int
    high: int
    sampled: int
    pages: int
    factor: float

    def scale(self, count: float) -> int:
        return round(count * self.factor)


def sampled(
    session: Session, workspace_id: int, f: FeedbackFilter, *, exact: bool
) -> FeedbackFilter:
    """``f`` with a page sample where its search is broad in a large PostgreSQL workspace,
    else ``f`` as it is. One sample per session and filter: the trends page's readers and
    its NPS by source share it."""
    if exact or not f.search or f.sample is not None:
        return f
    if session.get_bind().dialect.name != "postgresql":
        return f
    total = listening_reads.count_enriched(session, workspace_id)[0]
    if total < SAMPLE_FROM:
        return f
    memo: dict[tuple[int, FeedbackFilter], FeedbackFilter] = session.info.setdefault(
        "search_samples", {}
    )
    key = (workspace_id, f)
    if key not in memo and planned_matches(session, workspace_id, f.search) < BROAD / 2:
        memo[key] = f  # selective by the trigram index's statistics: no sample to draw
    if key not in memo:
        sample = draw(session, workspace_id, f, total=total, records=SAMPLE_RECORDS)
        broad = sample.records and sample.matched * total / sample.records
        wide = broad and broad >= BROAD
        memo[key] = replace(f, sample=sample) if wide else f
    return memo[key]


def estimate_of(f: FeedbackFilter) -> SearchEstimate | None:
    """The figures of ``f``'s sample (None: ``f`` is read whole)."""
    return None if f.sample is None else estimate(f.sample)


def estimate(sample: PageSample) -> SearchEstimate:
    """The records kept, scaled from the sample, and their 95 % interval.

    The pages are the sampled units (a ratio estimator over a cluster sample: the records
    of one page are not independent draws); the interval is the wider of that one and the
    Wilson interval of the records as if drawn one by one, and never below the records seen.

    >>> s = PageSample(1.0, 1_000, ((10, 2, 2), (10, 3, 3), (10, 1, 1), (10, 2, 2)), ())
    >>> e = estimate(s)
    >>> e.kept, e.sampled, e.pages, e.factor
    (200, 40, 4, 25.0)
    >>> e.low <= 200 <= e.high, e.low >= 8
    (True, True)
    """
    records, kept, total = sample.records, sample.kept, sample.total
    if not records:
        return SearchEstimate(0, 0, total, 0, 0, 0.0)
    share = kept / records
    low, high = share, share
    wilson = wilson_interval(kept, records)
    if wilson is not None:
        low, high = min(low, wilson[0]), max(high, wilson[1])
    n = len(sample.pages)
    if n > 1:
        spread = sum((k - share * r) ** 2 for r, _, k in sample.pages) / (n - 1)
        unsampled = max(0.0, 1 - records / total) if total else 0.0
        half = Z95 * math.sqrt(unsampled * spread / n) / (records / n)
        low, high = min(low, share - half), max(high, share + half)
    factor = total / records
    return SearchEstimate(
        kept=round(share * total),
        low=max(kept, math.floor(low * total)),
        high=min(total, math.ceil(high * total)),
        sampled=records,
        pages=n,
        factor=factor,
    )
