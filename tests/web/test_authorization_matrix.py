"""The authorisation matrix: every route of the app (pages and API, enumerated from
``app.routes``, so that a new route fails here until it is classified) × five identities
(anonymous, viewer, analyst and admin of workspace ``acme``, admin of workspace ``other``).

Expected: anonymous gets the login redirect (pages) or 401 (JSON and the API), except on the
public routes listed in ``PUBLIC``; a signed-in identity below the route's role gets 403 or
404 — from the authorisation check, not from the CSRF guard (every write carries a valid CSRF
token and the fields the route requires); the admin of the other workspace gets 404 (pages) or
403 (API tokens are scoped to their workspace), never 200 and never ``acme``'s data; nobody
ever gets a 5xx. Allowed identities read every page; allowed writes change data, so they are
left to each feature's own tests (the API's in ``test_api_routes.py``).

One seeded SQLite database for the module; the refused writes change nothing, so it stays
valid for every case.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import UploadFile
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from cxgap.services.accounts import Role
from tests.factories import PILLAR_KEYS
from tests.web.authz_seed import IDENTITIES, MARKER, World, seeded_world
from tests.web.conftest import csrf_of
from tests.web.test_api_routes import CALLS, Call, documented_path

JSON_BODY: dict[str, Any] = {"json": {}}


@dataclass(frozen=True)
class Rule:
    """Who may call a route: ``public``, ``user`` (anyone signed in) or a workspace role."""

    role: str
    # Statuses an allowed identity may get besides 200 (a seeded id the page needs is absent).
    also: frozenset[int] = frozenset()
    send: dict[str, Any] = field(default_factory=dict, hash=False)  # the fields it requires


def rule(role: str, *also: int, **send: Any) -> Rule:
    return Rule(role, frozenset(also), send)


PUBLIC = {
    ("GET", "/login"): rule("public", 303),
    ("POST", "/login"): rule("public", 422),
    ("GET", "/login/password"): rule("public", 303),
    ("POST", "/login/password"): rule("public", 422),
    ("GET", "/invite/{token}"): rule("public", 410),
    ("POST", "/invite/{token}"): rule("public", 422),
    ("POST", "/logout"): rule("public", 303),
    ("GET", "/s/{token}"): rule("public"),
    ("POST", "/s/{token}"): rule("public", 403, 422),
    ("GET", "/s/{token}/thanks"): rule("public", 404),
    ("GET", "/a/{token}"): rule("public"),
    ("POST", "/a/{token}"): rule("public", 403, 422),
    ("GET", "/a/{token}/result"): rule("public", 404),
    ("POST", "/a/{token}/another"): rule("public", 303),
    ("GET", "/optout/{token}"): rule("public", 404),
    ("POST", "/optout/{token}"): rule("public", 404),
    ("GET", "/community/unsubscribe/{token}"): rule("public", 404),
    ("POST", "/community/unsubscribe/{token}"): rule("public", 404),
    ("GET", "/community/preferences/{token}"): rule("public", 404),
    ("POST", "/community/preferences/{token}"): rule("public", 404),
    ("GET", "/community/{key}/people/{slug}"): rule("public", 404),
    ("GET", "/community/{key}/people/{slug}/card.png"): rule("public", 404),
    ("GET", "/community/{key}/leaderboard"): rule("public", 404),
    ("GET", "/community/{key}/badges/images/{image_id}.png"): rule("public", 404),
    # The idea board's public pages (no idea 1 in this world).
    ("GET", "/community/{key}/ideas"): rule("public"),
    ("GET", "/community/{key}/roadmap"): rule("public"),
    ("GET", "/community/{key}/changelog"): rule("public"),
    ("GET", "/community/{key}/ideas/{idea_id}"): rule("public", 404),
    ("POST", "/community/{key}/ideas/{idea_id}/vote"): rule("public", 404),
    ("POST", "/community/{key}/ideas/{idea_id}/follow"): rule("public", 404),
    ("POST", "/community/{key}/ideas/{idea_id}/comments"): rule("public", 403, 404),
    ("GET", "/community/{key}/ideas/similar"): rule("public"),
    ("GET", "/community/{key}/ideas/new"): rule("public"),
    ("POST", "/community/{key}/ideas/new"): rule("public", 422),
    ("POST", "/community/{key}/signin"): rule("public", 422),
    ("GET", "/community/{key}/signin/{token}"): rule("public", 404),
    # The help centre: acme has no article or question in this world.
    ("GET", "/community/{key}/help"): rule("public"),
    ("GET", "/community/{key}/help/articles/{article_id}"): rule("public", 404),
    ("POST", "/community/{key}/help/articles/{article_id}/helpful"): rule("public", 404),
    ("GET", "/community/{key}/help/questions"): rule("public"),
    ("POST", "/community/{key}/help/questions"): rule("public", 422),
    ("GET", "/community/{key}/help/questions/{question_id}"): rule("public", 404),
    ("POST", "/community/{key}/help/questions/{question_id}/answers"): rule("public", 404),
    ("POST", "/community/{key}/help/questions/{question_id}/accept"): rule("public", 404),
    ("POST", "/community/{key}/help/answers/{answer_id}/helpful"): rule("public", 404),
    # The recovery survey of a closed case: no such link in this world.
    ("GET", "/r/{token}"): rule("public", 404),
    ("POST", "/r/{token}"): rule("public", 404),
    ("GET", "/r/{token}/thanks"): rule("public", 404),
    ("GET", "/api/docs"): rule("public"),
    ("GET", "/api/openapi.json"): rule("public"),
    # Single sign-on is not configured in this world: both answer a page saying so, never 5xx.
    ("GET", "/sso/start"): rule("public", 303, 400, 404, 409, 503),
    ("GET", "/sso/callback"): rule("public", 303, 400, 404, 409, 503),
    # A service menu answers only once its workspace publishes it (none in this world).
    ("GET", "/menu/{slug}"): rule("public", 404),
}

SIGNED_IN = {
    ("GET", "/"): rule("user"),
    ("GET", "/account"): rule("user"),
    ("POST", "/account/password"): rule("user"),
    ("POST", "/account/tokens"): rule("user"),
    ("POST", "/workspaces"): rule("user"),
    ("POST", "/account/sessions/{session_id}/end"): rule("user"),
    ("POST", "/account/sessions/end-all"): rule("user"),
}

# Instance-wide pages: the audit log is for admins of any workspace (each sees only the
# events of the workspaces they administer); single sign-on settings for instance admins.
ANY_ADMIN, SUPERUSER = "any_admin", "superuser"
INSTANCE_PAGES = {
    ("GET", "/audit"): rule(ANY_ADMIN),
    ("GET", "/audit.csv"): rule(ANY_ADMIN),
    ("GET", "/admin/sso"): rule(SUPERUSER),
    ("POST", "/admin/sso/policy"): rule(SUPERUSER),
    ("POST", "/admin/sso/mappings"): rule(SUPERUSER),
    ("POST", "/admin/sso/mappings/delete"): rule(SUPERUSER),
    ("GET", "/admin/jobs"): rule(SUPERUSER),
    ("POST", "/admin/jobs/{job_id}/{action}"): rule(SUPERUSER, 404),
}

V, AN, AD = "viewer", "analyst", "admin"
WORKSPACE_PAGES = {
    ("GET", "/w/{key}"): rule(V),
    ("GET", "/w/{key}/pillars"): rule(V),
    ("POST", "/w/{key}/pillars"): rule(AD),
    ("POST", "/w/{key}/pillars/{pillar_key}"): rule(AD),
    ("GET", "/w/{key}/members"): rule(AD),
    ("GET", "/w/{key}/jobs"): rule(AN),
    ("POST", "/w/{key}/report/prepare"): rule(V, 303),
    ("GET", "/w/{key}/report/jobs/{job_id}"): rule(V, 404),
    ("GET", "/w/{key}/gaps"): rule(V),
    ("GET", "/w/{key}/reports/executive"): rule(V),
    ("POST", "/w/{key}/reports/executive/generate"): rule(V, 303),
    ("GET", "/w/{key}/reports/executive/jobs/{job_id}"): rule(V, 404),
    ("POST", "/w/{key}/reports/executive/schedule"): rule(AD, 303),
    ("POST", "/w/{key}/jobs/{job_id}/{action}"): rule(AN, 404),
    ("POST", "/w/{key}/members"): rule(AD),
    ("POST", "/w/{key}/members/{user_id}/invitation"): rule(AD),
    ("POST", "/w/{key}/members/{user_id}/password"): rule(AD),
    ("POST", "/w/{key}/members/{user_id}/sessions/end"): rule(AD),
    ("GET", "/w/{key}/ideas"): rule(V),
    ("GET", "/w/{key}/ideas/{idea_id}/evidence"): rule(V),  # the ideas' verbatims
    ("POST", "/w/{key}/ideas/statuses"): rule(AN),
    ("POST", "/w/{key}/ideas/settings"): rule(AN),
    ("POST", "/w/{key}/ideas/{idea_id}/status"): rule(AN),
    ("POST", "/w/{key}/ideas/{idea_id}/merge"): rule(AN),
    ("POST", "/w/{key}/ideas/{idea_id}/moderation"): rule(AN),
    # The community's team pages: analysts tag ideas, admins edit levels, badges, the board.
    ("POST", "/w/{key}/ideas/{idea_id}/tags"): rule(AN),
    ("GET", "/w/{key}/community/tags"): rule(V),
    ("POST", "/w/{key}/community/tags"): rule(AN),
    ("POST", "/w/{key}/community/tags/{tag_id}"): rule(AN),
    ("POST", "/w/{key}/community/tags/{tag_id}/delete"): rule(AN),
    ("GET", "/w/{key}/community/levels"): rule(AD),
    ("POST", "/w/{key}/community/levels"): rule(AD),
    ("GET", "/w/{key}/community/badges"): rule(AD),
    ("GET", "/w/{key}/community/board"): rule(AD),
    ("POST", "/w/{key}/community/board"): rule(AD),
    ("POST", "/w/{key}/community/badges"): rule(AD),
    ("GET", "/w/{key}/community/badges/new"): rule(AD),
    ("GET", "/w/{key}/community/badges/{badge_id}"): rule(AD, 404),
    ("POST", "/w/{key}/community/badges/{badge_id}"): rule(AD),
    ("POST", "/w/{key}/community/badges/{badge_id}/active"): rule(AD),
    ("POST", "/w/{key}/community/badges/{badge_id}/delete"): rule(AD),
    # An idea's team page and its links to action plans and cases (no idea 1 in this world).
    ("GET", "/w/{key}/ideas/{idea_id}"): rule(V, 404),
    ("POST", "/w/{key}/ideas/{idea_id}/links"): rule(AN),
    ("POST", "/w/{key}/ideas/{idea_id}/links/delete"): rule(AN),
    ("POST", "/w/{key}/ideas/{idea_id}/complete"): rule(AN),
    ("GET", "/w/{key}/collect"): rule(V),
    ("POST", "/w/{key}/collect/campaigns"): rule(AN),
    ("POST", "/w/{key}/collect/surveys"): rule(AN),
    ("POST", "/w/{key}/collect/{kind}/{item_key}/toggle"): rule(AN),
    ("POST", "/w/{key}/collect/surveys/{survey_key}/invitations"): rule(AN),
    ("GET", "/w/{key}/collect/surveys/{survey_key}/mail"): rule(AN),
    ("GET", "/w/{key}/collect/surveys/{survey_key}/links"): rule(AN),
    ("POST", "/w/{key}/collect/surveys/{survey_key}/mail"): rule(AN),
    ("POST", "/w/{key}/collect/surveys/{survey_key}/mail/waves/{wave_id}/{action}"): rule(AN),
    ("GET", "/w/{key}/results"): rule(V),
    ("GET", "/w/{key}/results/method"): rule(V),
    ("GET", "/w/{key}/results.json"): rule(V),
    ("GET", "/w/{key}/results/response-rates"): rule(V),
    ("GET", "/w/{key}/integrity"): rule(AN),
    ("POST", "/w/{key}/integrity/choice"): rule(AN, 303),
    ("GET", "/w/{key}/report.html"): rule(V),
    ("GET", "/w/{key}/export/{name}.csv"): rule(AN),
    ("GET", "/w/{key}/journeys"): rule(V),
    ("GET", "/w/{key}/journeys/new"): rule(AN),
    ("POST", "/w/{key}/journeys/new"): rule(AN),
    ("GET", "/w/{key}/journeys/{journey_key}"): rule(V),
    ("GET", "/w/{key}/journeys/{journey_key}.json"): rule(V),
    ("PUT", "/w/{key}/journeys/{journey_key}.json"): rule(AN, **JSON_BODY),
    ("GET", "/w/{key}/journeys/{journey_key}.svg"): rule(V),
    ("GET", "/w/{key}/journeys/{journey_key}.png"): rule(V),
    ("GET", "/w/{key}/journeys/{journey_key}.pdf"): rule(V),
    ("GET", "/w/{key}/journeys/{journey_key}/compare"): rule(V, 404),  # needs ?with=
    ("GET", "/w/{key}/journeys/{journey_key}/edit"): rule(AN),
    ("POST", "/w/{key}/journeys/{journey_key}/target"): rule(AN),
    ("POST", "/w/{key}/journeys/{journey_key}/delete"): rule(AN, data={"revision": "1"}),
    ("POST", "/w/{key}/journeys/{journey_key}/topic-suggestions"): rule(AN, **JSON_BODY),
    ("GET", "/w/{key}/journey-import"): rule(AN),
    ("GET", "/w/{key}/events/import"): rule(AN),
    ("POST", "/w/{key}/events/import"): rule(
        AN, files={"file": ("e.csv", b"case,time,activity\n", "text/csv")}
    ),
    ("POST", "/w/{key}/events/mapping"): rule(AN),
    ("GET", "/w/{key}/events/import/jobs/{job_id}"): rule(AN, 404),
    (
        "POST",
        "/w/{key}/journey-import",
    ): rule(AN, files={"file": ("j.json", b"{}", "application/json")}),
    ("GET", "/w/{key}/personas"): rule(V),
    ("GET", "/w/{key}/paths"): rule(V),
    ("GET", "/w/{key}/paths/conformance"): rule(V),
    ("GET", "/w/{key}/retention"): rule(V),
    ("GET", "/w/{key}/value"): rule(V),
    ("GET", "/w/{key}/personas/new"): rule(AN),
    ("POST", "/w/{key}/personas/new"): rule(AN),
    ("GET", "/w/{key}/personas/{persona_key}"): rule(V),
    ("GET", "/w/{key}/personas/{persona_key}/edit"): rule(AN),
    ("POST", "/w/{key}/personas/{persona_key}/edit"): rule(AN),
    ("POST", "/w/{key}/personas/{persona_key}/delete"): rule(AN),
    ("GET", "/w/{key}/listening"): rule(V),
    ("GET", "/w/{key}/listening/verbatims.json"): rule(V),
    ("GET", "/w/{key}/listening/topics"): rule(V),
    ("GET", "/w/{key}/listening/topics.json"): rule(V),
    ("GET", "/w/{key}/listening/trends"): rule(V),
    ("GET", "/w/{key}/listening/trends.json"): rule(V),
    ("GET", "/w/{key}/listening/drivers"): rule(V),
    ("GET", "/w/{key}/listening/drivers.json"): rule(V),
    ("GET", "/w/{key}/listening/export.{fmt}"): rule(AN),
    ("POST", "/w/{key}/listening/exact"): rule(V, 303),
    ("GET", "/w/{key}/listening/exact/{job_id}"): rule(V, 404),
    ("GET", "/w/{key}/listening/enrichment"): rule(V),
    ("GET", "/w/{key}/listening/enrichment.json"): rule(V),
    ("POST", "/w/{key}/listening/enrichment"): rule(AN),
    ("GET", "/w/{key}/listening/taxonomy"): rule(V),
    ("GET", "/w/{key}/listening/taxonomy.json"): rule(V),
    ("POST", "/w/{key}/listening/taxonomy"): rule(AN),
    ("GET", "/w/{key}/listening/taxonomy/{topic_key}"): rule(V),
    ("POST", "/w/{key}/listening/taxonomy/{topic_key}"): rule(AN),
    ("GET", "/w/{key}/listening/emerging"): rule(V),
    ("GET", "/w/{key}/listening/emerging/status"): rule(V),
    ("GET", "/w/{key}/listening/emerging.json"): rule(V),
    ("POST", "/w/{key}/listening/emerging/recompute"): rule(AN),
    ("POST", "/w/{key}/listening/feedback/{feedback_id}/labels"): rule(AN),
    ("GET", "/w/{key}/import"): rule(AN),
    ("POST", "/w/{key}/import"): rule(AN),
    ("GET", "/w/{key}/import/template.csv"): rule(AN),
    ("GET", "/w/{key}/import/feedback"): rule(AN),
    ("POST", "/w/{key}/import/feedback"): rule(AN),
    ("GET", "/w/{key}/import/feedback/imports/{import_id}"): rule(AN),
    ("GET", "/w/{key}/import/feedback/imports/{import_id}.json"): rule(AN),
    ("GET", "/w/{key}/import/feedback/imports/{import_id}/problems.csv"): rule(AN),
    ("GET", "/w/{key}/import/feedback/{token}"): rule(AN, 404),  # an upload not kept
    ("POST", "/w/{key}/import/feedback/{token}"): rule(AN),
    ("POST", "/w/{key}/import/feedback/{token}/mapping-file"): rule(AN),
    ("POST", "/w/{key}/import/feedback/{token}/discard"): rule(AN),
    ("GET", "/w/{key}/import/feedback/{token}/progress"): rule(AN, 404),
    # Cases: viewers read the queue and the cases; analysts act and edit the rules and teams.
    ("GET", "/w/{key}/cases"): rule(V),
    ("POST", "/w/{key}/cases"): rule(AN),
    ("GET", "/w/{key}/cases/rules"): rule(AN),
    ("POST", "/w/{key}/cases/rules"): rule(AN),
    ("POST", "/w/{key}/cases/rules/apply"): rule(AN),
    ("POST", "/w/{key}/cases/rules/{rule_id}/{action}"): rule(AN, 404),
    ("POST", "/w/{key}/cases/teams"): rule(AN),
    ("POST", "/w/{key}/cases/teams/{team_key}"): rule(AN, 422),
    ("POST", "/w/{key}/cases/teams/{team_key}/delete"): rule(AN, 422),
    ("POST", "/w/{key}/cases/recovery-default"): rule(AN),
    ("GET", "/w/{key}/cases/{number}"): rule(V),
    ("POST", "/w/{key}/cases/{number}/reply"): rule(AN),
    ("POST", "/w/{key}/cases/{number}/status"): rule(AN),
    ("POST", "/w/{key}/cases/{number}/assign"): rule(AN),
    ("POST", "/w/{key}/cases/{number}/reopen"): rule(AN),
    ("GET", "/w/{key}/case-imports"): rule(AN),
    ("POST", "/w/{key}/case-imports"): rule(AN),
    # Case 1 is open and has no customer e-mail: the survey is refused, nothing sent.
    ("POST", "/w/{key}/cases/{number}/recovery"): rule(AN, 422),
    ("POST", "/w/{key}/listening/feedback/{feedback_id}/case"): rule(AN, 303),
    # Action plans: viewers read the plan and each action; analysts plan and act.
    ("GET", "/w/{key}/actions"): rule(V),
    ("POST", "/w/{key}/actions"): rule(AN),
    ("GET", "/w/{key}/actions/new"): rule(AN),
    ("POST", "/w/{key}/actions/reminders"): rule(AN),
    ("GET", "/w/{key}/actions/{action_id}"): rule(V),
    ("POST", "/w/{key}/actions/{action_id}"): rule(AN),
    ("GET", "/w/{key}/actions/{action_id}/edit"): rule(AN),
    ("POST", "/w/{key}/actions/{action_id}/status"): rule(AN),
    ("POST", "/w/{key}/actions/{action_id}/steps"): rule(AN),
    ("POST", "/w/{key}/actions/{action_id}/steps/{step_id}"): rule(AN),
    ("POST", "/w/{key}/actions/{action_id}/comments"): rule(AN),
    ("POST", "/w/{key}/actions/{action_id}/delete"): rule(AN),
    # Ownership: viewers read the owners and the teams' digests; analysts assign owners.
    ("GET", "/w/{key}/ownership"): rule(V),
    ("POST", "/w/{key}/ownership"): rule(AN, 422),
    ("GET", "/w/{key}/teams/{team_key}/digest"): rule(V, 404),
    ("GET", "/w/{key}/segments"): rule(V),
    ("POST", "/w/{key}/segments"): rule(AN),
    ("GET", "/w/{key}/segments/{segment_key}"): rule(V),
    ("POST", "/w/{key}/segments/{segment_key}"): rule(AN),
    ("GET", "/w/{key}/integrations"): rule(AD),
    ("POST", "/w/{key}/integrations/tokens"): rule(AD),
    ("POST", "/w/{key}/integrations/tokens/{token_id}/revoke"): rule(AD),
    ("POST", "/w/{key}/integrations/webhooks"): rule(AD),
    ("POST", "/w/{key}/integrations/webhooks/{webhook_id}/remove"): rule(AD),
    ("GET", "/w/{key}/service-levels"): rule(V),
    ("GET", "/w/{key}/service-levels.json"): rule(V),
    ("GET", "/w/{key}/service-levels/{section}"): rule(V),
    ("POST", "/w/{key}/service-levels/{section}"): rule(AD),
    ("POST", "/w/{key}/service-levels/publication"): rule(AD),
    ("POST", "/w/{key}/service-levels/import"): rule(AD),
    ("GET", "/w/{key}/service-levels/accounts"): rule(V),
    ("POST", "/w/{key}/service-levels/accounts"): rule(AD),
    ("POST", "/w/{key}/service-levels/accounts/{account_key}/delete"): rule(AD),
    ("GET", "/w/{key}/service-levels/incidents"): rule(V),
    ("GET", "/w/{key}/service-levels/credits"): rule(V),
    ("POST", "/w/{key}/service-levels/incidents"): rule(AD),
    ("POST", "/w/{key}/service-levels/incidents/import"): rule(AD),
    ("POST", "/w/{key}/service-levels/incidents/{incident_id}/delete"): rule(AD),
    # The help centre's team pages: analysts write articles and answer as the team.
    ("GET", "/w/{key}/help"): rule(AN),
    ("POST", "/w/{key}/help/categories"): rule(AN),
    ("GET", "/w/{key}/help/articles/new"): rule(AN),
    ("POST", "/w/{key}/help/articles"): rule(AN),
    ("GET", "/w/{key}/help/articles/{article_id}"): rule(AN, 404),
    ("POST", "/w/{key}/help/articles/{article_id}"): rule(AN),
    ("POST", "/w/{key}/help/articles/{article_id}/publish"): rule(AN),
    ("POST", "/w/{key}/help/questions/{question_id}/answers"): rule(AN),
    ("POST", "/w/{key}/help/questions/{question_id}/accept"): rule(AN),
}

PAGE_RULES = PUBLIC | SIGNED_IN | INSTANCE_PAGES | WORKSPACE_PAGES
LEVEL = {"public": 0, "user": 0, V: Role.VIEWER.level, AN: Role.ANALYST.level, AD: Role.ADMIN.level}
IDENTITY_LEVEL = {"viewer": LEVEL[V], "analyst": LEVEL[AN], "admin": LEVEL[AD]}


def app_routes(app: Any) -> dict[tuple[str, str], Any]:
    """Every route by (method, full path), included routers opened."""
    found: dict[tuple[str, str], Any] = {}

    def walk(routes: list[Any], prefix: str = "") -> None:
        for route in routes:
            router = getattr(route, "original_router", None)
            if router is not None:
                context = getattr(route, "include_context", None)
                walk(router.routes, prefix + (getattr(context, "prefix", "") or ""))
            elif hasattr(route, "methods"):
                for method in set(route.methods or ()) - {"HEAD"}:
                    found[(method, prefix + route.path)] = route

    walk(app.routes)
    return found


def _body_params(dependant: Any) -> Iterator[Any]:
    yield from dependant.body_params
    for sub in dependant.dependencies:
        yield from _body_params(sub)


def required_fields(route: Any) -> dict[str, Any]:
    """Form fields and files the route's signature requires, each given a plain value, so
    that a refusal comes from the authorisation check and not from a missing field."""
    if not isinstance(route, APIRoute):
        return {}
    data: dict[str, str] = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    for param in _body_params(route.dependant):
        if param.field_info.annotation is UploadFile:
            files[param.alias] = ("upload.csv", b"a,b\n1,2\n", "text/csv")
        else:
            data[param.alias] = "1"
    return {"data": data, "files": files} if files else {"data": data}


@pytest.fixture(scope="module")
def world(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    for seeded in seeded_world(sqlite_template, tmp_path_factory.mktemp("matrix")):
        seeded.routes = app_routes(seeded.api.client.app)
        yield seeded


def _concrete(path: str, world: World) -> str:
    values = world.values
    filled = {
        "{key}": "acme",
        "{persona_key}": "zoe",
        "{journey_key}": "sample",
        "{pillar_key}": PILLAR_KEYS[0],
        "{user_id}": values["member_id"],
        "{kind}": "surveys",
        "{item_key}": "spring",
        "{survey_key}": "spring",
        "{wave_id}": "1",
        "{action}": "pause",
        "{name}": "customer_answers",
        "{fmt}": "csv",
        "{topic_key}": "waiting",
        "{feedback_id}": values["feedback_id"],
        "{token_id}": "1",
        "{webhook_id}": values["webhook_id"],
        "{import_id}": values["import_id"],
        "{segment_key}": "students",
        "{session_id}": "1",
        "{job_id}": "1",
        "{number}": "1",
        "{rule_id}": "1",
        "{team_key}": "care",
        "{section}": "calendar",
        "{account_key}": "acme-corp",
        "{incident_id}": "1",
        "{slug}": "acme",
        "{action_id}": values["action_id"],
        "{step_id}": values["step_id"],
        "{idea_id}": "1",
        "{article_id}": "1",
        "{question_id}": "1",
        "{answer_id}": "1",
        "{tag_id}": "1",
        "{badge_id}": "1",
        "{image_id}": "1",
    }
    if path.startswith("/s/"):
        filled["{token}"] = values["survey_token"]
    elif path.startswith("/a/"):
        filled["{token}"] = values["campaign_token"]
    else:
        filled["{token}"] = "not-a-kept-upload"
    for name, value in filled.items():
        path = path.replace(name, value)
    return path


def _send(world: World, identity: str, method: str, path: str, rule: Rule) -> Any:
    client: TestClient = world.clients[identity]
    token = world.csrf[identity]
    send = dict(rule.send) or required_fields(world.routes[(method, path)])
    if "json" not in send:
        send["data"] = {**send.get("data", {}), "csrf_token": token}
    if method == "GET":
        send = {}
    headers = {"x-csrf-token": token}
    return client.request(method, _concrete(path, world), headers=headers, **send)


def _refused(response: Any, allowed: set[int]) -> None:
    assert response.status_code in allowed, (response.status_code, response.text[:300])
    assert "did not come from this site" not in response.text  # refused by role, not by CSRF
    assert MARKER not in response.text


def _expects_json(path: str) -> bool:
    return path.endswith(".json")


PAGE_CASES = [
    (method, path, identity)
    for (method, path) in sorted(PAGE_RULES)
    for identity in IDENTITIES
    if (method, path) != ("POST", "/logout")  # it would sign the identity out of the module
]


def test_every_route_of_the_app_is_classified(world: World) -> None:
    """A new page or API route fails here until it is given a rule above (or a Call in
    test_api_routes.CALLS)."""
    routes = set(world.routes)
    api = {(c.method, documented_path(c.path)) for c in CALLS}
    unclassified = routes - PAGE_RULES.keys() - api
    assert unclassified == set(), f"classify these routes: {sorted(unclassified)}"
    assert PAGE_RULES.keys() - routes == set(), "rules for routes that are gone"
    assert len(routes) > 150  # the walk opened the included routers


@pytest.mark.parametrize(("method", "path", "identity"), PAGE_CASES, ids=lambda v: str(v))
def test_pages_answer_each_identity_as_its_role_allows(
    world: World, method: str, path: str, identity: str
) -> None:
    rule = PAGE_RULES[(method, path)]
    if rule.role == "public":
        response = _send(world, identity, method, path, rule)
        assert response.status_code < 500 and MARKER not in response.text
        if method == "GET":
            assert response.status_code in {200, *rule.also}, response.text[:300]
        return
    if identity == "anonymous":
        response = _send(world, identity, method, path, rule)
        if _expects_json(path):
            _refused(response, {401})
        else:
            _refused(response, {303, 401})
            if response.status_code == 303:
                assert response.headers["location"].startswith("/login")
        return
    if rule.role == "user":
        if method == "GET":
            response = _send(world, identity, method, path, rule)
            assert response.status_code == 200 and MARKER not in response.text
        return  # account writes act on the caller's own account, tested with the account
    if rule.role == SUPERUSER:  # none of the five identities is an instance admin
        _refused(_send(world, identity, method, path, rule), {403, 404})
        return
    if rule.role == ANY_ADMIN:
        response = _send(world, identity, method, path, rule)
        if identity in {"admin", "other_admin"}:
            assert response.status_code == 200 and MARKER not in response.text
        else:
            _refused(response, {403, 404})
        return
    if identity == "other_admin":
        _refused(_send(world, identity, method, path, rule), {404})
        return
    if IDENTITY_LEVEL[identity] < LEVEL[rule.role]:
        _refused(_send(world, identity, method, path, rule), {403, 404})
        return
    if method == "GET":
        response = _send(world, identity, method, path, rule)
        assert response.status_code in {200, *rule.also}, response.text[:300]


def test_the_other_workspaces_admin_cannot_read_acmes_audit_log(world: World) -> None:
    client = world.clients["other_admin"]
    for path in ("/audit?workspace=acme", "/audit.csv?workspace=acme"):
        response = client.get(path)
        assert response.status_code in {403, 404, 422}, (path, response.status_code)
    assert world.clients["admin"].get("/audit?workspace=acme").status_code == 200


def test_logout_is_public_and_ends_only_its_own_session(world: World) -> None:
    client = TestClient(world.api.client.app, follow_redirects=False)
    response = client.post("/logout", headers={"x-csrf-token": csrf_of(client.get("/login").text)})
    assert response.status_code == 303
    assert world.clients["viewer"].get("/w/acme").status_code == 200


# --- the REST API: the same identities as tokens ----------------------------------------------

API_TOKENS = {"viewer": "viewer", "analyst": "analyst", "admin": "admin", "other_admin": "other"}


def _api_send(world: World, call: Call, identity: str) -> Any:
    token = world.api.tokens[API_TOKENS[identity]] if identity in API_TOKENS else None
    return world.api.call(call, token)


API_CASES = [
    (call, identity)
    for call in CALLS
    for identity in IDENTITIES
    if "/workspaces/acme" in call.path  # the rest are not about a workspace
]


@pytest.mark.parametrize(
    ("call", "identity"),
    API_CASES,
    ids=lambda v: f"{v.method} {v.path}" if isinstance(v, Call) else v,
)
def test_the_api_answers_each_identity_as_its_role_allows(
    world: World, call: Call, identity: str
) -> None:
    """Every role below the route's (not only the one just below) and the other workspace's
    admin are refused, with nothing of acme in the answer; allowed reads answer 200."""
    if identity == "anonymous":
        _refused(_api_send(world, call, identity), {401})
    elif identity == "other_admin":
        _refused(_api_send(world, call, identity), {403, 404})
    elif IDENTITY_LEVEL[identity] < Role(call.role).level:
        _refused(_api_send(world, call, identity), {403})
    elif call.method == "GET":
        response = _api_send(world, call, identity)
        assert response.status_code == call.status, response.text[:300]
