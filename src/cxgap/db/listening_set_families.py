"""The families of topic-set count tables a Listening read can be served from: each family
three tables (the records, the mentions, the scores) keyed alike (``db.listening_sets``
reads any of them; ``db.listening_reads`` chooses which by the filter and the dates)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cxgap.db.listening_count_tables import (
    ListeningSegmentCount,
    ListeningSegmentMentionCount,
    ListeningSegmentScoreCount,
    ListeningSetCount,
    ListeningSetMentionCount,
    ListeningSetScoreCount,
    ListeningTouchpointCount,
    ListeningTouchpointMentionCount,
    ListeningTouchpointScoreCount,
)
from cxgap.db.listening_day_set_tables import (
    ListeningDaySegmentCount,
    ListeningDaySegmentMentionCount,
    ListeningDaySegmentScoreCount,
    ListeningDaySetCount,
    ListeningDaySetMentionCount,
    ListeningDaySetScoreCount,
    ListeningDayTouchpointCount,
    ListeningDayTouchpointMentionCount,
    ListeningDayTouchpointScoreCount,
)
from cxgap.db.listening_segment_touch_tables import (
    ListeningDaySegmentTouchpointCount,
    ListeningDaySegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointScoreCount,
    ListeningSegmentTouchpointCount,
    ListeningSegmentTouchpointMentionCount,
    ListeningSegmentTouchpointScoreCount,
)


@dataclass(frozen=True)
class Tables:
    """The three tables a family of topic-set counts reads."""

    count: Any
    mention: Any
    score: Any


SETS = Tables(ListeningSetCount, ListeningSetMentionCount, ListeningSetScoreCount)
# The records carrying a touchpoint, keyed by it (``db.listening_touchpoints``): read under a
# touchpoint filter for its own touchpoint, less the records about its topics.
TOUCH = Tables(
    ListeningTouchpointCount, ListeningTouchpointMentionCount, ListeningTouchpointScoreCount
)
# Each segment's members, keyed by it (``db.listening_segments``): a segment or persona filter.
SEGMENT = Tables(ListeningSegmentCount, ListeningSegmentMentionCount, ListeningSegmentScoreCount)
# The same as SETS per UTC day (migration 0051): the edge days of dates inside months under a
# topic filter, a range inside one month, and the drivers' edge days under a dimension.
DAY_SETS = Tables(ListeningDaySetCount, ListeningDaySetMentionCount, ListeningDaySetScoreCount)
# TOUCH and SEGMENT per UTC day (migration 0052): the edge days under a touchpoint or segment
# filter (a topic with them too), keyed by the touchpoint or segment first, then the day.
DAY_TOUCH = Tables(
    ListeningDayTouchpointCount,
    ListeningDayTouchpointMentionCount,
    ListeningDayTouchpointScoreCount,
)
DAY_SEGMENT = Tables(
    ListeningDaySegmentCount, ListeningDaySegmentMentionCount, ListeningDaySegmentScoreCount
)
# A segment's members carrying a touchpoint, by both, per month and per day (migration 0053):
# a segment and a touchpoint together (``db.listening_segments.serves_touchpoint``).
SEGMENT_TOUCH = Tables(
    ListeningSegmentTouchpointCount,
    ListeningSegmentTouchpointMentionCount,
    ListeningSegmentTouchpointScoreCount,
)
DAY_SEGMENT_TOUCH = Tables(
    ListeningDaySegmentTouchpointCount,
    ListeningDaySegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointScoreCount,
)
