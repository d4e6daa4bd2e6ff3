"""A page's <title> is plain text: a template that opens a section inside its title block
shows markup in the browser's tab and puts the page body twice in the document."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.web.conftest import log_in

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
PAGES = ("/", "/account", "/audit", "/admin/sso", "/w/acme", "/w/acme/members")


def test_the_titles_of_the_account_and_security_pages_hold_no_markup(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "root@example.com", workspace=workspace, role="admin", superuser=True)
    log_in(sqlite_client, "root@example.com")
    for path in PAGES:
        response = sqlite_client.get(path)
        assert response.status_code == 200, path
        titles = TITLE.findall(response.text)
        assert len(titles) == 1 and "<" not in titles[0], (path, titles[:1])
