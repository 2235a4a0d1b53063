"""Initial schema: sources, people, organisations, incidents, acts, perpetrators, evidence.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=32)


def _id() -> sa.Column[str]:
    return sa.Column("id", ID, nullable=False)


def _ref(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, ID, nullable=nullable)


def _review() -> sa.Column[str]:
    return sa.Column("review_status", sa.String(length=16), nullable=False)


def _fk(table: str, column: str, target: str, *, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _index(table: str, *columns: str, unique: bool = False) -> None:
    op.create_index(op.f(f"ix_{table}_{columns[0]}"), table, list(columns), unique=unique)


def _sources() -> None:
    op.create_table(
        "sources",
        _id(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("reader", sa.String(length=50), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=40), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("doc_id", sa.String(length=100), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        _pk("sources"),
    )
    _index("sources", "sha256", unique=True)


def _actors() -> None:
    op.create_table(
        "people",
        _id(),
        _ref("source_id"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        _review(),
        _fk("people", "source_id", "sources"),
        _pk("people"),
    )
    op.create_table(
        "organisations",
        _id(),
        _ref("source_id"),
        sa.Column("name", sa.Text(), nullable=False),
        _review(),
        _fk("organisations", "source_id", "sources"),
        _pk("organisations"),
    )
    op.create_table(
        "affiliations",
        _id(),
        _ref("person_id"),
        _ref("organisation_id"),
        _review(),
        _fk("affiliations", "person_id", "people"),
        _fk("affiliations", "organisation_id", "organisations"),
        _pk("affiliations"),
    )
    op.create_table(
        "perpetrators",
        _id(),
        _ref("source_id"),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        _review(),
        _fk("perpetrators", "source_id", "sources"),
        _pk("perpetrators"),
    )
    for table in ("people", "organisations", "perpetrators"):
        _index(table, "source_id")
    _index("affiliations", "person_id")
    _index("affiliations", "organisation_id")


def _incidents() -> None:
    op.create_table(
        "incidents",
        _id(),
        _ref("source_id"),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("date_precision", sa.String(length=5), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("site", sa.Text(), nullable=True),
        sa.Column("detention_place", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _review(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("incidents", "source_id", "sources"),
        _pk("incidents"),
    )
    for column in ("source_id", "date", "country"):
        _index("incidents", column)


def _acts() -> None:
    op.create_table(
        "acts",
        _id(),
        _ref("incident_id"),
        _ref("victim_person_id", nullable=True),
        _ref("victim_organisation_id", nullable=True),
        sa.Column("act_type", sa.String(length=40), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("date_precision", sa.String(length=5), nullable=True),
        _review(),
        sa.CheckConstraint(
            "victim_person_id IS NULL OR victim_organisation_id IS NULL", name=op.f("ck_acts_one_victim")
        ),
        _fk("acts", "incident_id", "incidents"),
        _fk("acts", "victim_person_id", "people", ondelete="SET NULL"),
        _fk("acts", "victim_organisation_id", "organisations", ondelete="SET NULL"),
        _pk("acts"),
    )
    op.create_table(
        "involvements",
        _id(),
        _ref("act_id"),
        _ref("perpetrator_id"),
        sa.Column("kind", sa.String(length=20), nullable=False),
        _review(),
        _fk("involvements", "act_id", "acts"),
        _fk("involvements", "perpetrator_id", "perpetrators"),
        _pk("involvements"),
    )
    for column in ("incident_id", "victim_person_id", "victim_organisation_id"):
        _index("acts", column)
    _index("involvements", "act_id")
    _index("involvements", "perpetrator_id")


def _legal() -> None:
    op.create_table(
        "charges",
        _id(),
        _ref("incident_id"),
        sa.Column("offence", sa.Text(), nullable=True),
        sa.Column("law", sa.Text(), nullable=True),
        sa.Column("article", sa.String(length=50), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        _review(),
        _fk("charges", "incident_id", "incidents"),
        _pk("charges"),
    )
    op.create_table(
        "sanctions",
        _id(),
        _ref("incident_id", nullable=True),
        _ref("source_id"),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("amount_max", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("months", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        _review(),
        _fk("sanctions", "incident_id", "incidents"),
        _fk("sanctions", "source_id", "sources"),
        _pk("sanctions"),
    )
    op.create_table(
        "demands",
        _id(),
        _ref("source_id"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _review(),
        _fk("demands", "source_id", "sources"),
        _pk("demands"),
    )
    _index("charges", "incident_id")
    _index("sanctions", "incident_id")
    _index("sanctions", "source_id")
    _index("demands", "source_id")


def _evidence() -> None:
    op.create_table(
        "evidence",
        _id(),
        _ref("source_id"),
        sa.Column("fact_table", sa.String(length=32), nullable=False),
        _ref("fact_id"),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        _fk("evidence", "source_id", "sources"),
        _pk("evidence"),
    )
    op.create_index("ix_evidence_fact", "evidence", ["fact_table", "fact_id"], unique=False)
    _index("evidence", "source_id")


def upgrade() -> None:
    _sources()
    _actors()
    _incidents()
    _acts()
    _legal()
    _evidence()


def downgrade() -> None:
    for table in (
        "evidence",
        "demands",
        "sanctions",
        "charges",
        "involvements",
        "acts",
        "incidents",
        "perpetrators",
        "affiliations",
        "organisations",
        "people",
        "sources",
    ):
        op.drop_table(table)
