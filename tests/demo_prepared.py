"""The demo workspace as many tests start from it, built once per session (and per xdist
worker) for each shape asked for and copied into each test's database (tests/prepared.py).

Building the demo takes 1.3–3.4 s on a busy 2-core machine (120 to 640 customers), and its
enrichment by tests/enrichment_factory.py ``enrich_demo`` 3–4 s more; a copy takes 0.1–0.2 s.
Tests that change the demo still get their own copy. Tests of the demo builder itself
(tests/demo/, tests/services/test_action_demo.py, tests/test_prepared.py) keep building it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.services.core import Cxgap
from cxgap.services.demo import DEMO_KEY, create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import enrich_demo
from tests.factories import make_user
from tests.prepared import Prepared

# A user of the demo: (e-mail, role): "viewer", "analyst" or "admin" of the demo workspace,
# "superuser" (a site administrator) or "" (an account with no membership).
DemoUser = tuple[str, str]
DEFAULT_CUSTOMERS = 640  # create_demo_workspace's own default


def build_demo(
    session: Session,
    *,
    n_customers: int = DEFAULT_CUSTOMERS,
    locale: str = "en",
    enriched: bool = False,
    users: Sequence[DemoUser] = (),
) -> Workspace:
    """What a test would write itself: the demo (``enriched``: with ``enrich_demo``'s topics
    and enrichments) and ``users``; returns the demo workspace."""
    assert create_demo_workspace(session, n_customers=n_customers, locale=locale)
    workspace = get_workspace(session, DEMO_KEY)
    if enriched:
        enrich_demo(session, workspace)
    add_users(session, workspace, users)
    return workspace


def add_users(session: Session, workspace: Workspace, users: Sequence[DemoUser]) -> None:
    for email, role in users:
        if role == "superuser":
            make_user(session, email, superuser=True)
        elif role:
            make_user(session, email, workspace=workspace, role=role)
        else:
            make_user(session, email)


def prepare_demo(
    prepared: Prepared,
    cx: Cxgap,
    *,
    n_customers: int = DEFAULT_CUSTOMERS,
    locale: str = "en",
    enriched: bool = False,
    users: Sequence[DemoUser] = (),
) -> Cxgap:
    """Give the empty database of ``cx`` what ``build_demo`` writes with these arguments:
    the demo copied (built once per session for each ``n_customers``, ``locale`` and
    ``enriched``, whichever module asks first), then ``users`` added (a few milliseconds
    each with the tests' cheap password hashing). Returns ``cx``."""
    key = f"demo/{n_customers}/{locale}/{'enriched' if enriched else 'plain'}"

    def build(session: Session) -> None:
        build_demo(session, n_customers=n_customers, locale=locale, enriched=enriched)

    prepared.into(cx, key, build)
    if users:
        with cx.transaction() as session:
            add_users(session, get_workspace(session, DEMO_KEY), users)
    return cx
