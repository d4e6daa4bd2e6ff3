"""Retention and lifetime value from the stored events (docs/retention.md, "API"): the JSON
twins of the Retention and Value pages."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from cxgap.services.accounts import Role
from cxgap.services.api_tokens import ApiCaller
from cxgap.services.retention_pages import retention_pages
from cxgap.services.retention_pages_settings import settings_from_query
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1")

# Read as text and checked by the settings (refusals in the caller's language); the document
# states the values they accept.
INACTIVITY = Query(
    None,
    description="Days without a purchase after which a customer counts as gone (365), 1 to 3650",
    json_schema_extra={
        "pattern": "^(?:[1-9][0-9]{0,2}|[12][0-9]{3}|3[0-5][0-9]{2}|36[0-4][0-9]|3650)$"
    },
)
HORIZON = Query(
    None,
    description="The lifetime value horizon in months of 4.345 weeks (12), 1 to 120",
    json_schema_extra={"pattern": "^(?:[1-9][0-9]?|1[01][0-9]|120)$"},
)
PURCHASES = Query(
    None,
    description="The activities that are purchases (comma-separated or repeated); absent: "
    "every event with an amount",
)
BASIS = Query(
    None,
    description="Cohort tables: purchase (bought that month) or survival",
    json_schema_extra={"enum": ["purchase", "survival"]},
)
LANG = Query("en", description="The language of the sentences and refusals")


class RetentionOut(BaseModel):
    """Churn, repeat purchases, cohort tables, churn by segment/persona/path and stayed vs
    left (docs/retention.md); ``empty`` names what is missing (``no_events``,
    ``no_purchases``), the figures then null."""

    model_config = ConfigDict(extra="allow")

    workspace: str
    computed_at: str
    cached: bool
    settings: dict[str, Any]
    empty: str | None
    retention: dict[str, Any] | None


class ValueOut(BaseModel):
    """The CLV fit (BG/NBD + Gamma-Gamma), value by segment/persona/path and the value at
    risk of detractors, with how it was computed; ``value.problem`` says why no fit could be
    made."""

    model_config = ConfigDict(extra="allow")

    workspace: str
    computed_at: str
    cached: bool
    settings: dict[str, Any]
    empty: str | None
    value: dict[str, Any] | None


def _payload(
    session: Session, caller: ApiCaller, key: str, query: dict[str, list[str]]
) -> dict[str, Any]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    chosen = settings_from_query(query)
    return retention_pages(session, workspace, chosen)


def _query(
    inactivity_days: str | None, horizon: str | None, purchases: list[str] | None, basis: str | None
) -> dict[str, list[str]]:
    given = {"inactivity_days": inactivity_days, "horizon": horizon, "basis": basis}
    query = {name: [value] for name, value in given.items() if value is not None}
    if purchases:
        query["purchases"] = purchases
    return query


def _common(payload: dict[str, Any], part: str) -> dict[str, Any]:
    keys = ("workspace", "computed_at", "cached", "settings", "empty")
    return {name: payload[name] for name in keys} | {part: payload[part]}


@router.get(
    "/workspaces/{key}/retention",
    response_model=RetentionOut,
    tags=["retention"],
    operation_id="get_retention",
    responses=error_responses(),
)
def workspace_retention(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    inactivity_days: str | None = INACTIVITY,
    horizon: str | None = HORIZON,
    purchases: list[str] | None = PURCHASES,
    basis: str | None = BASIS,
) -> dict[str, Any]:
    """Retention of the workspace's customers, from its stored events."""
    query = _query(inactivity_days, horizon, purchases, basis)
    return _common(_payload(session, caller, key, query), "retention")


@router.get(
    "/workspaces/{key}/value",
    response_model=ValueOut,
    tags=["retention"],
    operation_id="get_value",
    responses=error_responses(),
)
def workspace_value(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    inactivity_days: str | None = INACTIVITY,
    horizon: str | None = HORIZON,
    purchases: list[str] | None = PURCHASES,
    basis: str | None = BASIS,
    lang: Literal["en", "fr"] = LANG,
) -> dict[str, Any]:
    """Lifetime value of the workspace's customers, from its stored events."""
    query = _query(inactivity_days, horizon, purchases, basis)
    document = _common(_payload(session, caller, key, query), "value")
    value = document["value"]
    if isinstance(value, dict):  # the sentences in the language asked for
        words = value.get("words")
        problem = value.get("problem")
        document["value"] = value | {
            "words": None if words is None else words[lang],
            "problem": None if problem is None else problem[lang],
        }
    return document
