"""The tone check of a draft reply (docs/replies.md): guidance and findings, nothing stored."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, Field

from cxgap.services.accounts import Role
from cxgap.services.replies import DRAFT_LIMIT, ReplyRequest, check_reply
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}")

Sentiment = Literal["positive", "neutral", "negative"]


class ReplyCheckIn(BaseModel):
    text: str = Field(min_length=1, max_length=DRAFT_LIMIT, description="The draft reply")
    channel: Literal["email", "chat", "phone", "social", "sms", "letter"]
    language: Literal["fr", "en"] | None = Field(
        None, description="The draft's language; left out, it is detected (French or English)"
    )
    address: Literal["vous", "tu"] = Field(
        "vous", description="vous: formal (French vous, English formal register); tu: informal"
    )
    length: Literal["short", "standard", "detailed"] = Field(
        "standard", description="How long the customer likes replies"
    )
    due: AwareDatetime | None = Field(
        None, description="SLA due time, with an offset: a promise later than it is a finding"
    )
    now: AwareDatetime | None = Field(None, description="When the reply is sent (default: now)")
    timezone: str = Field(
        "Europe/Paris", max_length=64, description="Zone of business hours (Mon–Fri 9–18) and dates"
    )
    customer_sentiment: Sentiment | None = Field(
        None, description="The analyzer's sentiment of the customer's messages"
    )
    customer_intensity: float | None = Field(None, ge=0, le=1, description="0.6 and up: angry")
    draft_sentiment: Sentiment | None = Field(
        None, description="The analyzer's sentiment of the draft itself: negative is a finding"
    )
    agent_name: str | None = Field(None, max_length=200, description="Who signs the reply")
    known_values: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="The customer's details (an order reference…): never taken for jargon",
    )

    customer_messages: list[Annotated[str, Field(max_length=DRAFT_LIMIT)]] = Field(
        default_factory=list,
        max_length=20,
        description="The customer's messages: the bundled analyzer reads their mood when "
        "customer_sentiment is left out",
    )
    analyze_draft: bool = Field(False, description="Let the analyzer read the draft's sentiment")


class Messages(BaseModel):
    en: str
    fr: str


class FindingOut(BaseModel):
    code: str = Field(
        description="too_cold, too_long, too_long_characters, blame, jargon, address_tu, "
        "address_vous, address_casual, address_stiff, promise_after_due, all_caps, "
        "exclamations, no_signature, placeholder, reads_negative"
    )
    start: int = Field(description="Character offset of the text at fault")
    end: int
    text: str
    params: dict[str, str]
    message: Messages


class WordRange(BaseModel):
    min: int
    max: int


class GuidanceLineOut(BaseModel):
    code: str
    message: Messages


class GuidanceOut(BaseModel):
    channel: str
    language: str
    address: str
    words: WordRange
    characters: int | None = Field(description="Most characters the channel carries")
    greeting: bool
    signature: bool
    apology_first: bool
    empathy: bool
    commit_before: datetime | None
    avoid: list[str]
    lines: list[GuidanceLineOut]


class MoodOut(BaseModel):
    sentiment: str
    intensity: float
    angry: bool = Field(description="negative with an intensity of 0.6 or more")


class ReplyCheckOut(BaseModel):
    language: Literal["fr", "en"]
    customer_mood: MoodOut
    draft_sentiment: str | None = Field(description="Given, or read by the analyzer")
    findings: list[FindingOut]
    guidance: GuidanceOut


@router.post(
    "/replies/check",
    response_model=ReplyCheckOut,
    tags=["replies"],
    operation_id="check_reply",
    responses=error_responses(),
)
def check_reply_tone(
    key: str, body: ReplyCheckIn, session: SessionDep, caller: CallerDep
) -> ReplyCheckOut:
    """Guidance for a reply and the tone findings of its draft (nothing is stored)."""
    open_workspace(session, caller, key, Role.ANALYST)
    result = check_reply(ReplyRequest(**body.model_dump()))
    return ReplyCheckOut.model_validate(result.as_json())
