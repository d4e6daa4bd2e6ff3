"""A case's persona (through its customer's segment), the tone profile its replies take, and
the templates it offers filled in for the customer; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseRow, Segment, Workspace
from cxgap.errors import ValidationError
from cxgap.journeys.model import Persona
from cxgap.services import case_persona, case_templates, case_tone, cases, personas
from cxgap.services.core import Cxgap
from cxgap.services.journeys import get_persona
from cxgap.tone.model import ToneProfile
from tests.enrichment_factory import add_feedback
from tests.factories import make_workspace
from tests.listening import RuleAnalyzer

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 3, 2, 10, tzinfo=PARIS)
NOW = datetime(2026, 3, 2, 11, tzinfo=PARIS)


def _personas(session: Session, workspace: Workspace) -> None:
    """Léa (households, tu, short), Marc (professionals, vous, detailed), Zoé (a segment by
    rule: generation Gen Z, tu)."""
    session.add(
        Segment(workspace_id=workspace.id, key="young", name_en="Young", name_fr="Jeunes",
                position=0, rule='generation = "Gen Z"')
    )  # fmt: skip
    session.flush()
    for persona in (
        Persona("lea", "Léa Petit", segment="home", address="tu", reply_length="short"),
        Persona("marc", "Marc Durand", segment="pro", address="vous", reply_length="detailed"),
        Persona("zoe", "Zoé", segment="young", address="tu"),
    ):
        personas.add_persona(session, workspace=workspace, persona=persona)


def _case(session: Session, workspace: Workspace, text: str, **attributes: str) -> CaseRow:
    item = add_feedback(session, workspace, text, nps=2, attributes=attributes)
    case, _ = cases.open_case(session, workspace=workspace, feedback_id=item.id, at=AT)
    return case


def test_a_case_takes_the_persona_of_its_customers_segment(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        _personas(session, workspace)
        home = _case(session, workspace, "Toujours pas livré.", segment="home")
        pro = _case(session, workspace, "Still not delivered.", segment="pro")
        # Gen Z comes first in the workspace's order: Zoé, not Léa
        young = _case(session, workspace, "Pas reçu.", segment="home", generation="Gen Z")
        nobody = _case(session, workspace, "Late again.", segment="other")
        by_hand, _ = cases.open_case(session, workspace=workspace, subject="Phone call", at=AT)
        found = {
            name: case_persona.case_persona(session, case)
            for name, case in (("home", home), ("pro", pro), ("young", young),
                               ("nobody", nobody), ("by_hand", by_hand))
        }  # fmt: skip
    assert found["home"].persona is not None and found["home"].persona.key == "lea"
    assert found["home"].segment == "home"
    assert found["home"].profile == ToneProfile("tu", "short")
    assert found["pro"].profile == ToneProfile("vous", "detailed")
    assert found["young"].persona is not None and found["young"].persona.key == "zoe"
    assert found["nobody"].persona is None and found["nobody"].profile == ToneProfile()
    assert found["by_hand"].persona is None and found["by_hand"].profile == ToneProfile()


def _address_codes(session: Session, case: CaseRow, draft: str) -> list[str]:
    checked = case_tone.check_case_reply(session, case, draft, NOW, analyzer=RuleAnalyzer([]))
    return [f.code for f in checked.findings if f.code.startswith("address")]


VOUS_DRAFT = (
    "Bonjour Léa,\n\nJe suis désolé pour ce retard. Votre colis part aujourd'hui ; "
    "n'hésitez pas à me répondre.\n\nBien cordialement,\nSam"
)
TU_DRAFT = (
    "Bonjour Léa,\n\nJe suis désolé pour ce retard. Ton colis part aujourd'hui ; "
    "n'hésite pas à me répondre.\n\nÀ bientôt,\nSam"
)


def test_a_tu_persona_flags_a_vous_draft_and_a_vous_persona_a_tu_draft(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        _personas(session, workspace)
        tu_case = _case(session, workspace, "Toujours pas livré.", segment="home")
        vous_case = _case(session, workspace, "Toujours pas livré.", segment="pro")
        assert _address_codes(session, tu_case, VOUS_DRAFT) == ["address_vous"] * 2
        assert _address_codes(session, tu_case, TU_DRAFT) == []
        assert _address_codes(session, vous_case, TU_DRAFT) == ["address_tu"] * 2
        assert _address_codes(session, vous_case, VOUS_DRAFT) == []
        # the persona's length too: a short-replies persona is told fewer words
        short = case_tone.check_case_reply(
            session, tu_case, TU_DRAFT, NOW, analyzer=RuleAnalyzer([])
        )
        assert short.context.profile == ToneProfile("tu", "short")


def test_the_templates_are_in_the_customers_language_and_address_filled_in(
    cx: Cxgap,
) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        _personas(session, workspace)
        french = _case(session, workspace, "Ma commande n'est jamais arrivée, c'est honteux.",
                       segment="home", first_name="Léa", order_ref="CMD-4471")  # fmt: skip
        english = _case(session, workspace, "The sofa arrived broken and nobody answers.",
                        segment="pro", customer_name="Priya Shah", order="A-981")  # fmt: skip
        bare, _ = cases.open_case(session, workspace=workspace, subject="Call", at=AT)
        fr = case_templates.case_templates(
            session, french, address="tu", fallback_language="en", agent_name="Sam"
        )
        en = case_templates.case_templates(
            session, english, address="vous", fallback_language="fr", agent_name=""
        )
        unknown = case_templates.case_templates(
            session, bare, address="vous", fallback_language="fr", agent_name="Sam"
        )
    assert (fr.language, fr.address) == ("fr", "tu")
    refund = fr.get("refund")
    assert refund is not None
    assert refund.text.startswith("Bonjour Léa,") and "ta commande CMD-4471" in refund.text
    assert refund.text.rstrip().endswith("Sam") and refund.missing == ("amount", "due_date")
    assert [t.situation for t in fr.templates][:3] == ["late_delivery", "refund", "defect"]
    assert (en.language, en.values["first_name"], en.values["order_ref"]) == (
        "en",
        "Priya",
        "A-981",
    )
    defect = en.get("defect")
    assert defect is not None and defect.text.startswith("Hello Priya,")
    assert "{agent_name}" in defect.text  # no name given: left visible, reported
    # no customer message, no hint: the reader's language, nothing filled but the member
    assert unknown.language == "fr" and unknown.values == {"agent_name": "Sam"}


def test_the_suggested_template_follows_the_analyzers_topics(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        item = add_feedback(session, workspace, "Parcel three weeks late", nps=1, score=-0.8,
                            findings=[("delivery", -0.8)])  # fmt: skip
        late, _ = cases.open_case(session, workspace=workspace, feedback_id=item.id, at=AT)
        plain, _ = cases.open_case(session, workspace=workspace, subject="Call", at=AT)
        assert case_templates.suggested_situation(session, late) == "late_delivery"
        assert case_templates.suggested_situation(session, plain) == "follow_up"


def test_a_persona_tone_is_checked_and_stored(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        bad = Persona("lea", "Léa", address="toi", reply_length="long")
        with pytest.raises(ValidationError) as refused:
            personas.add_persona(session, workspace=workspace, persona=bad)
        found = {(p.field, p.value, p.code) for p in refused.value.problems}
        assert found == {("address", "toi", "choice"), ("reply_length", "long", "choice")}
        fields = {"name": "Léa", "address": "tu", "reply_length": "short"}
        personas.add_persona(
            session, workspace=workspace, persona=personas.persona_from_fields(fields)
        )
        defaults = personas.persona_from_fields({"name": "Marc"})
        assert (defaults.address, defaults.reply_length) == ("vous", "standard")
    with cx.reading() as session:
        stored = get_persona(session, workspace=_acme(session), key="lea")
    assert (stored.address, stored.reply_length) == ("tu", "short")


def _acme(session: Session) -> Workspace:
    from cxgap.services.workspaces import get_workspace

    return get_workspace(session, "acme")
