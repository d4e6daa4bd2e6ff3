"""Screenshots of the community's power users (docs/community.md): a person's public badge
page and the leaderboard, in English and French, desktop (1280 px) and phone (390 px), into
docs/screenshots/badges-*.png; and the badge page's Open Graph card as badges-card.png.

Runs cxgap on a throw-away SQLite database with the demo's community.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, served, shoot
from sqlalchemy import select

from cxgap.db.tables import CommunityPerson
from cxgap.services.demo import create_demo_workspace

SLUG: list[str] = []


def setup(cx: object, _folder: Path) -> None:
    with cx.transaction() as session:  # type: ignore[attr-defined]
        create_demo_workspace(session, n_customers=160)
        query = select(CommunityPerson.public_slug).where(
            CommunityPerson.public_slug.is_not(None), CommunityPerson.display_name != ""
        )
        SLUG.extend(session.scalars(query.order_by(CommunityPerson.id)))


def main() -> None:
    with served(setup) as (base, browser):
        visitor = browser.new_context(user_agent=FIREFOX).new_page()
        shoot(visitor, "badges-person", f"{base}/community/demo/people/{SLUG[0]}")
        shoot(visitor, "badges-leaderboard", f"{base}/community/demo/leaderboard")
        card = visitor.request.get(f"{base}/community/demo/people/{SLUG[0]}/card.png?lang=fr")
        Path("docs/screenshots/badges-card.png").write_bytes(card.body())


if __name__ == "__main__":
    main()
