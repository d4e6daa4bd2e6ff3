"""What the integrity checks say to a leadership reader, in their language: the executive
report's "integrity warnings" (docs/integrity.md, docs/reports.md).

One sentence for the flagged answers (how many, of which kinds), one per flagged shop or
agent (why), and one when leaving the flagged answers out moves the NPS by a point or more.
A workspace with nothing flagged gets no warning."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.i18n import translate
from cxgap.i18n.numbers import format_decimal, format_percent
from cxgap.services.integrity import WorkspaceIntegrity, workspace_integrity

NPS_MOVE_SHOWN = 1.0  # points: a smaller move is noise to a leadership reader


def _flag_label(name: str, locale: str) -> str:
    """A flag's name inside a sentence ("Speeder" → "speeder")."""
    return translate(f"integrity.flag.{name}", locale).lower()


def warnings_of(found: WorkspaceIntegrity, locale: str) -> list[str]:
    """The sentences for a workspace's checked answers."""
    verdicts = found.report.responses
    flagged = [v for v in verdicts if v.flags]
    warnings: list[str] = []
    if flagged:
        kinds = Counter(name for v in flagged for name in v.names)
        listed = ", ".join(
            f"{_flag_label(name, locale)} {count}" for name, count in kinds.most_common()
        )
        warnings.append(
            translate(
                "integrity.warning.answers",
                locale,
                flagged=len(flagged),
                total=len(verdicts),
                share=format_percent(len(flagged) / len(verdicts), locale),
                kinds=listed,
            )
        )
    for agent in found.report.agents:
        if agent.flagged:
            reasons = ", ".join(_flag_label(flag.name, locale) for flag in agent.flags)
            warnings.append(
                translate("integrity.warning.agent", locale, agent=agent.agent, reasons=reasons)
            )
    for move in found.moves:
        change = move.change
        if move.key == "nps" and change is not None and abs(change) >= NPS_MOVE_SHOWN:
            warnings.append(
                translate(
                    "integrity.warning.nps_move",
                    locale,
                    before=format_decimal(move.with_flagged, locale, decimals=1),
                    after=format_decimal(move.without_flagged, locale, decimals=1),
                )
            )
    return warnings


def integrity_warnings(session: Session, workspace: Workspace, locale: str) -> list[str]:
    """The workspace's answers checked now, said in ``locale``."""
    return warnings_of(workspace_integrity(session, workspace=workspace), locale)
