"""The SQL of a new public survey answer, few statements and built once.

An answer sent to a survey link under load (``services/public_answers.py``) costs a handful
of statements: the survey and its workspace (one join), the pillar and segment keys (one
``UNION ALL``), the rate limit (one ``INSERT … SELECT`` that counts and claims in the same
statement; on PostgreSQL after an advisory lock on the client), the response, its pillar
scores, and the workspace's revision (one of its sharded counters,
``db/revisions.py``). The statements are built on first use and kept: only
their parameters change from one answer to the next, so SQLAlchemy's compiled cache serves
them and no expression is rebuilt per answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Insert,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.sql.elements import TextClause

from cxgap.db.tables import (
    Base,
    CustomerPillarScore,
    CustomerResponse,
    CustomerSurvey,
    Pillar,
    Segment,
    SurveyRateHit,
)


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


# pg_advisory_xact_lock(namespace, key): the namespace keeps these locks apart from others
# (the same as services/answers.check_rate_limit, so both paths take the same lock).
RATE_LOCK_NAMESPACE = 0x63786772  # "cxgr"


@dataclass
class SurveyLink:
    """What an answer needs to know of the survey behind a link."""

    survey_id: int
    workspace_id: int
    is_open: bool
    invitation_only: bool


@dataclass(frozen=True)
class AnswerKeys:
    """The keys an answer is checked against: active pillars (key → id) and segments."""

    pillar_ids: dict[str, int]
    segment_keys: frozenset[str]


@cache
def _survey_statement() -> Select[Any]:
    survey = _table(CustomerSurvey).c
    return select(survey.id, survey.workspace_id, survey.is_open, survey.invitation_only).where(
        survey.token == bindparam("token")
    )


def survey_link(conn: Connection, token: str) -> SurveyLink | None:
    row = conn.execute(_survey_statement(), {"token": token}).first()
    if row is None:
        return None
    return SurveyLink(int(row[0]), int(row[1]), bool(row[2]), bool(row[3]))


@cache
def _keys_statement() -> Any:
    pillar, segment = _table(Pillar).c, _table(Segment).c
    pillars = select(literal_column("'p'").label("kind"), pillar.key, pillar.id).where(
        pillar.workspace_id == bindparam("workspace_id"), pillar.retired_at.is_(None)
    )
    segments = select(literal_column("'s'").label("kind"), segment.key, segment.id).where(
        segment.workspace_id == bindparam("workspace_id")
    )
    return union_all(pillars, segments)


def answer_keys(conn: Connection, workspace_id: int) -> AnswerKeys:
    pillar_ids: dict[str, int] = {}
    segment_keys: set[str] = set()
    for kind, key, row_id in conn.execute(_keys_statement(), {"workspace_id": workspace_id}):
        if kind == "p":
            pillar_ids[str(key)] = int(row_id)
        else:
            segment_keys.add(str(key))
    return AnswerKeys(pillar_ids, frozenset(segment_keys))


@cache
def _advisory_lock() -> TextClause:
    return text("SELECT pg_advisory_xact_lock(:namespace, :key)")


@cache
def _claim_statement() -> Insert:
    """Insert the client's hit only while it has fewer than ``limit`` in the window: the
    count and the claim are one statement, so on SQLite they run under the write lock the
    statement takes (the gate, ``db/sqlite_gate.py``) and no other answer slips between."""
    hits = _table(SurveyRateHit).c
    recent = (
        select(func.count())
        .select_from(_table(SurveyRateHit))
        .where(hits.client_hash == bindparam("client_hash"), hits.at >= bindparam("since"))
        .scalar_subquery()
    )
    values = select(
        bindparam("client_hash", type_=hits.client_hash.type),
        bindparam("at", type_=hits.at.type),
    ).where(recent < bindparam("limit"))
    table = _table(SurveyRateHit)
    return insert(table).from_select(["client_hash", "at"], values).returning(table.c.id)


def claim_rate_slot(
    conn: Connection, *, fingerprint: str, limit: int, now: datetime, since: datetime
) -> bool:
    """Count this answer against the client's limit; False (nothing written) when the
    client already sent ``limit`` answers since ``since``."""
    if conn.dialect.name == "postgresql":
        key = int(fingerprint[:8], 16) - 2**31  # as services/answers.check_rate_limit
        conn.execute(_advisory_lock(), {"namespace": RATE_LOCK_NAMESPACE, "key": key})
    params = {"client_hash": fingerprint, "at": now, "since": since, "limit": limit}
    # RETURNING rather than rowcount, which psycopg leaves at -1 for INSERT … SELECT.
    return conn.execute(_claim_statement(), params).first() is not None


@cache
def _response_statement() -> Insert:
    return insert(_table(CustomerResponse)).returning(_table(CustomerResponse).c.id)


def insert_response(conn: Connection, row: Mapping[str, object]) -> int:
    """The response's id. An answer key already stored raises ``IntegrityError`` (the unique
    ``(workspace_id, external_id)``): the caller then takes the path that replaces it."""
    return int(conn.execute(_response_statement(), dict(row)).scalar_one())


@cache
def _scores_statement() -> Insert:
    return insert(_table(CustomerPillarScore))


def insert_scores(conn: Connection, rows: Sequence[Mapping[str, object]]) -> None:
    if rows:
        conn.execute(_scores_statement(), [dict(r) for r in rows])


@cache
def _purge_statement() -> Any:
    hits = _table(SurveyRateHit).c
    return delete(_table(SurveyRateHit)).where(hits.at < bindparam("before"))


def purge_rate_hits(conn: Connection, before: datetime) -> None:
    """Forget hits older than the window (they no longer count: housekeeping only)."""
    conn.execute(_purge_statement(), {"before": before})
