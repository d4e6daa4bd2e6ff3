"""Survey links that name a shop or agent: ``/s/<survey>?u=<unit>&sig=<HMAC>``.

The unit rides in the link, so the answers given through it carry ``agent`` = the unit and
the integrity flags per shop or agent (funnel plot, selective surveying) include them. The
respondent cannot pick another unit: ``sig`` is an HMAC-SHA256 of the survey's token and the
unit under the app's secret key (as the invitation and recovery tokens are signed). A link
whose unit or signature was changed, or that lost them, still takes the answer, stored
without a unit: the customer's answer matters more than the label (docs/integrity.md).
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import CustomerResponse, CustomerSurvey
from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import translate
from cxgap.schema import MAX_AGENT_CHARS

UNIT_PARAM = "u"
SIGNATURE_PARAM = "sig"
MAX_UNITS = 500  # links made in one request
_SIGNATURE_CHARS = 32  # 128 bits of the HMAC: enough against guessing, short in a QR code


def unit_signature(secret: str, survey_token: str, unit: str) -> str:
    message = f"survey-unit:{survey_token}:{unit}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:_SIGNATURE_CHARS]


def signed_unit(secret: str, survey_token: str, unit: object, signature: object) -> str | None:
    """The unit when ``signature`` is its signature for this survey, else ``None`` (a
    tampered, missing or foreign link): the answer is then stored without a unit."""
    if not isinstance(unit, str) or not isinstance(signature, str):
        return None
    if not unit or len(unit) > MAX_AGENT_CHARS or len(signature) != _SIGNATURE_CHARS:
        return None
    expected = unit_signature(secret, survey_token, unit)
    return unit if hmac.compare_digest(signature.encode(), expected.encode()) else None


def clean_unit(raw: object, *, field: str = "unit") -> str:
    """A unit's name with its spaces tidied; refuses a blank, over-long or control-character
    name, naming the field and the value."""
    text = " ".join(str(raw or "").split())
    if not text:
        raise ValidationError([FieldProblem(field, "is required", raw, code="required")])
    if len(text) > MAX_AGENT_CHARS:
        problem = FieldProblem(
            field,
            f"is longer than {MAX_AGENT_CHARS} characters",
            text,
            code="too_long",
            params={"limit": MAX_AGENT_CHARS},
        )
        raise ValidationError([problem])
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise ValidationError(
            [FieldProblem(field, "holds a control character", text, code="control")]
        )
    return text


def unit_refusal(exc: ValidationError, locale: str) -> str:
    """The first refused unit name, said in ``locale``."""
    problem = exc.problems[0]
    if problem.code is None:
        return str(exc)
    reason = translate(f"links.reason.{problem.code}", locale, **problem.params)
    return translate("links.refused.unit", locale, value=repr(problem.value), reason=reason)


def unit_query(secret: str, survey_token: str, unit: str) -> str:
    """The query string naming ``unit`` on the survey's link."""
    return urlencode(
        {UNIT_PARAM: unit, SIGNATURE_PARAM: unit_signature(secret, survey_token, unit)}
    )


@dataclass(frozen=True)
class UnitLink:
    unit: str
    path: str  # /s/<token>?u=…&sig=…
    url: str  # the path on the public address
    answers: int  # answers of the workspace already about this unit


def unit_links(
    session: Session,
    survey: CustomerSurvey,
    *,
    base: str,
    secret: str,
    units: Iterable[object] = (),
    known: bool = True,
) -> list[UnitLink]:
    """A link per unit: ``units`` (cleaned, refused when bad) then, with ``known``, every
    unit the workspace's answers already name, sorted; each unit once."""
    wanted = [clean_unit(u, field=f"units[{i}]") for i, u in enumerate(units)]
    if len(wanted) > MAX_UNITS:
        raise ValidationError(
            [FieldProblem("units", f"at most {MAX_UNITS} units at once", len(wanted))]
        )
    counts = _answers_per_unit(session, survey.workspace_id)
    order = list(dict.fromkeys([*wanted, *(sorted(counts, key=str.casefold) if known else [])]))
    links = []
    for unit in order:
        path = f"/s/{survey.token}?{unit_query(secret, survey.token, unit)}"
        links.append(UnitLink(unit, path, base.rstrip("/") + path, counts.get(unit, 0)))
    return links


def _answers_per_unit(session: Session, workspace_id: int) -> dict[str, int]:
    rows = session.execute(
        select(CustomerResponse.agent, func.count(CustomerResponse.id))
        .where(CustomerResponse.workspace_id == workspace_id)
        .where(CustomerResponse.agent.is_not(None))
        .group_by(CustomerResponse.agent)
    )
    return {str(agent): int(n) for agent, n in rows if agent}
