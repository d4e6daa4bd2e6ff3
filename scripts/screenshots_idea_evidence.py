"""Screenshots of the ideas' link to Listening (docs/community.md): an idea's verbatims on
the team's evidence page and on the idea's team page, the count and topics on its public
page, and the ideas beside the irritants of the Listening topics page, in English and
French, desktop (1280 px) and phone (390 px), into docs/screenshots/idea-evidence-*.png.

Runs cxgap on a throw-away SQLite database with the demo, enriched and matched as
``make run`` does it (the enrichment, then the ``idea_evidence`` job's work); prints each
demo idea's count of verbatims.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, PASSWORD, served, shoot, sign_in
from sqlalchemy import select

from cxgap.cli import enrich
from cxgap.db.tables import Idea
from cxgap.services import accounts, idea_evidence
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.idea_evidence_pages import evidence_counts
from cxgap.services.workspaces import get_workspace

IDEA: list[int] = []


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        accounts.create_user(session, email="cx@example.com", password=PASSWORD, is_superuser=True)
    enrich.enrich("demo", database_url=cx.settings.database_url)
    idea_evidence.refresh_workspace(cx.sessions, "demo")
    with cx.transaction() as session:
        counts = evidence_counts(session, get_workspace(session, "demo"))
        for idea in session.scalars(select(Idea).order_by(Idea.id)):
            print(f"{idea.id:>3} {counts.get(idea.id, '-')!s:>5}  {idea.title}")
        IDEA.append(max(counts, key=lambda i: counts[i]))


def main() -> None:
    with served(setup) as (base, browser):
        team = sign_in(browser, base, "cx@example.com", FIREFOX)
        shoot(team, "idea-evidence-team", f"{base}/w/demo/ideas/{IDEA[0]}/evidence")
        shoot(team, "idea-evidence-team-idea", f"{base}/w/demo/ideas/{IDEA[0]}")
        shoot(team, "idea-evidence-topics", f"{base}/w/demo/listening/topics")
        visitor = browser.new_context(user_agent=FIREFOX).new_page()
        shoot(visitor, "idea-evidence-public", f"{base}/community/demo/ideas/{IDEA[0]}")


if __name__ == "__main__":
    main()
