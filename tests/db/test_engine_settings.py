"""Session settings cxgap gives every PostgreSQL connection."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from cxgap.db.engine import make_engine, postgres_options


def test_jit_is_off_unless_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CXGAP_PG_JIT", raising=False)
    assert postgres_options() == {"options": "-c jit=off"}
    assert postgres_options("0") == {"options": "-c jit=off"}
    assert postgres_options(" 1 ") == {}


def test_a_cxgap_connection_runs_without_jit(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    plain = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar() == "off"
        with plain.connect() as conn:  # the server's own default is left alone
            assert conn.execute(text("SHOW jit")).scalar() == "on"
    finally:
        engine.dispose()
        plain.dispose()


def test_cxgap_pg_jit_1_keeps_the_servers_setting(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXGAP_PG_JIT", "1")
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar() == "on"
    finally:
        engine.dispose()
