"""Every REST API route: refused without a token (401), with a token of another workspace or
a lower role (403), and answering its happy path; and the OpenAPI document is valid."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from sqlalchemy.orm import Session

from cxgap.db.tables import CommunityPerson, Workspace
from cxgap.jobs import store as jobs_store
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.model import Persona
from cxgap.services import (
    accounts,
    action_notes,
    action_plans,
    api_tokens,
    availability_incidents,
    campaigns,
    case_rules,
    cases,
    feedback_imports,
    help_articles,
    help_questions,
    idea_links,
    ideas,
    invitations,
    journeys,
    personas,
    segments,
    service_accounts,
    taxonomy,
    teams,
)
from cxgap.services.accounts import Role, load_principal, principal_of
from cxgap.services.case_rules import RuleInput
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.help_articles import ArticleDraft
from cxgap.services.taxonomy import TopicInput
from cxgap.services.workspaces import get_workspace
from cxgap.sla.defaults import default_document
from tests.factories import PILLAR_KEYS, customer_form, make_user, make_workspace
from tests.journeys.samples import sample_journey
from tests.listening_factories import add_feedback
from tests.prepared import Prepared
from tests.warm_routes import app_for

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"
TICKETS = Path(__file__).resolve().parents[1] / "tickets" / "data" / "zendesk_view.csv"
ROLES = (Role.VIEWER, Role.ANALYST, Role.ADMIN)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    role: Role
    status: int = 200
    json: Any = None
    upload: str | None = None
    token: str | None = None  # the happy path's token when not the role's workspace token


def _journey_document(key: str = "imported") -> dict[str, Any]:
    document = journey_to_document(sample_journey(3))
    document["key"] = key
    if key == "imported":
        document["persona"] = None
    else:
        document["name"] = document["name_en"] = "Buying, redrawn"
    return document


SEGMENT = {"name_en": "Students", "name_fr": "Étudiants", "rule": 'generation = "Gen Z"'}


CALLS = [
    Call("GET", "/api/v1/workspaces", Role.VIEWER),
    Call("POST", "/api/v1/workspaces", Role.ADMIN, 201, json={"name": "Beta"}, token="site"),
    Call(
        "POST",
        "/api/v1/workspaces/acme/members",
        Role.ADMIN,
        201,
        json={"email": "new@example.com", "role": "analyst"},
    ),
    Call("PUT", "/api/v1/workspaces/acme/members/{member_id}", Role.ADMIN, json={"role": "admin"}),
    Call("DELETE", "/api/v1/workspaces/acme/members/{member_id}", Role.ADMIN, 204),
    Call("POST", "/api/v1/workspaces/acme/members/{pending_id}/invitation", Role.ADMIN),
    Call("POST", "/api/v1/workspaces/acme/members/{member_id}/password", Role.ADMIN),
    Call(
        "POST",
        "/api/v1/workspaces/acme/pillars",
        Role.ADMIN,
        201,
        json={"key": "speed", "name_en": "Speed", "name_fr": "Rapidité"},
    ),
    Call(
        "PATCH",
        f"/api/v1/workspaces/acme/pillars/{PILLAR_KEYS[0]}",
        Role.ADMIN,
        json={"retired": True},
    ),
    Call(
        "POST", "/api/v1/workspaces/acme/segments", Role.ANALYST, 201, json=SEGMENT | {"key": "st"}
    ),
    Call("PUT", "/api/v1/workspaces/acme/segments/students", Role.ANALYST, json=SEGMENT),
    Call("DELETE", "/api/v1/workspaces/acme/segments/students", Role.ANALYST, 204),
    Call("POST", "/api/v1/workspaces/acme/surveys", Role.ANALYST, 201, json={"name": "Autumn"}),
    Call("PATCH", "/api/v1/workspaces/acme/surveys/spring", Role.ANALYST, json={"is_open": False}),
    Call(
        "POST", "/api/v1/workspaces/acme/surveys/spring/links", Role.ANALYST, json={"units": ["L"]}
    ),
    Call("POST", "/api/v1/workspaces/acme/campaigns", Role.ANALYST, 201, json={"name": "Q3"}),
    Call("PATCH", "/api/v1/workspaces/acme/campaigns/q2", Role.ANALYST, json={"is_open": False}),
    Call("GET", "/api/v1/workspaces/acme", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/members", Role.ADMIN),
    Call("GET", "/api/v1/workspaces/acme/audit", Role.ADMIN),
    Call("GET", "/api/v1/workspaces/acme/pillars", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/segments", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/collectors", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/results", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/retention", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/value", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/reports/executive", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/integrity", Role.ANALYST),
    Call(
        "POST",
        "/api/v1/workspaces/acme/customer-answers",
        Role.ANALYST,
        json={"answers": [customer_form(response_id="r1")]},
    ),
    Call("GET", "/api/v1/workspaces/acme/answers/export", Role.ANALYST),
    Call("GET", "/api/v1/workspaces/acme/feedback", Role.VIEWER),
    Call("POST", "/api/v1/workspaces/acme/feedback/imports", Role.ANALYST, upload="generic.csv"),
    Call("GET", "/api/v1/workspaces/acme/feedback/imports", Role.ANALYST),
    Call("GET", "/api/v1/workspaces/acme/feedback/imports/{import_id}", Role.ANALYST),
    Call("GET", "/api/v1/workspaces/acme/feedback/export", Role.ANALYST),
    Call("GET", "/api/v1/workspaces/acme/topics", Role.VIEWER),
    Call(
        "POST",
        "/api/v1/workspaces/acme/topics",
        Role.ANALYST,
        201,
        json={"key": "parking", "name_en": "Parking", "name_fr": "Stationnement"},
    ),
    Call(
        "PUT",
        "/api/v1/workspaces/acme/topics/waiting",
        Role.ANALYST,
        json={"name_en": "Waiting time", "name_fr": "Attente", "keywords": ["queue"]},
    ),
    Call("DELETE", "/api/v1/workspaces/acme/topics/waiting", Role.ANALYST),
    Call("GET", "/api/v1/workspaces/acme/corrections", Role.ANALYST),
    Call(
        "POST",
        "/api/v1/workspaces/acme/corrections",
        Role.ANALYST,
        201,
        json={"feedback_id": "{feedback_id}", "kind": "sentiment", "value": "negative"},
    ),
    Call("GET", "/api/v1/workspaces/acme/personas", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/personas/ana", Role.VIEWER),
    Call(
        "POST",
        "/api/v1/workspaces/acme/personas",
        Role.ANALYST,
        201,
        json={"key": "bob", "name": "Bob", "needs": ["Speed"]},
    ),
    Call(
        "PUT",
        "/api/v1/workspaces/acme/personas/ana",
        Role.ANALYST,
        json={"name": "Ana", "quote": "Faster, please.", "segment": "pro"},
    ),
    Call("DELETE", "/api/v1/workspaces/acme/personas/zoe", Role.ANALYST, 204),
    Call("GET", "/api/v1/workspaces/acme/journeys", Role.VIEWER),
    Call(
        "PUT",
        "/api/v1/workspaces/acme/journeys/sample",
        Role.ANALYST,
        json=_journey_document("sample"),
    ),
    Call("DELETE", "/api/v1/workspaces/acme/journeys/sample", Role.ANALYST, 204),
    Call("POST", "/api/v1/workspaces/acme/journeys", Role.ANALYST, 201, json=_journey_document()),
    Call("GET", "/api/v1/workspaces/acme/journeys/sample", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/journeys/sample/overlay", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/paths", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/paths/conformance", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/cases", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/cases/queue", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/cases/1", Role.VIEWER),
    Call("POST", "/api/v1/workspaces/acme/cases", Role.ANALYST, 201, json={"subject": "Late"}),
    Call("POST", "/api/v1/workspaces/acme/cases/1/replies", Role.ANALYST, json={"body": "Hi"}),
    Call("POST", "/api/v1/workspaces/acme/cases/1/notes", Role.ANALYST, json={"body": "Hm"}),
    Call("POST", "/api/v1/workspaces/acme/cases/1/status", Role.ANALYST, json={"status": "closed"}),
    Call("POST", "/api/v1/workspaces/acme/cases/1/assign", Role.ANALYST, json={"priority": "high"}),
    Call("POST", "/api/v1/workspaces/acme/cases/import", Role.ANALYST, upload=str(TICKETS)),
    Call("GET", "/api/v1/workspaces/acme/jobs", Role.ANALYST),
    Call("GET", "/api/v1/workspaces/acme/jobs/{failed_job}", Role.ANALYST),
    Call("POST", "/api/v1/workspaces/acme/jobs/{failed_job}/retry", Role.ANALYST),
    Call("POST", "/api/v1/workspaces/acme/jobs/{queued_job}/cancel", Role.ANALYST),
    Call(
        "POST",
        "/api/v1/workspaces/acme/replies/check",
        Role.ANALYST,
        json={"text": "Hello Sam, your parcel arrives today.", "channel": "chat"},
    ),
    Call("GET", "/api/v1/workspaces/acme/service-levels", Role.VIEWER),
    Call(
        "PUT",
        "/api/v1/workspaces/acme/service-levels",
        Role.ADMIN,
        json={"document": default_document(), "expected_version": 0},
    ),
    Call("GET", "/api/v1/workspaces/acme/service-levels/accounts", Role.VIEWER),
    Call(
        "PUT",
        "/api/v1/workspaces/acme/service-levels/accounts/initech",
        Role.ADMIN,
        json={"name": "Initech", "tier": "enterprise"},
    ),
    Call("DELETE", "/api/v1/workspaces/acme/service-levels/accounts/globex", Role.ADMIN, 204),
    Call("GET", "/api/v1/workspaces/acme/service-levels/incidents", Role.VIEWER),
    Call(
        "POST",
        "/api/v1/workspaces/acme/service-levels/incidents",
        Role.ADMIN,
        201,
        json={"start": "2026-04-02T10:00", "end": "2026-04-02T11:00", "accounts": ["globex"]},
    ),
    Call(
        "DELETE",
        "/api/v1/workspaces/acme/service-levels/incidents/{incident_id}",
        Role.ADMIN,
        204,
    ),
    Call("GET", "/api/v1/workspaces/acme/service-levels/compliance", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/service-levels/credits", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/case-rules", Role.ANALYST),
    Call(
        "POST",
        "/api/v1/workspaces/acme/case-rules",
        Role.ANALYST,
        201,
        json={"name": "Unhappy", "conditions": {"csat_max": 2}, "team": "care"},
    ),
    Call(
        "PUT",
        "/api/v1/workspaces/acme/case-rules/{rule_id}",
        Role.ANALYST,
        json={"name": "Detractors", "conditions": {"nps_max": 5}, "priority": "high"},
    ),
    Call("PUT", "/api/v1/workspaces/acme/case-rules/order", Role.ANALYST, json={"rules": "{all}"}),
    Call("DELETE", "/api/v1/workspaces/acme/case-rules/{rule_id}", Role.ANALYST, 204),
    Call(
        "POST",
        "/api/v1/workspaces/acme/case-rules/apply",
        Role.ANALYST,
        json={"since": "2026-01-01"},
    ),
    Call("GET", "/api/v1/workspaces/acme/ideas", Role.VIEWER),
    Call(
        "POST",
        "/api/v1/workspaces/acme/ideas/{idea_id}/status",
        Role.ANALYST,
        json={"status": "planned", "message": "Next quarter"},
    ),
    Call("GET", "/api/v1/workspaces/acme/ideas/{idea_id}/links", Role.VIEWER),
    Call(
        "POST",
        "/api/v1/workspaces/acme/ideas/{idea_id}/links",
        Role.ANALYST,
        201,
        json={"kind": "case", "target": 1},
    ),
    Call(
        "DELETE",
        "/api/v1/workspaces/acme/ideas/{idea_id}/links/action_plan/{action_id}",
        Role.ANALYST,
        204,
    ),
    Call("GET", "/api/v1/workspaces/acme/help/articles", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/help/articles/{article_id}", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/help/questions", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/help/questions/{question_id}", Role.VIEWER),
    Call(
        "POST",
        "/api/v1/workspaces/acme/help/questions/{question_id}/answers",
        Role.ANALYST,
        201,
        json={"body": "Print the label from your account."},
    ),
    Call("GET", "/api/v1/workspaces/acme/teams", Role.VIEWER),
    Call(
        "POST",
        "/api/v1/workspaces/acme/teams",
        Role.ANALYST,
        201,
        json={"key": "billing", "name": "Billing", "members": ["vera@example.com"]},
    ),
    Call("PUT", "/api/v1/workspaces/acme/teams/care", Role.ANALYST, json={"name": "Customer care"}),
    Call("GET", "/api/v1/workspaces/acme/ownership", Role.VIEWER),
    Call(
        "PUT",
        f"/api/v1/workspaces/acme/ownership/pillar/{PILLAR_KEYS[0]}",
        Role.ANALYST,
        json={"teams": ["care"]},
    ),
    Call("GET", "/api/v1/workspaces/acme/ownership/check", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/teams/care/digest", Role.VIEWER),
    Call("DELETE", "/api/v1/workspaces/acme/teams/care", Role.ANALYST, 204),
    # Action plans: viewers read; analysts plan and act.
    Call("GET", "/api/v1/workspaces/acme/actions", Role.VIEWER),
    Call("POST", "/api/v1/workspaces/acme/actions", Role.ANALYST, 201, json={"title": "FAQ"}),
    Call("GET", "/api/v1/workspaces/acme/actions/{action_id}", Role.VIEWER),
    Call("GET", "/api/v1/workspaces/acme/actions/{action_id}/impact", Role.VIEWER),
    Call(
        "PATCH", "/api/v1/workspaces/acme/actions/{action_id}", Role.ANALYST, json={"progress": 50}
    ),
    Call("DELETE", "/api/v1/workspaces/acme/actions/{action_id}", Role.ANALYST, 204),
    Call(
        "POST",
        "/api/v1/workspaces/acme/actions/{action_id}/comments",
        Role.ANALYST,
        201,
        json={"body": "Started"},
    ),
    Call(
        "POST",
        "/api/v1/workspaces/acme/actions/{action_id}/steps",
        Role.ANALYST,
        201,
        json={"title": "Script"},
    ),
    Call(
        "PATCH",
        "/api/v1/workspaces/acme/actions/{action_id}/steps/{step_id}",
        Role.ANALYST,
        json={"done": True},
    ),
]


RENAMES = {
    "/acme": "/{key}",
    "/waiting": "/{topic_key}",
    "/personas/ana": "/personas/{persona_key}",
    "/journeys/sample": "/journeys/{journey_key}",
    "/members/{member_id}": "/members/{user_id}",
    "/members/{pending_id}": "/members/{user_id}",
    f"/pillars/{PILLAR_KEYS[0]}": "/pillars/{pillar_key}",
    "/segments/students": "/segments/{segment_key}",
    "/surveys/spring": "/surveys/{item_key}",
    "/campaigns/q2": "/campaigns/{item_key}",
    "/personas/zoe": "/personas/{persona_key}",
    "/jobs/{failed_job}": "/jobs/{job_id}",
    "/jobs/{queued_job}": "/jobs/{job_id}",
    "/cases/1": "/cases/{number}",
    "/accounts/initech": "/accounts/{account_key}",
    "/accounts/globex": "/accounts/{account_key}",
    "/teams/care": "/teams/{team_key}",
    f"/ownership/pillar/{PILLAR_KEYS[0]}": "/ownership/{kind}/{subject_key}",
    "/links/action_plan/{action_id}": "/links/{kind}/{target}",
}


def documented_path(path: str) -> str:
    """The OpenAPI path template of a concrete path of the table."""
    for concrete, template in RENAMES.items():
        path = path.replace(concrete, template)
    return path


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, int]
    cx: Cxgap | None = None  # the database the client's app serves, when not the test's

    def call(self, call: Call, token: str | None) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        path = call.path.format(**self.ids)
        json = call.json
        if isinstance(json, dict) and json.get("feedback_id") == "{feedback_id}":
            json = json | {"feedback_id": self.ids["feedback_id"]}
        if isinstance(json, dict) and json.get("rules") == "{all}":
            json = {"rules": [self.ids["rule_id"]]}
        files = None
        if call.upload:
            source = DATA / call.upload  # an absolute path: a file of another folder
            files = {"file": (source.name, source.read_bytes(), "text/csv")}
        return self.client.request(call.method, path, headers=headers, json=json, files=files)

    def happy(self, call: Call) -> Any:
        return self.call(call, self.tokens[call.token or call.role.value])


class SharedApi:
    """One app for a whole module, its SQLite database (and data folder) put back to the
    world of ``serve_api`` before each test. FastAPI 0.165 builds an app's route state (its
    173 routes' dependants and validators) on its first request: 0.6 s on an idle core,
    1–2.5 s on the busy 2-core machine, paid once per module instead of once per test. The app
    keeps nothing else between requests (its state: the database handle and the templates)."""

    def __init__(self, prepared: Prepared, folder: Path) -> None:
        self.prepared, self.data = prepared, folder / "data"
        database = folder / "cxgap.sqlite3"
        shutil.copy(prepared.template, database)
        self.cx = Cxgap(prepared.settings(f"sqlite:///{database}", self.data))
        self.app = app_for(self.cx)

    def fresh(self, client: TestClient) -> Api:
        """The seeded world again, as ``serve_api`` gives it to a new app."""
        shutil.rmtree(self.data, ignore_errors=True)  # uploads and files of the last test
        self.data.mkdir()
        tokens, ids = self.prepared.prepare(self.cx, "api", _seed)
        client.cookies.clear()
        return Api(client, tokens, ids, self.cx)


@contextmanager
def shared_api(prepared: Prepared, folder: Path) -> Iterator[tuple[SharedApi, TestClient]]:
    shared = SharedApi(prepared, folder)
    try:
        with TestClient(shared.app) as client:
            yield shared, client
    finally:
        shared.cx.dispose()


def shared_or_own(
    request: pytest.FixtureRequest, module_api: tuple[SharedApi, TestClient]
) -> Iterator[Api]:
    """serve_api's world in the module's app (``module_api``, tests/web/conftest.py); a test
    that also asks for ``sqlite_cx`` (to read or write the database the API serves) gets its
    own app on that database, as before the app was shared."""
    if "sqlite_cx" in request.fixturenames:
        cx, prepared = request.getfixturevalue("sqlite_cx"), request.getfixturevalue("prepared")
        yield from serve_api(cx, prepared)
        return
    shared, client = module_api
    yield shared.fresh(client)


@pytest.fixture
def api(request: pytest.FixtureRequest, module_api: tuple[SharedApi, TestClient]) -> Iterator[Api]:
    yield from shared_or_own(request, module_api)


def serve_api(cx: Cxgap, prepared: Prepared | None = None) -> Iterator[Api]:
    """Workspace ``acme`` (with a survey, a campaign, a journey, personas, segments, a topic,
    feedback and an import), ``other``, a token per role and a site administrator's; written
    once per session and copied when ``prepared`` is given."""
    tokens, ids = _seed(cx) if prepared is None else prepared.prepare(cx, "api", _seed)
    with TestClient(app_for(cx)) as client:
        yield Api(client, tokens, ids)


def _help_centre(session: Session, acme: Workspace, asker: CommunityPerson) -> dict[str, int]:
    """A category, a published article and a draft, a question with a customer's answer."""
    billing = help_articles.add_category(
        session, workspace=acme, key="billing", name_en="Billing", name_fr="Facturation"
    )
    published = help_articles.save_article(
        session,
        workspace=acme,
        draft=ArticleDraft("Refunds: how long they take", "Within 14 days.", "en", billing.id,
                           published=True),
    )  # fmt: skip
    help_articles.save_article(
        session, workspace=acme, draft=ArticleDraft("Remboursements en magasin", "À écrire.", "fr")
    )
    asked = help_questions.ask(
        session, workspace=acme, person=asker, title="How do I return a sofa?", confirmed=True
    )
    assert asked.question is not None
    help_questions.answer(
        session, workspace=acme, question_id=asked.question.id, body="Call the store first.",
        person=person_by_email(session, workspace=acme, email="dan@example.com", name="Dan"),
    )  # fmt: skip
    return {"article_id": published.id, "question_id": asked.question.id}


def _seed(cx: Cxgap) -> tuple[dict[str, str], dict[str, int]]:
    with cx.transaction() as session:
        acme = make_workspace(session)
        other = make_workspace(session, "other", "Other")
        make_user(session, "adam@example.com", workspace=acme, role="admin")
        make_user(session, "olga@example.com", workspace=other, role="admin")
        make_user(session, "vera@example.com", workspace=acme, role="viewer")
        invitations.invite_member(session, workspace=acme, email="pia@example.com", role="viewer")
        make_user(session, "root@example.com", superuser=True)
        campaigns.create_survey(session, workspace=acme, key="spring", name="Spring")
        campaigns.create_internal_campaign(session, workspace=acme, key="q2", name="Q2")
        journeys.create_journey(session, workspace=acme, journey=sample_journey(3))
        personas.add_persona(session, workspace=acme, persona=Persona(key="zoe", name="Zoé"))
        segments.create_segment(
            session, workspace=acme, key="students", name_en="Students", name_fr="Étudiants"
        )
        taxonomy.create_topic(
            session, workspace=acme, data=TopicInput(key="waiting", name_en="Wait", name_fr="Att")
        )
        item = add_feedback(
            session, acme, "The queue was long.", collected_at=datetime(2026, 3, 1, tzinfo=UTC)
        )
        cases.open_case(session, workspace=acme, feedback_id=item.id)  # case 1
        adam = principal_of(acme.memberships[0].user)
        tokens = {
            role.value: api_tokens.create_workspace_token(
                session, workspace=acme, principal=adam, name=role.value, role=role.value
            )
            for role in ROLES
        }
        olga = load_principal(session, other.memberships[0].user_id)
        assert olga is not None
        tokens["other"] = api_tokens.create_workspace_token(
            session, workspace=other, principal=olga, name="other", role="admin"
        )
        tokens["site"] = accounts.create_api_token(session, email="root@example.com", name="cli")
        failed = jobs_store.enqueue(session, "mail", workspace_id=acme.id, payload={})
        failed.status, failed.error, failed.attempts = "failed", "MailServerError: down", 1
        queued = jobs_store.enqueue(session, "mail", workspace_id=acme.id, payload={})
        service_accounts.save_account(
            session, workspace=acme, key="globex", name="Globex", tier="premium"
        )
        incident = availability_incidents.add_incident(
            session,
            workspace=acme,
            item=availability_incidents.IncidentInput(
                "2026-04-01T10:00", "2026-04-01T10:30", "all"
            ),
        )
        session.flush()
        ids = {
            "failed_job": failed.id,
            "queued_job": queued.id,
            "feedback_id": item.id,
            "member_id": accounts.get_user(session, email="vera@example.com").id,
            "pending_id": accounts.get_user(session, email="pia@example.com").id,
            "incident_id": incident.id,
        }
    outcome = feedback_imports.run_feedback_import(
        cx, workspace_key="acme", source=DATA / "generic.csv", name="generic.csv"
    )
    ids["import_id"] = outcome.import_id
    with cx.transaction() as session:  # after the import: the rule opens none of its cases
        acme = get_workspace(session, "acme")
        teams.create_team(session, workspace=acme, key="care", name="Care")
        detractors = RuleInput("Detractors", {"nps_max": 6}, team_key="care")
        ids["rule_id"] = case_rules.save_rule(session, workspace=acme, rule=detractors).id
        action = action_plans.create_action(
            session, workspace=acme, values={"title": "Call back"}, actor_id=None
        )
        ids["action_id"] = action.id
        ids["step_id"] = action_notes.add_step(session, action=action, title="Script").id
        author = person_by_email(session, workspace=acme, email="cara@example.com")
        ids["idea_id"] = ideas.submit_idea(
            session, workspace=acme, person=author, title="Deliver on Saturdays"
        ).id
        idea_links.link(session, workspace=acme, idea_id=ids["idea_id"], kind="action_plan",
                        target=action.id)  # fmt: skip
        ids |= _help_centre(session, acme, author)
    return tokens, ids


def _label(call: Call) -> str:
    return f"{call.method} {call.path}"


@pytest.mark.parametrize("call", CALLS, ids=_label)
def test_every_route_checks_token_scope_and_role(api: Api, call: Call) -> None:
    refused = api.call(call, None)
    assert refused.status_code == 401, refused.text
    assert refused.json()["error"]["code"] == "unauthenticated"
    if "/workspaces/acme" in call.path:
        elsewhere = api.call(call, api.tokens["other"])
        assert elsewhere.status_code == 403, elsewhere.text
        assert "scoped to workspace 'other'" in elsewhere.json()["error"]["message"]
    if call.role is not Role.VIEWER:
        lower = ROLES[ROLES.index(call.role) - 1]
        weak = api.call(call, api.tokens[lower.value])
        assert weak.status_code == 403, weak.text
        assert weak.json()["error"]["code"] == "forbidden"
    happy = api.happy(call)
    assert happy.status_code == call.status, happy.text


def test_the_table_above_covers_every_route_of_the_document(api: Api) -> None:
    spec = api.client.get("/api/openapi.json").json()
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    tested = {(call.method, documented_path(call.path)) for call in CALLS}
    assert documented == tested


def test_the_openapi_document_is_valid_with_unique_operation_ids(api: Api) -> None:
    spec = api.client.get("/api/openapi.json").json()
    validate(spec)
    operations = [op for ops in spec["paths"].values() for op in ops.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids)) and all(ids)
    for op in operations:
        assert {"401", "403", "404", "422"} <= set(op["responses"]), op["operationId"]
        error = op["responses"]["401"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ErrorOut"}
        success = [s for s in op["responses"] if s.startswith("2")]
        assert success, op["operationId"]
    assert spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_pages_follow_the_next_cursor_to_the_end(api: Api) -> None:
    headers = {"authorization": f"Bearer {api.tokens['viewer']}"}
    url = "/api/v1/workspaces/acme/pillars?limit=4"
    keys: list[str] = []
    while url:
        page = api.client.get(url, headers=headers).json()
        keys += [p["key"] for p in page["items"]]
        url = page["next"] and f"/api/v1/workspaces/acme/pillars?limit=4&cursor={page['next']}"
    everything = api.client.get("/api/v1/workspaces/acme/pillars", headers=headers).json()
    assert keys == [p["key"] for p in everything["items"]] and len(keys) == 10
    bad = api.client.get("/api/v1/workspaces/acme/pillars?cursor=nonsense", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "cursor" and bad.json()["error"]["code"] == "invalid"


def test_answers_posted_come_back_in_the_export(api: Api) -> None:
    headers = {"authorization": f"Bearer {api.tokens['analyst']}"}
    url = "/api/v1/workspaces/acme/customer-answers"
    answers = [customer_form(response_id=f"r{n}", nps=n) for n in (3, 9)]
    assert api.client.post(url, json={"answers": answers}, headers=headers).status_code == 200
    export = api.client.get("/api/v1/workspaces/acme/answers/export", headers=headers)
    assert export.headers["content-type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")  # ; for French Excel
    rows = list(csv.DictReader(io.StringIO(text, newline=""), dialect=dialect))
    assert sorted(int(row["nps"]) for row in rows) == [3, 9]


def test_unknown_api_paths_answer_in_the_error_shape(api: Api) -> None:
    response = api.client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert api.client.get("/no-such-page").status_code == 404


def test_feedback_list_applies_the_listening_filters(api: Api) -> None:
    headers = {"authorization": f"Bearer {api.tokens['viewer']}"}
    url = "/api/v1/workspaces/acme/feedback"
    everything = api.client.get(url, headers=headers).json()["items"]
    stores = api.client.get(url, params={"channel": "store"}, headers=headers).json()["items"]
    assert len(everything) == 7 and [f["channel"] for f in stores] == ["store"]
    searched = api.client.get(url, params={"q": "queue"}, headers=headers).json()["items"]
    assert [f["text"] for f in searched] == ["The queue was long."]
    bad = api.client.get(url, params={"from": "yesterday"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "from"


def test_a_token_of_a_demoted_creator_loses_its_power(api: Api) -> None:
    from cxgap.services.accounts import set_membership

    headers = {"authorization": f"Bearer {api.tokens['admin']}"}
    url = "/api/v1/workspaces/acme/members"
    assert api.client.get(url, headers=headers).status_code == 200
    assert api.cx is not None
    with api.cx.transaction() as session:
        acme = get_workspace(session, "acme")
        set_membership(session, workspace=acme, email="adam@example.com", role="viewer")
    assert api.client.get(url, headers=headers).status_code == 403


def test_a_test_that_asks_for_sqlite_cx_gets_an_app_on_that_database(
    api: Api, sqlite_cx: Cxgap
) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session, "gamma", "Gamma")
    site = {"authorization": f"Bearer {api.tokens['site']}"}
    listed = api.client.get("/api/v1/workspaces", headers=site)
    assert listed.status_code == 200, listed.text
    assert "gamma" in {w["key"] for w in listed.json()}
