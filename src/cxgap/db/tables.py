"""SQLAlchemy tables. One schema for SQLite and PostgreSQL; Alembic owns its evolution.

The tables live in one module per domain (``table_base``, ``account_tables``,
``survey_tables``, ``journey_tables``, ``feedback_tables``, ``segment_tables``,
``job_tables``); this module gathers them, so ``cxgap.db.tables`` names every table and
importing it registers them all on ``Base.metadata`` (Alembic's target).
"""

from __future__ import annotations

# The Listening count tables have their own modules; importing them registers them too.
from cxgap.db import listening_count_tables as _counts  # noqa: F401
from cxgap.db import listening_day_set_tables as _day_sets  # noqa: F401
from cxgap.db import listening_segment_touch_tables as _segment_touch  # noqa: F401
from cxgap.db.account_tables import (
    ApiToken,
    AuditEvent,
    LoginFailure,
    MemberInvitation,
    Membership,
    SsoGroupRole,
    SsoPolicy,
    User,
    UserSession,
    Workspace,
)
from cxgap.db.action_history_tables import ActionState, OwnershipDigestSent
from cxgap.db.action_tables import ActionComment, ActionRow, ActionSetting, ActionStep
from cxgap.db.badge_tables import BadgeAward, BadgeDefinition, BadgeImage, CommunityLevel
from cxgap.db.board_setting_tables import IdeaBoardSetting
from cxgap.db.bot_tables import BotAnswer, BotAnswerHour
from cxgap.db.case_tables import (
    CaseEvent,
    CaseFeedback,
    CaseRow,
    CaseRule,
    Team,
    TeamMember,
)
from cxgap.db.event_tables import ActivityMapping, EventImport, EventRow
from cxgap.db.feedback_tables import (
    EmergingTopicsResult,
    Feedback,
    FeedbackImport,
    FeedbackSearch,
    FeedbackSearchPending,
    LabelCorrection,
    TextEnrichment,
    TextFinding,
    Topic,
)
from cxgap.db.help_tables import (
    HelpAnswer,
    HelpAnswerVote,
    HelpArticle,
    HelpArticleVote,
    HelpCategory,
    HelpQuestion,
)
from cxgap.db.idea_evidence_tables import IdeaEvidence, IdeaMatch, TextVector
from cxgap.db.idea_link_tables import IdeaLink
from cxgap.db.idea_tables import (
    CommunityPerson,
    Idea,
    IdeaComment,
    IdeaFollower,
    IdeaStatus,
    IdeaStatusChange,
    IdeaTag,
    IdeaTagLink,
    IdeaVote,
)
from cxgap.db.job_tables import (
    Job,
    Webhook,
    WebhookDelivery,
)
from cxgap.db.journey_tables import (
    JourneyRow,
    JourneyStageRow,
    JourneyTouchpointRow,
    OverlayIndexState,
    PersonaRow,
    TouchpointFeedback,
    TouchpointIrritant,
    TouchpointIrritantCount,
    TouchpointTally,
)
from cxgap.db.notification_tables import CommunityNotification
from cxgap.db.ownership_tables import Ownership, OwnershipAlert
from cxgap.db.recovery_tables import CaseRecovery, CaseRecoverySetting
from cxgap.db.report_schedule_tables import ReportSchedule
from cxgap.db.revisions import WorkspaceRevisionShard
from cxgap.db.segment_tables import (
    Segment,
    SegmentMember,
    SegmentMembership,
)
from cxgap.db.service_level_tables import (
    AvailabilityIncident,
    ServiceAccount,
    ServiceLevelDocument,
    ServiceLevelVersion,
)
from cxgap.db.survey_tables import (
    CustomerPillarScore,
    CustomerResponse,
    CustomerSurvey,
    InternalCampaign,
    InternalPillarScore,
    InternalResponse,
    MailOptOut,
    Pillar,
    ResultsCache,
    SurveyInvitation,
    SurveyRateHit,
    SurveyRecipient,
    SurveyWave,
)
from cxgap.db.table_base import (
    Base,
    UTCDateTime,
    utcnow,
)

__all__ = [
    "ActionComment",
    "ActionRow",
    "ActionSetting",
    "ActionState",
    "ActionStep",
    "ActivityMapping",
    "ApiToken",
    "AuditEvent",
    "AvailabilityIncident",
    "BadgeAward",
    "BadgeDefinition",
    "BadgeImage",
    "Base",
    "BotAnswer",
    "BotAnswerHour",
    "CaseEvent",
    "CaseFeedback",
    "CaseRecovery",
    "CaseRecoverySetting",
    "CaseRow",
    "CaseRule",
    "CommunityLevel",
    "CommunityNotification",
    "CommunityPerson",
    "CustomerPillarScore",
    "CustomerResponse",
    "CustomerSurvey",
    "EmergingTopicsResult",
    "EventImport",
    "EventRow",
    "Feedback",
    "FeedbackImport",
    "FeedbackSearch",
    "FeedbackSearchPending",
    "HelpAnswer",
    "HelpAnswerVote",
    "HelpArticle",
    "HelpArticleVote",
    "HelpCategory",
    "HelpQuestion",
    "Idea",
    "IdeaBoardSetting",
    "IdeaComment",
    "IdeaEvidence",
    "IdeaFollower",
    "IdeaLink",
    "IdeaMatch",
    "IdeaStatus",
    "IdeaStatusChange",
    "IdeaTag",
    "IdeaTagLink",
    "IdeaVote",
    "InternalCampaign",
    "InternalPillarScore",
    "InternalResponse",
    "Job",
    "JourneyRow",
    "JourneyStageRow",
    "JourneyTouchpointRow",
    "LabelCorrection",
    "LoginFailure",
    "MailOptOut",
    "MemberInvitation",
    "Membership",
    "OverlayIndexState",
    "Ownership",
    "OwnershipAlert",
    "OwnershipDigestSent",
    "PersonaRow",
    "Pillar",
    "ReportSchedule",
    "ResultsCache",
    "Segment",
    "SegmentMember",
    "SegmentMembership",
    "ServiceAccount",
    "ServiceLevelDocument",
    "ServiceLevelVersion",
    "SsoGroupRole",
    "SsoPolicy",
    "SurveyInvitation",
    "SurveyRateHit",
    "SurveyRecipient",
    "SurveyWave",
    "Team",
    "TeamMember",
    "TextEnrichment",
    "TextFinding",
    "TextVector",
    "Topic",
    "TouchpointFeedback",
    "TouchpointIrritant",
    "TouchpointIrritantCount",
    "TouchpointTally",
    "UTCDateTime",
    "User",
    "UserSession",
    "Webhook",
    "WebhookDelivery",
    "Workspace",
    "WorkspaceRevisionShard",
    "utcnow",
]
