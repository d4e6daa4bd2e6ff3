"""The Listening aggregates under a touchpoint filter, from the counts (migration 0045).

A touchpoint filter keeps a record whose own touchpoint is the one asked for **or** whose
findings are about one of the topics the taxonomy links to it (``FeedbackFilter.touchpoint``,
``touchpoint_topics``). That is two disjoint sets of records, each read from counts:

- the records about one of its topics: the topic-set counts under the filter with those
  topics as one more topic set (``listening_sets``, the ``SETS`` tables);
- the records carrying the touchpoint and about none of its topics: the touchpoint counts
  (``listening_sets`` over the ``TOUCH`` tables, whose condition adds both tests), keyed by
  the touchpoint first, so that one touchpoint's rows are read through the key's index.

Their figures add up to those of the rows (``listening_reads`` sums them with the same
functions as the edge days of ``listening_edges``).
"""

from __future__ import annotations

import dataclasses

from cxgap.db import listening_cube as cube
from cxgap.db.feedback_filters import FeedbackFilter


def serves(f: FeedbackFilter) -> bool:
    """Whether the counts hold every condition of ``f``: a touchpoint, with topics, source,
    channel, language, sentiment and whole UTC months (no segment, persona or search)."""
    if f.touchpoint is None:
        return False
    rest = dataclasses.replace(f, touchpoint=None, touchpoint_topics=(), topic_sets=())
    return cube.serves(rest, "month")


def serves_days(f: FeedbackFilter) -> bool:
    """Whether the day touchpoint counts (migration 0052), with the day topic-set counts for
    its topics, hold every condition of ``f``: as :func:`serves` on any whole UTC days."""
    if f.touchpoint is None:
        return False
    rest = dataclasses.replace(f, touchpoint=None, touchpoint_topics=(), topic_sets=())
    return cube.serves(rest, "day")


def topics_part(f: FeedbackFilter) -> FeedbackFilter | None:
    """The filter of the records about one of the touchpoint's topics (None: it has none)."""
    if not f.touchpoint_topics:
        return None
    return dataclasses.replace(
        f,
        touchpoint=None,
        touchpoint_topics=(),
        topic_sets=(*f.topic_sets, tuple(f.touchpoint_topics)),
    )
