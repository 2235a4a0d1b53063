"""The data part of migration 0006 (issue 9): an existing database becomes canonical entities and
cases, without changing a value of the tables it had.

- One entity per group of ``people`` (likewise ``organisations``) rows whose names share
  :func:`~hrdwatch.domain.names.any_order_key` (a nameless mention alone); every mention, rejected
  ones too, points at its group's entity, with an ``auto`` link (score 1.0, "same name"). The
  entity is named after the longest name of the group's mentions that are not rejected (ties: the
  earliest report), and placed in the most common country of the incidents where it is a victim.
- One case per group of incidents joined by shared victim entities (through acts that are not
  rejected): follow-ups numbered by incident date (undated last), then creation; the country is
  the incidents' most common one as ISO alpha-3 (``XXX`` when unknown); cases are numbered per
  country in the order they were opened (the month of their earliest report).

Self-contained on purpose, and frozen with its migration: it must keep giving the same result
however the store changes later, so it reads and writes plain SQL tables, not the ORM classes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple
from uuid import uuid4

import pycountry
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hrdwatch.domain.names import any_order_key

WHEN = sa.DateTime(timezone=True)
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
    """Incidents joined by shared victim entities: one case."""

    incidents: set[str]
    entities: set[str]


def migrate_data(conn: Connection) -> None:
    """Entities, links, cases and case counters from the rows already stored."""
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
