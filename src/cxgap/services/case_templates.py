"""The reply templates a case offers: every situation of the tone library (late delivery,
refund, defect…) in the case's language and its persona's address form, with what is known
of the customer filled in (docs/replies.md).

- **Language**: the first of the customer's messages on the case (latest first) that reads
  as French or English; else the language hint of the attached feedback; else the reader's.
- **Values**: the customer's first name, order reference, amount and date from the
  attributes of the attached feedback (the latest item that has one wins: ``first_name``,
  ``order_ref``…, see ``VALUE_KEYS``) and the member's name as ``agent_name``. A value not
  known stays visible as ``{order_ref}``: the tone check reports it before sending.
- **Suggested situation**: from the topics and sentiment the analyzer stored for the attached
  feedback (``tone.templates.choose_situation``).

Nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseFeedback, CaseRow, Feedback, TextEnrichment
from cxgap.services import case_tone
from cxgap.text.language import RuleAndModelDetector
from cxgap.tone.model import LANGUAGES
from cxgap.tone.templates import SITUATIONS, FilledTemplate, choose_situation, fill_template

# Attribute names (lower case, as imports store them) read for each placeholder, in order.
VALUE_KEYS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name", "firstname", "given_name", "prenom", "prénom"),
    "order_ref": ("order_ref", "order_id", "order_number", "order", "commande", "num_commande"),
    "amount": ("amount", "montant", "refund_amount"),
    "due_date": ("due_date", "delivery_date", "date_livraison"),
}
# A full name when no first name is given: its first word.
FULL_NAME_KEYS = ("customer_name", "name", "full_name")
VALUE_LIMIT = 120  # characters: an attribute longer than this is not a name or a reference


@dataclass(frozen=True)
class CaseTemplates:
    language: str  # fr | en
    address: str  # vous | tu (English has one variant: the formal one is used)
    suggested: str  # the situation the case's topics point to
    values: dict[str, str]  # what was filled in
    templates: list[FilledTemplate]  # one per situation, in SITUATIONS order

    def get(self, situation: str) -> FilledTemplate | None:
        return next((t for t in self.templates if t.situation == situation), None)


def case_templates(
    session: Session,
    case: CaseRow,
    *,
    address: str,
    fallback_language: str,
    agent_name: str = "",
) -> CaseTemplates:
    """Every situation's template filled in for ``case``, addressed ``address``."""
    language = case_language(session, case, fallback_language)
    values = customer_values(session, case)
    if agent_name.strip():
        values["agent_name"] = agent_name.strip()
    templates = [fill_template(s, language, values, address) for s in SITUATIONS]
    return CaseTemplates(
        language=language,
        address=address if language == "fr" else "vous",
        suggested=suggested_situation(session, case),
        values=values,
        templates=templates,
    )


def case_language(session: Session, case: CaseRow, fallback: str) -> str:
    """``fr`` or ``en``: what the customer writes in (module docstring)."""
    detector = RuleAndModelDetector()
    for message in reversed(case_tone.customer_messages(session, case)):
        detected = detector.detect(message)
        if detected in LANGUAGES:
            return detected
    hints = session.scalars(
        select(Feedback.language_hint)
        .join(CaseFeedback, CaseFeedback.feedback_id == Feedback.id)
        .where(CaseFeedback.case_id == case.id, Feedback.language_hint.is_not(None))
        .order_by(Feedback.collected_at.desc(), Feedback.id.desc())
    )
    for hint in hints:
        short = (hint or "").lower()[:2]
        if short in LANGUAGES:
            return short
    return fallback if fallback in LANGUAGES else "en"


def customer_values(session: Session, case: CaseRow) -> dict[str, str]:
    """The placeholders' values known from the attached feedback's attributes."""
    rows = session.scalars(
        select(Feedback.attributes)
        .join(CaseFeedback, CaseFeedback.feedback_id == Feedback.id)
        .where(CaseFeedback.case_id == case.id)
        .order_by(Feedback.collected_at.desc(), Feedback.id.desc())
    )
    values: dict[str, str] = {}
    for attributes in rows:
        found = _values_of(attributes or {})
        for name, value in found.items():
            values.setdefault(name, value)
    return values


def _values_of(attributes: Mapping[str, object]) -> dict[str, str]:
    lowered = {str(k).strip().lower(): v for k, v in attributes.items()}
    found: dict[str, str] = {}
    for name, keys in VALUE_KEYS.items():
        value = _first(lowered, keys)
        if value:
            found[name] = value
    if "first_name" not in found:
        full = _first(lowered, FULL_NAME_KEYS)
        if full and "@" not in full:
            found["first_name"] = full.split()[0]
    return found


def _first(attributes: Mapping[str, object], keys: Sequence[str]) -> str:
    for key in keys:
        value = attributes.get(key)
        if value is None or isinstance(value, (dict, list, bool)):
            continue
        text = " ".join(str(value).split())
        if text and len(text) <= VALUE_LIMIT:
            return text
    return ""


def suggested_situation(session: Session, case: CaseRow) -> str:
    """The situation the analyzer's reading of the attached feedback points to."""
    read = session.execute(
        select(TextEnrichment.topic_keys, TextEnrichment.sentiment)
        .join(
            Feedback,
            (Feedback.workspace_id == TextEnrichment.workspace_id)
            & (Feedback.text_hash == TextEnrichment.text_hash),
        )
        .join(CaseFeedback, CaseFeedback.feedback_id == Feedback.id)
        .where(CaseFeedback.case_id == case.id)
    ).all()
    topics = [topic for keys, _ in read for topic in (keys or [])]
    sentiments = {sentiment for _, sentiment in read}
    sentiment = next(
        (s for s in ("negative", "positive", "neutral") if s in sentiments), "negative"
    )
    return choose_situation(topics, sentiment)
