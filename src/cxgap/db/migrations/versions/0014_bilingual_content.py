"""persona texts and topic descriptions in both languages

Persona needs, usages and behaviours gain French columns (``needs_fr``…; the existing ones
hold English). Each stored persona's texts are moved to the language they were written in:
French when the project's word-marker detector (``text.language.obvious_language``) clearly
says so, English otherwise (an unsure text stays English, where it was).

Topics gain ``description_fr`` (``description`` holds English). A default topic whose
description is still the bundled English one gets the bundled French one; one described
in French (a demo created in French) gets its French text moved to ``description_fr`` and
the bundled English description back in ``description``. Texts an analyst wrote stay in the
language the detector gives them, English when unsure.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 21:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LISTS = ("needs", "usages", "behaviours")
_EMPTY_LIST = sa.text("'[]'")


def upgrade() -> None:
    with op.batch_alter_table("personas", schema=None) as batch_op:
        for name in _LISTS:
            batch_op.add_column(
                sa.Column(f"{name}_fr", sa.JSON(), nullable=False, server_default=_EMPTY_LIST)
            )
    with op.batch_alter_table("topics", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("description_fr", sa.Text(), nullable=False, server_default="")
        )
    bind = op.get_bind()
    _move_french_personas(bind)
    _describe_topics_in_both_languages(bind)


def downgrade() -> None:
    bind = op.get_bind()
    personas = _personas_table()
    for row in bind.execute(sa.select(personas)).mappings():
        # Keep the French texts where no English one exists rather than lose them.
        values = {n: row[n] or row[f"{n}_fr"] for n in _LISTS}
        bind.execute(sa.update(personas).where(personas.c.id == row["id"]).values(**values))
    topics = _topics_table()
    bind.execute(
        sa.update(topics)
        .where(topics.c.description == "")
        .values(description=topics.c.description_fr)
    )
    with op.batch_alter_table("topics", schema=None) as batch_op:
        batch_op.drop_column("description_fr")
    with op.batch_alter_table("personas", schema=None) as batch_op:
        for name in _LISTS:
            batch_op.drop_column(f"{name}_fr")


def _language(text: str) -> str:
    """'fr' when the text is clearly French, else 'en' (unsure stays English)."""
    from cxgap.text.language import obvious_language, words_of

    return "fr" if obvious_language(words_of(text)) == "fr" else "en"


def _personas_table() -> sa.TableClause:
    columns = [sa.column(n, sa.JSON()) for name in _LISTS for n in (name, f"{name}_fr")]
    return sa.table("personas", sa.column("id", sa.Integer()), *columns)


def _topics_table() -> sa.TableClause:
    return sa.table(
        "topics",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("origin", sa.String()),
        sa.column("description", sa.Text()),
        sa.column("description_fr", sa.Text()),
    )


def _move_french_personas(bind: Any) -> None:
    personas = _personas_table()
    for row in bind.execute(sa.select(personas)).mappings():
        lines = [line for name in _LISTS for line in (row[name] or [])]
        if not lines or _language(" ".join(lines)) != "fr":
            continue
        values: dict[str, Any] = {n: [] for n in _LISTS}
        values |= {f"{n}_fr": list(row[n] or []) for n in _LISTS}
        bind.execute(sa.update(personas).where(personas.c.id == row["id"]).values(**values))


def _describe_topics_in_both_languages(bind: Any) -> None:
    try:
        from cxgap.text.taxonomy import DEFAULT_TAXONOMY
        from cxgap.text.taxonomy_fr import FRENCH_DESCRIPTIONS
    except ImportError:  # without the text package there is no default to compare with
        english: dict[str, str] = {}
        french: dict[str, str] = {}
    else:
        english = {spec.key: spec.description for spec in DEFAULT_TAXONOMY}
        french = dict(FRENCH_DESCRIPTIONS)
    topics = _topics_table()
    for row in bind.execute(sa.select(topics)).mappings():
        values = _topic_descriptions(row, english, french)
        if values:
            bind.execute(sa.update(topics).where(topics.c.id == row["id"]).values(**values))


def _topic_descriptions(
    row: Any, english: dict[str, str], french: dict[str, str]
) -> dict[str, str]:
    description = row["description"] or ""
    key = row["key"]
    if row["origin"] == "default" and key in english:
        if description == english[key]:
            return {"description_fr": french.get(key, "")}
        if description == french.get(key):
            return {"description": english[key], "description_fr": description}
    if description and _language(description) == "fr":
        return {"description": "", "description_fr": description}
    return {}
