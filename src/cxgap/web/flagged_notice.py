"""The notice every result page shows when answers are flagged: how many, whether they are
counted, how much the headline figures move, and the switch (analysts and admins: logged) or
a look at the other reading (anyone: not logged, the workspace's choice unchanged).

Cheap by construction: the flagged set and the headline figures both ways come from the
cache ``services.flagged`` keeps; nothing flagged, no notice and nothing more computed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.i18n.numbers import format_signed
from cxgap.reporting.formatting import format_number
from cxgap.services.accounts import Role
from cxgap.services.flagged import Mode, flagged_comments, flagged_set
from cxgap.services.integrity import FigureMove

PILLARS_SHOWN = 3  # the pillars that move most; the results page's panel lists them all


@dataclass(frozen=True)
class Move:
    """A headline figure with and without the flagged answers, written for the reader."""

    key: str  # "nps" or a pillar key
    label: str
    with_flagged: str
    without_flagged: str
    change: str | None


@dataclass(frozen=True)
class Notice:
    count: int  # flagged answers
    total: int  # answers checked
    mode: Mode
    moves: tuple[Move, ...]  # NPS first, then the pillars that move most
    verbatims: int | None  # Listening: the flagged answers' comments among its verbatims
    can_switch: bool
    here: str  # the page's path, where the switch comes back to
    other_url: str  # the page in the other reading


def flagged_notice(
    session: Session,
    workspace: Workspace,
    *,
    role: Role | str,
    mode: Mode,
    here: str,
    locale: str,
    listening: bool = False,
) -> Notice | None:
    """The notice of a page at ``here`` showing ``mode``; None when nothing is flagged."""
    found = flagged_set(session, workspace)
    if not found.count:
        return None
    nps = [m for m in found.moves if m.key == "nps"]
    pillars = sorted(
        (m for m in found.moves if m.key != "nps" and m.change is not None),
        key=lambda m: -abs(m.change or 0.0),
    )[:PILLARS_SHOWN]
    other = "include" if mode == "exclude" else "exclude"
    return Notice(
        count=found.count,
        total=found.total,
        mode=mode,
        moves=tuple(_written(m, locale) for m in (*nps, *pillars)),
        verbatims=flagged_comments(session, workspace, found) if listening else None,
        can_switch=role in (Role.ANALYST, Role.ADMIN),
        here=here,
        other_url=f"{here}?flagged={other}",
    )


def _written(move: FigureMove, locale: str) -> Move:
    """NPS in whole points and its change to a tenth; a pillar's mean and change to a
    hundredth (as the results panel writes them: a move never reads as 0 when it is not)."""
    nps = move.key == "nps"
    decimals = 0 if nps else 2
    change = None
    if move.change is not None:
        change = format_signed(move.change, locale, decimals=1 if nps else 2)
    return Move(
        move.key,
        move.label_fr if locale == "fr" else move.label_en,
        format_number(move.with_flagged, locale, decimals=decimals),
        format_number(move.without_flagged, locale, decimals=decimals),
        change,
    )
