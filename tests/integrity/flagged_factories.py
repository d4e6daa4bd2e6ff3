"""A workspace with planted flagged answers and its twin without them: the same clean answers,
so every figure computed without the flagged answers must equal the twin's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.services.survey_imports import import_customer_rows
from tests.factories import PILLAR_KEYS, make_workspace

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLEAN = 48
COMMENTS = (  # every sixth clean answer comments, each in its own words (no duplicate)
    "Delivery was quick and the staff were friendly.",
    "The sofa arrived damaged, the after-sales service never called back.",
    "Good value, the showroom advice helped us choose.",
    "Livraison en retard mais le conseiller a été très aimable.",
    "Le site plante au moment du paiement, j'ai dû appeler.",
    "Assembly instructions were unclear; two screws were missing.",
    "Magasin propre, vendeuse patiente, je reviendrai.",
    "Waited forty minutes on the phone to change a delivery slot.",
)


def clean_rows() -> list[dict[str, object]]:
    """Ordinary answers: varied scores, a few minutes each, a real comment, two segments."""
    rows: list[dict[str, object]] = []
    for i in range(CLEAN):
        row: dict[str, object] = {
            "response_id": f"clean-{i:03d}",
            "submitted_at": (START + timedelta(hours=7 * i)).isoformat(),
            "duration_seconds": 140 + (i * 37) % 120,
            "agent": f"Shop {i % 3}",
            "nps": (3, 6, 7, 8, 9, 10, 8, 5)[i % 8],
            "csat": 1 + i % 5,
            "ces": 1 + i % 7,
            "birth_year": 1950 + (i * 7) % 50,
            "segment": ("pro", "home")[i % 2],
        }
        if i % 6 == 0:
            row["comment"] = COMMENTS[i // 6]
        for j, key in enumerate(PILLAR_KEYS):
            row[f"{key}_importance"] = 1 + (i + j) % 5
            row[f"{key}_performance"] = 1 + (i * 3 + j) % 5
        rows.append(row)
    return rows


def flagged_rows() -> list[dict[str, object]]:
    """Planted answers the integrity rules flag: bots (answered in one second) that give a 10
    and a 5 everywhere, and gibberish comments."""
    rows: list[dict[str, object]] = []
    for i in range(8):
        row: dict[str, object] = {
            "response_id": f"planted-{i:03d}",
            "submitted_at": (START + timedelta(hours=7 * i + 3)).isoformat(),
            "duration_seconds": 1,
            "agent": "Shop 0",
            "nps": 10,
            "csat": 5,
            "ces": 1,
            "birth_year": 1990,
            "segment": "pro",
            "comment": ("qsdfgh azerty wxcvbn" if i % 2 else "asdfgh jklqwz zxcvbn") + f" {i}",
        }
        for key in PILLAR_KEYS:
            row[f"{key}_importance"] = 5
            row[f"{key}_performance"] = 5
        rows.append(row)
    return rows


def planted_workspace(session: Session, key: str, *, with_flagged: bool) -> Workspace:
    """The clean answers, and the planted ones when ``with_flagged``."""
    workspace = make_workspace(session, key=key, name=key)
    rows = clean_rows() + (flagged_rows() if with_flagged else [])
    report = import_customer_rows(session, workspace=workspace, rows=rows, source="test")
    assert not report.problems, report.problems
    return workspace
