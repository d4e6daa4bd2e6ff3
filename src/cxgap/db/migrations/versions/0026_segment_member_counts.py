"""segment member counts stored per segment, kept by triggers on segment_members

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 09:10:00.000000

The Segments page and a saved rule's check counted ``segment_members`` per segment
(``count(*)`` over the primary key): an index scan of every member, about 12 M entries for
four segments at 10 M feedback items on PostgreSQL (docs/scale.md, "PostgreSQL at 10
million"). ``segment_membership.member_count`` holds the count instead. Triggers keep it,
so that every path that adds or removes members counts, the cascades of a deleted
feedback item included: on PostgreSQL one statement-level trigger per event reading its
transition table (one update per statement, not per row); SQLite has only row-level
triggers. ``db.segment_members.rebuild`` also sets the count itself, since a new segment's
``segment_membership`` row is written after its members.

The counts of a populated database are computed here, once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES = [
    """
    CREATE FUNCTION segment_members_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE segment_membership AS m SET member_count = m.member_count + n.added
        FROM (SELECT segment_id, count(*) AS added FROM new_members GROUP BY segment_id) AS n
        WHERE m.segment_id = n.segment_id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION segment_members_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE segment_membership AS m SET member_count = m.member_count - o.removed
        FROM (SELECT segment_id, count(*) AS removed FROM old_members GROUP BY segment_id) AS o
        WHERE m.segment_id = o.segment_id;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER segment_members_added AFTER INSERT ON segment_members "
    "REFERENCING NEW TABLE AS new_members FOR EACH STATEMENT "
    "EXECUTE FUNCTION segment_members_added()",
    "CREATE TRIGGER segment_members_removed AFTER DELETE ON segment_members "
    "REFERENCING OLD TABLE AS old_members FOR EACH STATEMENT "
    "EXECUTE FUNCTION segment_members_removed()",
]
SQLITE = [
    "CREATE TRIGGER segment_members_added AFTER INSERT ON segment_members BEGIN "
    "UPDATE segment_membership SET member_count = member_count + 1 "
    "WHERE segment_id = NEW.segment_id; END",
    "CREATE TRIGGER segment_members_removed AFTER DELETE ON segment_members BEGIN "
    "UPDATE segment_membership SET member_count = member_count - 1 "
    "WHERE segment_id = OLD.segment_id; END",
]
RECOUNT = (
    "UPDATE segment_membership SET member_count = (SELECT count(*) FROM segment_members "
    "WHERE segment_members.segment_id = segment_membership.segment_id)"
)


def upgrade() -> None:
    with op.batch_alter_table("segment_membership") as batch_op:
        batch_op.add_column(
            sa.Column("member_count", sa.BigInteger(), nullable=False, server_default="0")
        )
    op.execute(RECOUNT)
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS segment_members_added" + _on())
    op.execute("DROP TRIGGER IF EXISTS segment_members_removed" + _on())
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS segment_members_added()")
        op.execute("DROP FUNCTION IF EXISTS segment_members_removed()")
    with op.batch_alter_table("segment_membership") as batch_op:
        batch_op.drop_column("member_count")


def _on() -> str:
    return " ON segment_members" if op.get_bind().dialect.name == "postgresql" else ""
