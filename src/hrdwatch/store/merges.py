"""Merges (issue 9): what a merge changed, value by value, so that a split puts back exactly that.

A merge is a list of :class:`~hrdwatch.store.case_views.ColumnChange`: ``table`` row ``id``,
``column`` from ``before`` to ``after``. With ``column`` :data:`ROW` the change adds a row
(``before`` None, ``after`` the row's values) or removes one (the reverse). Each change applies
only if the row still holds ``before`` (undo: ``after``), so nothing changed since is overwritten
silently: E318 instead, and the caller's transaction rolls back.

Storage only: which rows a merge moves is decided by the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    CursorResult,
    Result,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from hrdwatch.errors import Errors, StoreError
from hrdwatch.store import tables as t
from hrdwatch.store.case_views import ColumnChange, MergeView

#: the ``column`` of a change that adds or removes a whole row
ROW = "*"


def record_merge(
    session: Session,
    *,
    kind: str,
    survivor_id: str,
    absorbed_id: str,
    changes: Sequence[ColumnChange],
    created_by: str | None,
) -> str:
    """Store what a merge did (``kind``: ``entity``, ``incident`` or ``case``); returns its id."""
    row = t.Merge(
        id=t.new_id(),
        kind=kind,
        survivor_id=survivor_id,
        absorbed_id=absorbed_id,
        changes=[_plain_change(c) for c in changes],
        created_at=t.utcnow(),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row.id


def apply_changes(session: Session, changes: Sequence[ColumnChange]) -> None:
    """Make these changes, in order. E318 if a row no longer holds a change's ``before``."""
    session.flush()
    for change in changes:
        _apply(session, change, change.before, change.after)
    session.expire_all()


def undo_merge(session: Session, merge_id: str, *, undone_by: str | None) -> MergeView:
    """Put back every value the merge changed (last change first) and mark it undone."""
    row = session.get(t.Merge, merge_id)
    if row is None or row.undone_at is not None:
        raise StoreError(Errors.E318, reason=f"merge {merge_id} is unknown or already undone")
    session.flush()
    for change in reversed([_change(c) for c in row.changes]):
        _apply(session, change, change.after, change.before)
    session.expire_all()  # the row is read again from the database on first use
    row.undone_at, row.undone_by = t.utcnow(), undone_by
    session.flush()
    return _merge(row)


def merge_by_id(session: Session, merge_id: str) -> MergeView | None:
    row = session.get(t.Merge, merge_id)
    return _merge(row) if row is not None else None


def merges_of(session: Session, subject_id: str) -> tuple[MergeView, ...]:
    """The merges this entity, incident or case survived or was absorbed by, newest first."""
    stmt = select(t.Merge).where((t.Merge.survivor_id == subject_id) | (t.Merge.absorbed_id == subject_id))
    return tuple(_merge(r) for r in session.scalars(stmt.order_by(t.Merge.created_at.desc(), t.Merge.id)))


def _merge(row: t.Merge) -> MergeView:
    return MergeView(
        id=row.id,
        kind=row.kind,
        survivor_id=row.survivor_id,
        absorbed_id=row.absorbed_id,
        changes=tuple(_change(c) for c in row.changes),
        created_at=row.created_at,
        created_by=row.created_by,
        undone_at=row.undone_at,
        undone_by=row.undone_by,
    )


def _change(stored: dict[str, Any]) -> ColumnChange:
    return ColumnChange(stored["table"], stored["id"], stored["column"], stored["before"], stored["after"])


def _plain_change(change: ColumnChange) -> dict[str, Any]:
    """The change as JSON values (timestamps as ISO text)."""
    return {
        "table": change.table,
        "id": change.id,
        "column": change.column,
        "before": _plain(change.before),
        "after": _plain(change.after),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _typed(column: Column[Any], value: Any) -> Any:
    """A stored JSON value back in the column's Python type (timestamps from ISO text)."""
    if isinstance(value, str) and isinstance(column.type, t.UTCDateTime):
        return datetime.fromisoformat(value)
    return value


def _apply(session: Session, change: ColumnChange, old: Any, new: Any) -> None:
    table = t.Base.metadata.tables[change.table]
    if change.column == ROW:
        done = _put_row(session, table, new) if old is None else _drop_row(session, table, change)
    else:
        column = table.c[change.column]
        stmt = (
            update(table)
            .where(*_key(table, change, old), *_holds(column, old))
            .values({change.column: _typed(column, new)})
        )
        done = _count(session.execute(stmt))
    if done != 1:
        where = f"{change.table} {change.id}"
        raise StoreError(Errors.E318, reason=f"{where}: {change.column} is no longer {_plain(old)!r}")


def _key(table: Table, change: ColumnChange, current: Any) -> list[ColumnElement[bool]]:
    """The row's key columns as they are now (``current`` when the change is to a key column)."""
    key = dict(change.id) if isinstance(change.id, dict) else {"id": change.id}
    if change.column in key:
        key[change.column] = current
    return [table.c[name] == value for name, value in key.items()]


def _holds(column: Column[Any], value: Any) -> list[ColumnElement[bool]]:
    """The column still holds ``value`` (JSON columns are not compared: no SQL equality for JSON)."""
    if isinstance(column.type, JSON):
        return []
    return [column.is_(None) if value is None else column == _typed(column, value)]


def _put_row(session: Session, table: Table, values: dict[str, Any]) -> int:
    typed = {name: _typed(table.c[name], value) for name, value in values.items()}
    session.execute(insert(table).values(typed))  # added, or an IntegrityError
    return 1


def _drop_row(session: Session, table: Table, change: ColumnChange) -> int:
    return _count(session.execute(delete(table).where(*_key(table, change, None))))


def _count(result: Result[Any]) -> int:
    """Rows the statement wrote."""
    return result.rowcount if isinstance(result, CursorResult) else 0
