"""Migration 0035 gives every persona a reply tone: existing ones get the defaults (vous,
standard) and keep everything else; downgrading removes the columns again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import column, create_engine, insert, inspect, select, table, update

from cxgap.db.migrate import alembic_config, upgrade_database
from cxgap.db.tables import PersonaRow, Workspace
from tests.db.test_migrations import empty_url  # noqa: F401  (the fixture, both backends)

_BEFORE = (
    *("workspace_id", "key", "name", "quote", "needs", "usages", "behaviours"),
    *("needs_fr", "usages_fr", "behaviours_fr", "preferred_channels", "segment_key"),
)


def test_0035_gives_existing_personas_the_default_tone(empty_url: str) -> None:  # noqa: F811
    engine = create_engine(empty_url)
    try:
        upgrade_database(engine, "0033")
        columns = PersonaRow.__table__.c
        old = table("personas", *(column(n, columns[n].type) for n in _BEFORE))
        with engine.begin() as conn:
            conn.execute(insert(Workspace).values(key="acme", name="Acme"))
            conn.execute(
                insert(old).values(
                    workspace_id=1, key="lea", name="Léa", quote="Vite !", needs=["Rapide"],
                    usages=[], behaviours=[], needs_fr=["Rapide"], usages_fr=[],
                    behaviours_fr=[], preferred_channels=["sms"], segment_key="home",
                )
            )  # fmt: skip
        upgrade_database(engine, "0035")
        with engine.begin() as conn:
            lea = conn.execute(select(PersonaRow.__table__)).one()
            conn.execute(update(PersonaRow).values(address="tu", reply_length="short"))
            changed = conn.execute(select(PersonaRow.address, PersonaRow.reply_length)).one()
        with engine.begin() as conn:
            config = alembic_config(empty_url)
            config.attributes["connection"] = conn
            command.downgrade(config, "0033")
        names = {c["name"] for c in inspect(engine).get_columns("personas")}
    finally:
        engine.dispose()
    assert (lea.address, lea.reply_length) == ("vous", "standard")
    assert (lea.name, lea.needs_fr, lea.segment_key) == ("Léa", ["Rapide"], "home")
    assert tuple(changed) == ("tu", "short")
    assert "address" not in names and "reply_length" not in names and "segment_key" in names
