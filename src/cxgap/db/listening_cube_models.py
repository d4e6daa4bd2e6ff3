"""The count tables ``db.listening_cube`` reads, as one type, and which of them are keyed by
the day (the others by the month, or the week)."""

from __future__ import annotations

from cxgap.db.listening_count_tables import (
    ListeningCount,
    ListeningDayDriverCount,
    ListeningDayMentionCount,
    ListeningDayScoreCount,
    ListeningDayTopicCount,
    ListeningDriverCount,
    ListeningMentionCount,
    ListeningScoreCount,
    ListeningSetCount,
    ListeningSetMentionCount,
    ListeningSetScoreCount,
    ListeningTopicCount,
    ListeningWeekScoreCount,
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
)

Model = (
    type[ListeningCount]
    | type[ListeningTopicCount]
    | type[ListeningMentionCount]
    | type[ListeningScoreCount]
    | type[ListeningDriverCount]
    | type[ListeningWeekScoreCount]
    | type[ListeningSetCount]
    | type[ListeningSetMentionCount]
    | type[ListeningSetScoreCount]
    | type[ListeningDayTopicCount]
    | type[ListeningDayMentionCount]
    | type[ListeningDayScoreCount]
    | type[ListeningDayDriverCount]
    | type[ListeningDaySetCount]
    | type[ListeningDaySetMentionCount]
    | type[ListeningDaySetScoreCount]
    | type[ListeningDayTouchpointCount]
    | type[ListeningDayTouchpointMentionCount]
    | type[ListeningDayTouchpointScoreCount]
    | type[ListeningDaySegmentCount]
    | type[ListeningDaySegmentMentionCount]
    | type[ListeningDaySegmentScoreCount]
    | type[ListeningDaySegmentTouchpointCount]
    | type[ListeningDaySegmentTouchpointMentionCount]
    | type[ListeningDaySegmentTouchpointScoreCount]
)
# The tables keyed by the day (the others by the month, or the week).
BY_DAY = (
    ListeningCount,
    ListeningDayTopicCount,
    ListeningDayMentionCount,
    ListeningDayScoreCount,
    ListeningDayDriverCount,
    ListeningDaySetCount,
    ListeningDaySetMentionCount,
    ListeningDaySetScoreCount,
    ListeningDayTouchpointCount,
    ListeningDayTouchpointMentionCount,
    ListeningDayTouchpointScoreCount,
    ListeningDaySegmentCount,
    ListeningDaySegmentMentionCount,
    ListeningDaySegmentScoreCount,
    ListeningDaySegmentTouchpointCount,
    ListeningDaySegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointScoreCount,
)
