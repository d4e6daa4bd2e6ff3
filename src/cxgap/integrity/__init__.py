"""Integrity: flags on responses (speeders, straight-lining, duplicates, gibberish, bots,
score–text mismatch, score begging) and on agents or shops (top-score share above a funnel
limit after shrinkage, begging phrases, selective surveying). Pure: values in, values out;
no database, web or CLI (docs/integrity.md)."""

from cxgap.integrity.check import Sentiment, check_integrity, report_json
from cxgap.integrity.model import (
    AGENT_FLAGS,
    RESPONSE_FLAGS,
    AgentVerdict,
    Contacts,
    Flag,
    Funnel,
    IntegrityReport,
    Response,
    ResponseVerdict,
    Rules,
)

__all__ = [
    "AGENT_FLAGS",
    "RESPONSE_FLAGS",
    "AgentVerdict",
    "Contacts",
    "Flag",
    "Funnel",
    "IntegrityReport",
    "Response",
    "ResponseVerdict",
    "Rules",
    "Sentiment",
    "check_integrity",
    "report_json",
]
