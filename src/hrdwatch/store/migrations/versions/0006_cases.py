"""Cases across reports (issue 9): canonical entities above the mentions, cases, chain of events,
merges; and a data migration that turns an existing database into entities and cases.

The new columns (``people.entity_id``, ``organisations.entity_id``, ``incidents.same_as_id``) are
added in batch mode, which on SQLite copies those tables; :func:`_dependants_kept` puts back the
rows that dropping the old copies deletes through their foreign keys. No value of an existing
table changes except in those three new columns.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple
from uuid import uuid4

import pycountry
import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

from hrdwatch.domain.names import any_order_key

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
    _migrate_data(op.get_bind())


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


# -- data: one entity per name key, one case per group of incidents sharing a victim -------------
# Self-contained on purpose: this must keep giving the same result however the store changes.

REJECTED = "rejected"
#: mention table -> the act column naming it as a victim
VICTIM_COLUMN = {"people": "victim_person_id", "organisations": "victim_organisation_id"}
KIND = {"people": "person", "organisations": "organisation"}


def _table(name: str, *columns: str, **typed: sa.types.TypeEngine[Any]) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns), *(sa.column(c, t) for c, t in typed.items()))


def _new_id() -> str:
    return uuid4().hex


class _Mention(NamedTuple):
    id: str
    name: str
    rejected: bool


class _Component(NamedTuple):
    """Incidents joined by shared victim entities: one case. (Not a dataclass: Alembic loads this
    file outside ``sys.modules``, where dataclasses cannot resolve their annotations.)"""

    incidents: set[str]
    entities: set[str]


def _migrate_data(conn: Connection) -> None:
    now = datetime.now(UTC)
    entity_of: dict[str, str] = {}  # mention id -> entity id
    for table in ("people", "organisations"):
        entity_of |= _entities_of(conn, table, now)
    victims = _victims(conn, entity_of)
    incidents = _incidents(conn)
    _entity_countries(conn, victims, incidents)
    _make_cases(conn, victims, incidents, now)


def _mentions(conn: Connection, table: str) -> list[_Mention]:
    """Every mention in ``table``, in the order their reports came in."""
    rows = conn.execute(
        sa.text(
            f"SELECT m.id, m.name, m.review_status FROM {table} m JOIN sources s ON s.id = m.source_id "
            "ORDER BY s.ingested_at, m.id"
        )
    )
    return [_Mention(i, name, status == REJECTED) for i, name, status in rows]


def _entities_of(conn: Connection, table: str, now: datetime) -> dict[str, str]:
    """One entity per :func:`any_order_key` (a nameless mention alone), every mention linked to it."""
    groups: dict[str, list[_Mention]] = defaultdict(list)
    for mention in _mentions(conn, table):
        groups[any_order_key(mention.name) or f"#{mention.id}"].append(mention)
    entities, links, entity_of = [], [], {}
    for group in groups.values():
        named_by = [m for m in group if not m.rejected] or group
        entity = {"id": _new_id(), "kind": KIND[table], "name": max(named_by, key=lambda m: len(m.name)).name}
        entities.append(
            {**entity, "country": None, "created_at": now, "updated_at": now, "merged_into": None}
        )
        for mention in group:
            entity_of[mention.id] = entity["id"]
            links.append(_auto_link(table, mention.id, entity["id"], now))
    _insert(conn, _ENTITIES, entities)
    _insert(conn, _LINKS, links)
    _set(conn, table, "entity_id", entity_of)
    return entity_of


def _auto_link(table: str, mention_id: str, entity_id: str, now: datetime) -> dict[str, Any]:
    return {
        "id": _new_id(),
        "mention_table": table,
        "mention_id": mention_id,
        "entity_id": entity_id,
        "score": 1.0,
        "reasons": ["same name"],
        "decision": "auto",
        "decided_by": None,
        "decided_at": now,
        "created_at": now,
    }


_ENTITIES = _table(
    "entities", "id", "kind", "name", "country", "merged_into", created_at=WHEN, updated_at=WHEN
)
_LINKS = _table(
    "entity_links",
    "id",
    "mention_table",
    "mention_id",
    "entity_id",
    "score",
    "decision",
    "decided_by",
    reasons=sa.JSON(),
    decided_at=WHEN,
    created_at=WHEN,
)
_CASES = _table(
    "cases",
    "id",
    "ref",
    "country",
    "number",
    "opened",
    "title",
    "status",
    "situation",
    "merged_into",
    confidential=sa.Boolean(),
    created_at=WHEN,
    updated_at=WHEN,
    closed_at=WHEN,
)
_CASE_INCIDENTS = _table(
    "case_incidents",
    "case_id",
    "incident_id",
    "followup",
    "score",
    "decision",
    "decided_by",
    reasons=sa.JSON(),
    added_at=WHEN,
)
_CASE_ENTITIES = _table("case_entities", "case_id", "entity_id")
_COUNTERS = _table("case_counters", "country", "last_number")


def _insert(conn: Connection, table: sa.TableClause, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


def _set(conn: Connection, table: str, column: str, values: dict[str, str]) -> None:
    """``column`` of each row ``id`` in ``table`` to ``values[id]``."""
    target = _table(table, "id", column)
    stmt = (
        target.update().where(target.c.id == sa.bindparam("row_id")).values({column: sa.bindparam("value")})
    )
    if values:
        conn.execute(stmt, [{"row_id": i, "value": v} for i, v in values.items()])


def _victims(conn: Connection, entity_of: dict[str, str]) -> set[tuple[str, str]]:
    """(incident id, entity id) for every act that is not rejected and names a victim."""
    pairs = set()
    for column in VICTIM_COLUMN.values():
        rows = conn.execute(
            sa.text(
                f"SELECT incident_id, {column} FROM acts WHERE {column} IS NOT NULL AND review_status != :r"
            ),
            {"r": REJECTED},
        )
        pairs |= {(incident, entity_of[mention]) for incident, mention in rows if mention in entity_of}
    return pairs


def _incidents(conn: Connection) -> dict[str, Any]:
    """Incident id -> (id, date, created_at, country, confidential, its source's ingested_at)."""
    rows = conn.execute(
        sa.text(
            "SELECT i.id, i.date, i.created_at, i.country, i.confidential, s.ingested_at "
            "FROM incidents i JOIN sources s ON s.id = i.source_id"
        ).columns(created_at=WHEN, ingested_at=WHEN, confidential=sa.Boolean())
    )
    return {row.id: row for row in rows}


def _most_common(values: Iterable[str | None]) -> str | None:
    """The most frequent value (ties: the first in alphabetical order), None if there is none."""
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _entity_countries(conn: Connection, victims: set[tuple[str, str]], incidents: dict[str, Any]) -> None:
    by_entity: dict[str, list[str | None]] = defaultdict(list)
    for incident, entity in victims:
        by_entity[entity].append(incidents[incident].country)
    countries = {e: c for e, c in ((e, _most_common(cs)) for e, cs in by_entity.items()) if c}
    _set(conn, "entities", "country", countries)


def _components(victims: set[tuple[str, str]]) -> list[_Component]:
    """Connected groups of the incident <-> victim entity graph (union-find over incidents)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_of: dict[str, str] = {}
    for incident, entity in sorted(victims):
        parent[root(incident)] = root(first_of.setdefault(entity, incident))
    groups: dict[str, _Component] = defaultdict(lambda: _Component(set(), set()))
    for incident, entity in victims:
        group = groups[root(incident)]
        group.incidents.add(incident)
        group.entities.add(entity)
    return list(groups.values())


def _alpha3(alpha2: str | None) -> str:
    country = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    return country.alpha_3 if country is not None else "XXX"


def _make_cases(
    conn: Connection, victims: set[tuple[str, str]], incidents: dict[str, Any], now: datetime
) -> None:
    """One case per component, numbered per country in the order the cases were opened."""

    def in_order(component: _Component) -> list[Any]:
        rows = [incidents[i] for i in component.incidents]
        return sorted(rows, key=lambda r: (r.date is None, r.date or "", r.created_at, r.id))

    def opened(rows: list[Any]) -> tuple[Any, Any, str]:
        return min(r.ingested_at for r in rows), min(r.created_at for r in rows), rows[0].id

    ordered = sorted(((in_order(c), c) for c in _components(victims)), key=lambda pair: opened(pair[0]))
    counters: Counter[str] = Counter()
    for rows, component in ordered:
        country = _alpha3(_most_common(r.country for r in rows))
        counters[country] += 1
        _add_case(conn, rows, component, country, counters[country], now)
    _insert(conn, _COUNTERS, [{"country": c, "last_number": n} for c, n in sorted(counters.items())])


def _add_case(
    conn: Connection, rows: list[Any], component: _Component, country: str, number: int, now: datetime
) -> None:
    month = min(r.ingested_at for r in rows).strftime("%Y-%m")
    case = {
        "id": _new_id(),
        "ref": f"{country} {number:03d} / {month[5:7]}{month[2:4]}",
        "country": country,
        "number": number,
        "opened": month,
        "title": None,
        "status": "open",
        "situation": "unknown",
        "merged_into": None,
        "confidential": any(bool(r.confidential) for r in rows),
        "created_at": now,
        "updated_at": now,
        "closed_at": None,
    }
    _insert(conn, _CASES, [case])
    members = [
        {
            "case_id": case["id"],
            "incident_id": r.id,
            "followup": n,
            "score": None,
            "decision": "auto",
            "decided_by": None,
            "reasons": ["same victim"],
            "added_at": now,
        }
        for n, r in enumerate(rows)
    ]
    _insert(conn, _CASE_INCIDENTS, members)
    _insert(
        conn, _CASE_ENTITIES, [{"case_id": case["id"], "entity_id": e} for e in sorted(component.entities)]
    )
