"""Public pages of the community's people (``docs/community.md``, "Power users and badges"):
a person's badge page with its Open Graph card, so a badge can be shown on a social profile,
and the leaderboard."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.community.card import badge_card
from cxgap.errors import NotFoundError
from cxgap.services import badge_editor, badge_pages
from cxgap.services.community_reputation import Standing
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page

router = APIRouter()


def _badges(standing: Standing, locale: str) -> list[str]:
    return [
        spec.name(locale) + (f" ×{copies}" if copies > 1 else "")
        for spec, copies in standing.badges
    ]


@router.get("/community/{key}/people/{slug}", response_class=HTMLResponse)
def person(
    request: Request, key: str, slug: str, session: SessionDep, settings: SettingsDep
) -> Response:
    try:
        found = badge_pages.badge_page(session, workspace_key=key, slug=slug)
    except NotFoundError:
        return page(request, "community/person.html", {"missing": True}, status_code=404)
    locale = locale_of(request)
    base = public_base(request, settings)
    context = {
        "missing": False,
        "brand": found.workspace.name,
        "key": key,
        "standing": found.standing,
        "badge_names": _badges(found.standing, locale),
        "page_url": f"{base}/community/{key}/people/{slug}?lang={locale}",
        "card_url": f"{base}/community/{key}/people/{slug}/card.png?lang={locale}",
        "uploaded": {  # badges showing an image the team uploaded instead of an icon
            badge: f"/community/{key}/badges/images/{image_id}.png"
            for badge, image_id in badge_editor.uploaded_images(session, found.workspace).items()
        },
    }
    return page(request, "community/person.html", context)


@router.get("/community/{key}/people/{slug}/card.png")
def card(request: Request, key: str, slug: str, session: SessionDep) -> Response:
    try:
        found = badge_pages.badge_page(session, workspace_key=key, slug=slug)
    except NotFoundError:
        return Response(status_code=404)
    locale = locale_of(request)
    standing = found.standing
    png = badge_card(
        brand=found.workspace.name,
        name=standing.display_name,
        level=standing.level.name(locale),
        badges=_badges(standing, locale),
    )
    return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/community/{key}/leaderboard", response_class=HTMLResponse)
def leaderboard(request: Request, key: str, session: SessionDep) -> Response:
    try:
        workspace, rows = badge_pages.leaderboard(session, workspace_key=key)
    except NotFoundError:
        return page(request, "community/person.html", {"missing": True}, status_code=404)
    locale = locale_of(request)
    context = {
        "rows": [(row, _badges(row, locale)) for row in rows],
        "key": key,
        "brand": workspace.name,
    }
    return page(request, "community/leaderboard.html", context)
