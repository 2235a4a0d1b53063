"""Hash-chained audit log (issue 7): ``prev_hash``, ``hash`` and ``seal`` on every row, and the
one-row ``audit_head`` that appends lock.

Existing rows are chained in id order and the newest one is sealed with the audit key
(``HRDWATCH_AUDIT_KEY_FILE``), which covers every row before it. The append-only triggers refuse
the UPDATEs this needs, so they are dropped and made again inside the migration's transaction.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hrdwatch.store import tables as t
from hrdwatch.store.audit import GENESIS, HASHED, PG_GUARDS, SQLITE_GUARDS, audit_key, row_hash

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HASH = sa.String(length=64)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _drop_guards() -> None:
    if _postgres():
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        return
    for name in SQLITE_GUARDS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _create_guards() -> None:
    for statement in PG_GUARDS if _postgres() else SQLITE_GUARDS.values():
        op.execute(statement)


def _chain_existing_rows() -> tuple[int, str]:
    """Hash every row in id order; seal the newest. The last (id, hash), (0, GENESIS) if none."""
    bind = op.get_bind()
    log = sa.table("audit_log", *[sa.column(c.name, c.type) for c in t.AuditEvent.__table__.columns])
    last_id, last_hash = 0, GENESIS
    rows = bind.execute(
        sa.select(*[log.c[name] for name in HASHED if name != "prev_hash"]).order_by(log.c.id)
    )
    for row in list(rows.mappings()):
        digest = row_hash({**row, "prev_hash": last_hash})
        bind.execute(log.update().where(log.c.id == row["id"]).values(prev_hash=last_hash, hash=digest))
        last_id, last_hash = row["id"], digest
    if last_id:
        seal = audit_key().seal(last_id, last_hash)
        bind.execute(log.update().where(log.c.id == last_id).values(seal=seal))
    return last_id, last_hash


def upgrade() -> None:
    _drop_guards()
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", HASH, nullable=True))
        batch.add_column(sa.Column("hash", HASH, nullable=True))
        batch.add_column(sa.Column("seal", sa.String(length=96), nullable=True))
    last_id, last_hash = _chain_existing_rows()
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=HASH, nullable=False)
        batch.alter_column("hash", existing_type=HASH, nullable=False)
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", HASH, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "last_id": last_id, "last_hash": last_hash}])
    _create_guards()


def downgrade() -> None:
    _drop_guards()
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_log") as batch:
        for column in ("seal", "hash", "prev_hash"):
            batch.drop_column(column)
    _create_guards()
