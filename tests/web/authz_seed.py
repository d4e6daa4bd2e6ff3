"""Two seeded workspaces and a signed-in web client per identity, for the authorisation
matrix (tests/web/test_authorization_matrix.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient

from cxgap.services import accounts, campaigns
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.webhooks.store import add_webhook
from tests.conftest import _settings
from tests.factories import make_user
from tests.listening_factories import add_feedback
from tests.web.conftest import csrf_of, log_in
from tests.web.test_api_routes import Api, serve_api

MARKER = "Zanzibar-acme-only"  # a verbatim of workspace acme: no other identity may see it
IDENTITIES = ("anonymous", "viewer", "analyst", "admin", "other_admin")
EMAILS = {
    "viewer": "vera@example.com",
    "analyst": "anna@example.com",
    "admin": "adam@example.com",
    "other_admin": "olga@example.com",
}


@dataclass
class World:
    api: Api
    clients: dict[str, TestClient]
    csrf: dict[str, str]
    values: dict[str, str]
    routes: dict[tuple[str, str], Any] = field(default_factory=dict)


def seeded_world(template: Path, folder: Path) -> Iterator[World]:
    path = folder / "cxgap.sqlite3"
    shutil.copy(template, path)
    cx = Cxgap(_settings(f"sqlite:///{path}", folder))
    yield from world_on(cx)
    cx.dispose()


def world_on(cx: Cxgap) -> Iterator[World]:
    """The world written in the empty database of ``cx`` (either backend), served."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        for api in serve_api(cx):
            yield _world(cx, api)


def _world(cx: Cxgap, api: Api) -> World:
    with cx.transaction() as session:
        acme = get_workspace(session, "acme")
        make_user(session, EMAILS["analyst"], workspace=acme, role="analyst")
        add_feedback(
            session, acme, f"{MARKER}: lost parcel.", collected_at=datetime(2026, 3, 2, tzinfo=UTC)
        )
        hook = add_webhook(
            session, workspace=acme, url="https://hooks.example.com/x", events=["import.finished"]
        )
        spring = next(s for s, _ in campaigns.surveys_of(session, acme) if s.key == "spring")
        q2 = next(c for c, _ in campaigns.campaigns_of(session, acme) if c.key == "q2")
        values = {
            "survey_token": spring.token,
            "campaign_token": q2.token,
            "webhook_id": str(hook.id),
        }
    values |= {name: str(number) for name, number in api.ids.items()}
    clients: dict[str, TestClient] = {}
    csrf: dict[str, str] = {}
    for identity in IDENTITIES:
        client = TestClient(api.client.app, follow_redirects=False)
        if identity in EMAILS:
            log_in(client, EMAILS[identity])
        csrf[identity] = csrf_of(
            client.get("/login" if identity == "anonymous" else "/account").text
        )
        clients[identity] = client
    return World(api, clients, csrf, values)
