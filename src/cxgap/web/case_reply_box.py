"""What the reply box of a case page shows besides the draft: the case's persona and the
profile replies take, and the situation templates filled in for the customer.

``?template=refund`` on the case page puts that template in the box server-side (the
fallback without script; ``static/case-reply.js`` fills the box as soon as one is picked).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cxgap.db.tables import CaseRow
from cxgap.services import case_persona, case_templates, cases
from cxgap.services.case_persona import CasePersona
from cxgap.services.case_templates import CaseTemplates
from cxgap.tone.templates import SITUATIONS


@dataclass(frozen=True)
class ReplyBox:
    persona: CasePersona
    templates: CaseTemplates
    chosen: str  # the situation asked for with ?template=, or ""

    @property
    def draft(self) -> str | None:
        """The chosen template's text, to put in the box; None when none was asked for."""
        chosen = self.templates.get(self.chosen) if self.chosen else None
        return None if chosen is None else chosen.text

    @property
    def known_values(self) -> tuple[str, ...]:
        """The customer's details, never taken for jargon by the tone check."""
        return tuple(v for k, v in self.templates.values.items() if k != "agent_name")


def reply_box(
    session: Session, case: CaseRow, *, locale: str, agent_name: str, template: str = ""
) -> ReplyBox:
    """The persona and the templates of ``case``; ``template`` is checked (field and value
    named when it is not a situation)."""
    if template:
        cases.checked_choice("template", template, SITUATIONS)
    persona = case_persona.case_persona(session, case)
    templates = case_templates.case_templates(
        session,
        case,
        address=persona.profile.address,
        fallback_language=locale,
        agent_name=agent_name,
    )
    return ReplyBox(persona, templates, template)
