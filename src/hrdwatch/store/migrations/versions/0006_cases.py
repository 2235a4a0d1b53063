"""Cases across reports (issue 9): canonical entities above the mentions, cases, chain of events,
merges; and a data migration that turns an existing database into entities and cases.

The new columns (``people.entity_id``, ``organisations.entity_id``, ``incidents.same_as_id``) are
added in batch mode, which on SQLite copies those tables; :func:`_dependants_kept` puts back the
rows that dropping the old copies deletes through their foreign keys. No value of an existing
table changes except in those three new columns. The data migration (entities and cases from
the rows already stored) is :mod:`hrdwatch.store.migrations.data_0006`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

from hrdwatch.store.migrations.data_0006 import migrate_data

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=32)
WHEN = sa.DateTime(timezone=True)
#: (table, new column, table it refers to)
REFERENCES = (
    ("people", "entity_id", "entities"),
    ("organisations", "entity_id", "entities"),
    ("incidents", "same_as_id", "incidents"),
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _fk(table: str, column: str, target: str, *, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _index(table: str, column: str, *, unique: bool = False) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=unique)


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, WHEN, nullable=nullable)


def _by(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=100), nullable=True)


def _link_columns() -> list[sa.Column[object]]:
    """Score, reasons and decision: what a proposed link carries."""
    return [
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
    ]


def _entities() -> None:
    op.create_table(
        "entities",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.Column("merged_into", ID, nullable=True),
        sa.CheckConstraint("kind IN ('person', 'organisation')", name=op.f("ck_entities_kind")),
        _fk("entities", "merged_into", "entities", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    _index("entities", "merged_into")
    op.create_table(
        "entity_links",
        sa.Column("id", ID, nullable=False),
        sa.Column("mention_table", sa.String(length=32), nullable=False),
        sa.Column("mention_id", ID, nullable=False),
        sa.Column("entity_id", ID, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        *_link_columns(),
        _by("decided_by"),
        _when("decided_at", nullable=True),
        _when("created_at"),
        _fk("entity_links", "entity_id", "entities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_links")),
        sa.UniqueConstraint(
            "mention_table", "mention_id", "entity_id", name=op.f("uq_entity_links_mention_table")
        ),
    )
    _index("entity_links", "entity_id")


def _cases() -> None:
    op.create_table(
        "cases",
        sa.Column("id", ID, nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opened", sa.String(length=7), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("situation", sa.String(length=32), nullable=False),
        sa.Column("confidential", sa.Boolean(), server_default=sa.false(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        _when("closed_at", nullable=True),
        sa.Column("merged_into", ID, nullable=True),
        _fk("cases", "merged_into", "cases", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("country", "number", name=op.f("uq_cases_country")),
    )
    _index("cases", "ref", unique=True)
    _index("cases", "merged_into")
    op.create_table(
        "case_counters",
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("country", name=op.f("pk_case_counters")),
    )
    _case_members()


def _case_members() -> None:
    op.create_table(
        "case_incidents",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("incident_id", ID, nullable=False),
        sa.Column("followup", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        *_link_columns(),
        _when("added_at"),
        _by("decided_by"),
        _fk("case_incidents", "case_id", "cases"),
        _fk("case_incidents", "incident_id", "incidents"),
        sa.PrimaryKeyConstraint("case_id", "incident_id", name=op.f("pk_case_incidents")),
    )
    _index("case_incidents", "incident_id")
    op.create_table(
        "case_entities",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("entity_id", ID, nullable=False),
        _fk("case_entities", "case_id", "cases"),
        _fk("case_entities", "entity_id", "entities"),
        sa.PrimaryKeyConstraint("case_id", "entity_id", name=op.f("pk_case_entities")),
    )
    _index("case_entities", "entity_id")


def _chain_and_merges() -> None:
    op.create_table(
        "chain_links",
        sa.Column("id", ID, nullable=False),
        sa.Column("from_incident_id", ID, nullable=False),
        sa.Column("to_incident_id", ID, nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        _when("created_at"),
        _by("created_by"),
        _fk("chain_links", "from_incident_id", "incidents"),
        _fk("chain_links", "to_incident_id", "incidents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_links")),
        sa.UniqueConstraint(
            "from_incident_id", "to_incident_id", "relation", name=op.f("uq_chain_links_from_incident_id")
        ),
    )
    _index("chain_links", "from_incident_id")
    _index("chain_links", "to_incident_id")
    op.create_table(
        "merges",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("survivor_id", ID, nullable=False),
        sa.Column("absorbed_id", ID, nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        _when("created_at"),
        _by("created_by"),
        _when("undone_at", nullable=True),
        _by("undone_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merges")),
    )
    _index("merges", "survivor_id")
    _index("merges", "absorbed_id")


#: the rows SQLite deletes or clears when a batch copy drops the old people, organisations and
#: incidents tables (their foreign keys CASCADE or SET NULL), parents first
DEPENDANTS = ("affiliations", "acts", "involvements", "charges", "sanctions")


@contextmanager
def _dependants_kept() -> Iterator[None]:
    """Put back, exactly as they were, the dependent rows that SQLite's batch copies disturb.

    Alembic's batch mode copies a table and drops the original; with ``foreign_keys=ON`` (always on
    here, and not switchable inside the migration's transaction) the drop deletes every
    affiliation, act, charge and sanction of the old rows and clears the acts' victims. Their raw
    values are read before and written back after: no value passes through a Python type.
    """
    if not _sqlite():
        yield
        return
    conn = op.get_bind()
    saved = {table: conn.exec_driver_sql(f"SELECT * FROM {table}").all() for table in DEPENDANTS}
    columns = {
        table: [c[1] for c in conn.exec_driver_sql(f"PRAGMA table_info({table})")] for table in DEPENDANTS
    }
    yield
    for table in reversed(DEPENDANTS):
        conn.exec_driver_sql(f"DELETE FROM {table}")
    for table in DEPENDANTS:
        names = ", ".join(f'"{c}"' for c in columns[table])
        marks = ", ".join("?" for _ in columns[table])
        if saved[table]:
            conn.exec_driver_sql(
                f"INSERT INTO {table} ({names}) VALUES ({marks})", [tuple(r) for r in saved[table]]
            )


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable, indexed id column referring to ``target`` (SET NULL when that row goes)."""
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column(column, ID, nullable=True))
        batch.create_foreign_key(
            op.f(f"fk_{table}_{column}_{target}"), target, [column], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f(f"ix_{table}_{column}"), [column])


def _drop_reference(table: str, column: str, target: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_index(op.f(f"ix_{table}_{column}"))
        batch.drop_constraint(op.f(f"fk_{table}_{column}_{target}"), type_="foreignkey")
        batch.drop_column(column)


def upgrade() -> None:
    _entities()
    _cases()
    _chain_and_merges()
    with _dependants_kept():
        for table, column, target in REFERENCES:
            _add_reference(table, column, target)
    migrate_data(op.get_bind())


def downgrade() -> None:
    with _dependants_kept():
        for table, column, target in reversed(REFERENCES):
            _drop_reference(table, column, target)
    for table in (
        "merges",
        "chain_links",
        "case_entities",
        "case_incidents",
        "case_counters",
        "cases",
        "entity_links",
        "entities",
    ):
        op.drop_table(table)
