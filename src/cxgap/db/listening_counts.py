"""Keeping the Listening counts (``db.listening_count_tables``) equal to the rows.

Every change to feedback or to an enrichment is bracketed by two set-based statements per
table, in the transaction of the change: :func:`retract` subtracts what the records about to
change contribute (``INSERT … SELECT … GROUP BY`` of negative counts, merged by
``ON CONFLICT … DO UPDATE SET n = n + excluded.n``, on SQLite and PostgreSQL alike), the
change runs, and :func:`add` adds what the same records contribute now. A record inserted is
only added, a record deleted only retracted. No Python runs per record, and the counts are
exactly those :func:`rebuild` computes from scratch: the same SELECT, over fewer records.

A count brought to zero is deleted (for the workspace, through a partial index on ``n = 0``),
so the tables hold what :func:`rebuild` would and do not grow with the churn.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    Table,
    any_,
    bindparam,
    column,
    delete,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from cxgap.db import listening_count_build, listening_count_merge, search_index
from cxgap.db.listening_count_keys import shared, unenriched, with_enrichment
from cxgap.db.listening_count_parts import OF_ENRICHED as OF_ENRICHED
from cxgap.db.listening_count_parts import OUTCOMES as OUTCOMES
from cxgap.db.listening_count_parts import PARTS as PARTS
from cxgap.db.listening_count_parts import SCORES as SCORES
from cxgap.db.listening_count_parts import SEGMENT_TABLES as SEGMENT_TABLES
from cxgap.db.listening_count_parts import SENTIMENTS as SENTIMENTS
from cxgap.db.listening_count_parts import TABLES as TABLES
from cxgap.db.listening_count_parts import Part, table_of
from cxgap.db.member_rows import Built
from cxgap.db.tables import Feedback, TextEnrichment

Database = Session | Connection

# A record's upkeep (one feedback added, edited, masked; one text enriched) runs ~20 INSERT …
# SELECT statements whose construction in Python cost 0.2-0.4 s per call, for a few ms of SQL.
# Through its records' ids (``_among``) every such call has the same statements but for two
# values: they are built once per dialect, sign and table, with these parameters.
_WORKSPACE = "counts_workspace_id"
_IDS = "counts_ids"
_BUILT: dict[tuple[str, int, bool, Any], Any] = {}
# The same for a membership's upkeep (``merge_members``): a few shapes of scope per table.
_BUILT_MEMBERS: Built[tuple[str, int, str, Any], Any] = Built(256)


def _table(model: Any) -> Table:
    return table_of(model)


def _dialect(db: Database) -> str:
    if isinstance(db, Connection):
        return db.dialect.name
    return db.get_bind().dialect.name


def _select(
    dialect: str,
    key: tuple[str, ...],
    part: Part,
    workspace_id: int | BindParameter[int] | None,
    scope: ColumnElement[bool] | None,
    *,
    plain: bool = False,
) -> Select[Any]:
    """The part's SELECT. ``plain``: none of the scope's texts is enriched, so the outer
    join to the enrichments would give NULLs on every row: it is left out and its columns
    are the values those NULLs give (a probe per record saved)."""
    own, measures, source, where = part
    columns = shared(dialect)
    if plain:
        source = unenriched(source)
        none = {"enriched": literal(0), "language": literal(""), "sentiment": literal("")}
        columns |= {**none, "found": literal("")}  # the findings' topics: none
        if "topics" in own:  # an enrichment's topics, '' when there is none
            own = {**own, "topics": literal("")}
    keys = [own[name] if name in own else columns[name] for name in key]
    workspace: Any = Feedback.workspace_id
    if isinstance(workspace_id, BindParameter):
        workspace = workspace_id
    elif workspace_id is not None:
        workspace = literal(workspace_id)
    conditions = list(where)
    if workspace_id is not None:
        conditions.append(Feedback.workspace_id == workspace_id)
    if scope is not None:
        conditions.append(scope)
    labelled = [k.label(name) for k, name in zip(keys, key, strict=True)]
    measured = [m.label(f"measure_{i}") for i, m in enumerate(measures)]
    query = select(workspace.label("workspace_id"), *labelled, *measured).select_from(source)
    # SQLite needs a WHERE before the upsert's ON CONFLICT (its parser's ambiguity).
    query = query.where(*conditions) if conditions else query.where(true())
    group = [Feedback.workspace_id, *keys] if workspace_id is None else keys
    return query.group_by(*group)


def _merge(
    db: Database,
    sign: int,
    workspace_id: int | None,
    scope: ColumnElement[bool] | None,
    models: tuple[Any, ...] = TABLES,
    *,
    indexed: bool = False,
) -> None:
    dialect = _dialect(db)
    ids: list[int] | None = None  # the records of the scope, when found (see _BUILT)
    if workspace_id is not None and scope is not None and indexed:
        # A scope an index finds (an import's id): used as it is; only whether one of its
        # texts is enriched is asked, not every record's id fetched and sent back.
        one = select(literal(1)).select_from(with_enrichment(inner=True))
        found_one = db.execute(one.where(Feedback.workspace_id == workspace_id, scope).limit(1))
        enriched = found_one.first() is not None
    elif workspace_id is not None and scope is not None:
        # The records of the scope, found once (an import's scope is a semi-join on its
        # stage, an OR the planner cannot probe an index for): every statement below then
        # reads them by primary key instead of evaluating the scope over the workspace.
        found = db.execute(
            select(Feedback.id, TextEnrichment.id.is_not(None))
            .select_from(with_enrichment())
            .where(Feedback.workspace_id == workspace_id, scope)
        ).all()
        if not found:
            return
        ids = [row[0] for row in found]
        # Records none of whose texts is enriched (an import, a first enrichment's retract)
        # count in no table that joins the enrichment: those statements are skipped.
        enriched = any(row[1] for row in found)
    else:
        enriched = True
    params: dict[str, Any] | None = None
    if ids is not None:
        params = {_WORKSPACE: workspace_id, _IDS: _ids_value(dialect, ids)}
    plain = not enriched
    with _hashed(db, dialect, indexed):
        for model, own_key, measures, builders in PARTS:
            if model not in models or (not enriched and model in OF_ENRICHED):
                continue
            if params is None:
                part = (model, own_key, measures, builders)
                db.execute(_statement(dialect, sign, part, workspace_id, scope, plain))
                continue
            built = _BUILT.get((dialect, sign, plain, model))
            if built is None:
                part = (model, own_key, measures, builders)
                workspace = bindparam(_WORKSPACE, type_=Integer)
                built = _statement(dialect, sign, part, workspace, _among_ids(dialect), plain)
                _BUILT[(dialect, sign, plain, model)] = built
            db.execute(built, params)
    if sign < 0:
        _drop_zeros(db, workspace_id)


def merge_members(
    db: Database,
    sign: int,
    workspace_id: int,
    shape: str,
    scope: Callable[[], ColumnElement[bool]],
    params: dict[str, Any],
    models: tuple[Any, ...],
) -> None:
    """``_merge`` of a membership change (a scope an index finds, over another table: no
    probe), through statements built once per dialect, sign, table and ``shape``: ``scope()``
    makes the scope with bind parameters, ``params`` gives their values."""
    dialect = _dialect(db)
    values = {_WORKSPACE: workspace_id, **params}
    with _hashed(db, dialect, True):
        for model, own_key, measures, builders in PARTS:
            if model not in models:
                continue
            part = (model, own_key, measures, builders)

            def build(part: Any = part) -> Any:
                workspace = bindparam(_WORKSPACE, type_=Integer)
                return _statement(dialect, sign, part, workspace, scope(), False)

            db.execute(_BUILT_MEMBERS.get((dialect, sign, shape, model), build), values)
    if sign < 0:
        _drop_zeros(db, workspace_id)


def _statement(
    dialect: str,
    sign: int,
    part: tuple[Any, tuple[str, ...], tuple[str, ...], list[Any]],
    workspace_id: int | BindParameter[int] | None,
    scope: ColumnElement[bool] | None,
    plain: bool,
) -> Any:
    """The upsert of one table: what the scope's records count for, times ``sign``."""
    model, own_key, measures, builders = part
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = _table(model)
    key = ["workspace_id", *own_key]
    selects = [
        _select(dialect, own_key, b(sign), workspace_id, scope, plain=plain) for b in builders
    ]
    chosen = selects[0]
    if len(selects) > 1:
        every = union_all(*selects).subquery()
        # SQLite needs a WHERE before the upsert's ON CONFLICT (its parser's ambiguity).
        chosen = select(*every.c).where(true())
    statement = make(table).from_select([*key, *measures], chosen)
    return statement.on_conflict_do_update(
        index_elements=key,
        set_={m: table.c[m] + statement.excluded[m] for m in measures},
    )


@contextmanager
def _hashed(db: Database, dialect: str, wanted: bool) -> Iterator[None]:
    """PostgreSQL groups an import's rows by hashing rather than sorting them, inside the
    block. Why: the planner has no statistics on rows just copied (their import id is new),
    expects one row and sorts; 200,000 rows sorted on their seven key columns spilled to
    disk and took 0.8 s of a statement's 1.4 s, where a hash of their ~2,000 groups takes
    a fraction. Restored after: the rest of the transaction plans as before."""
    if not (wanted and dialect == "postgresql"):
        yield
        return
    before = db.execute(select(func.current_setting("enable_sort"))).scalar_one()
    db.execute(select(func.set_config("enable_sort", "off", True)))
    yield  # an error rolls the transaction back, and the setting with it (LOCAL)
    db.execute(select(func.set_config("enable_sort", before, True)))


def _among(dialect: str, ids: list[int]) -> ColumnElement[bool]:
    """``Feedback.id`` in ``ids``, as one parameter (an array on PostgreSQL, a JSON array
    on SQLite), however many: no statement grows with them."""
    if dialect == "postgresql":
        return Feedback.id == any_(literal(ids, postgresql.ARRAY(Integer)))
    values: Select[Any] = select(column("value")).select_from(
        func.json_each(literal(json.dumps(ids)))
    )
    return Feedback.id.in_(values)


def _among_ids(dialect: str) -> ColumnElement[bool]:
    """``_among`` with the ids as the parameter ``counts_ids`` (``_ids_value``)."""
    if dialect == "postgresql":
        return Feedback.id == any_(bindparam(_IDS, type_=postgresql.ARRAY(Integer)))
    values: Select[Any] = select(column("value")).select_from(
        func.json_each(bindparam(_IDS, type_=String))
    )
    return Feedback.id.in_(values)


def _ids_value(dialect: str, ids: list[int]) -> list[int] | str:
    return ids if dialect == "postgresql" else json.dumps(ids)


def _drop_zeros(db: Database, workspace_id: int | None) -> None:
    """Delete the counts brought to zero (the partial index ``ix_*_zero`` finds them)."""
    for model in TABLES:
        table = _table(model)
        condition = table.c.n == 0
        if workspace_id is not None:
            condition = condition & (table.c.workspace_id == workspace_id)
        db.execute(delete(table).where(condition))


def retract(db: Database, workspace_id: int, scope: ColumnElement[bool]) -> None:
    """Subtract what the records of ``scope`` count for now (before they change or go)."""
    _merge(db, -1, workspace_id, scope)


def add(
    db: Database,
    workspace_id: int,
    scope: ColumnElement[bool],
    *,
    indexed: bool = False,
    search: bool = True,
    new: bool = False,
) -> None:
    """Add what the records of ``scope`` count for now (after they came or changed).
    ``indexed``: the scope is one an index finds by itself (``Feedback.import_id == i``):
    its records' keys computed once into a work table, each table a ``GROUP BY`` of it
    (``listening_count_merge``), rather than every statement computing them again. ``search``: their
    rows in the search's index made current too (``search_index.refresh``: every writer
    that keeps the counts keeps the search's index); imports pass False, their rows go in
    by the ``index_search`` job after them (``search_index.defer``). ``new``: rows inserted
    by this transaction and nothing else yet, so in no segment: the tables per segment are
    left alone (their membership, written after, moves them: ``db.segment_members``)."""
    models = tuple(m for m in TABLES if m not in SEGMENT_TABLES) if new else TABLES
    if indexed and listening_count_merge.enabled:  # an import's: keys computed once
        with _hashed(db, _dialect(db), True):  # its groups, too, hashed rather than sorted
            others = listening_count_merge.add(db, workspace_id, scope, models)
        if others:
            _merge(db, 1, workspace_id, scope, others, indexed=indexed)
    else:
        _merge(db, 1, workspace_id, scope, models, indexed=indexed)
    if search:
        search_index.refresh(db, workspace_id, scope)


@contextmanager
def changing(db: Database, workspace_id: int, scope: ColumnElement[bool]) -> Iterator[None]:
    """Records of ``scope`` change inside the block: retracted before, added after (their
    search rows with them)."""
    retract(db, workspace_id, scope)
    yield
    add(db, workspace_id, scope)


def rebuild(db: Database, workspace_id: int) -> None:
    """The workspace's counts from its rows (the repair tool), in one grouped pass; its
    search rows made current too (``search_index.refresh``)."""
    for model in TABLES:
        db.execute(delete(_table(model)).where(_table(model).c.workspace_id == workspace_id))
    listening_count_build.build(db, workspace_id, TABLES)
    search_index.refresh(db, workspace_id, true())


def rebuild_all(db: Database, models: tuple[Any, ...] = TABLES) -> None:
    """Every workspace's counts from empty tables, in one grouped pass. ``models``: only
    those tables (a migration fills the tables it creates, no later one)."""
    for model in models:
        db.execute(delete(_table(model)))
    listening_count_build.build(db, None, models)
