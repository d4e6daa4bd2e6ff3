"""The demo's shops, answer times and one gamed shop for the integrity page to find.

Six shops share the demo's answers at random; in ``GAMED`` most answers are turned into a 9
or 10 and a few comments report the staff asking for a 10 (seeded, so the demo repeats).
Every web-like answer gets a duration drawn from a log-normal around 2½ minutes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from cxgap.db.tables import CustomerResponse
from cxgap.schema import CustomerAnswer

SHOPS = (
    "Paris Opéra",
    "Lyon Part-Dieu",
    "Lille Centre",
    "Bordeaux Lac",
    "Nantes Atlantis",
    "Marseille Prado",
)
GAMED = "Lyon Part-Dieu"
BEGGING = {
    "fr": (
        "Le vendeur m'a demandé de mettre 10, sinon il serait pénalisé.",
        "On m'a expliqué que seul un 10 compte pour eux.",
        "Mettez-moi 10 svp, m'a dit la conseillère à la caisse.",
    ),
    "en": (
        "The clerk asked me to give him a 10, otherwise it counts against him.",
        "Give us a 10 please, she said at the till.",
        "They told me only a 10 counts.",
    ),
}


def with_shops(
    answers: Sequence[CustomerAnswer], seed: int
) -> tuple[list[CustomerAnswer], list[str], list[float]]:
    """The answers (the gamed shop's changed), each answer's shop and its duration."""
    rng = random.Random(seed + 13)
    shops = [rng.choice(SHOPS) for _ in answers]
    durations = [round(rng.lognormvariate(5.0, 0.45), 1) for _ in answers]
    changed = []
    begged = 0
    for answer, shop in zip(answers, shops, strict=True):
        if shop == GAMED and rng.random() < 0.7:
            answer = replace(answer, nps=rng.choice((9, 10, 10)))
            if begged < 6 and rng.random() < 0.25:
                phrases = BEGGING["fr" if answer.language == "fr" else "en"]
                comment = f"{answer.comment} {phrases[begged % len(phrases)]}".strip()
                answer = replace(answer, comment=comment)
                begged += 1
        changed.append(answer)
    return changed, shops, durations


def store_shops(
    session: Session, ids: Sequence[int], shops: Sequence[str], durations: Sequence[float]
) -> None:
    """Each stored answer's shop and duration, in one executemany."""
    rows = [
        {"row_id": i, "shop": shop, "seconds": seconds}
        for i, shop, seconds in zip(ids, shops, durations, strict=True)
    ]
    if not rows:
        return
    table = cast(Table, CustomerResponse.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values(agent=bindparam("shop"), duration_seconds=bindparam("seconds"))
    )
    session.connection().execute(statement, rows)
