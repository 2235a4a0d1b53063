"""The review page of one report: its text, and each incident's facts in groups with their spans
and display labels; the queue of reports still to review."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hrdwatch.domain.facts import EDITABLE, FactTable
from hrdwatch.domain.taxonomy import act_types
from hrdwatch.domain.users import Principal
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.review.views import (
    GROUPS,
    FactGroup,
    FactItem,
    QueueItem,
    ReviewIncident,
    ReviewPage,
    ReviewSource,
)
from hrdwatch.store import review_queue as queue
from hrdwatch.store import tables as t
from hrdwatch.store.incident_facts import (
    IncidentRows,
    Spans,
    evidence_spans,
    incident_ids,
    load_incident,
    source_row,
)
from hrdwatch.store.uow import UnitOfWork

DATE_FIELDS = ("date", "end_date")
PLACE_FIELDS = ("city", "country", "site", "detention_place")


def review_queue(engine: Engine, user: Principal | None) -> list[QueueItem]:
    """Reports with an incident not yet verified, newest first."""
    require(user, Action.SOURCE_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        return queue.review_queue(uow.session)


def list_sources(
    engine: Engine, user: Principal | None, *, pending_only: bool = False, page: int = 1, per_page: int = 25
) -> tuple[list[QueueItem], int]:
    """One page of reports, newest first (``pending_only``: those still to review), and the total."""
    require(user, Action.SOURCE_READ)
    page, per_page = max(1, page), max(1, min(per_page, 100))
    with UnitOfWork(engine, read_only=True) as uow:
        return queue.list_sources(
            uow.session, pending_only=pending_only, limit=per_page, offset=(page - 1) * per_page
        )


def review_page(engine: Engine, user: Principal | None, source_id: str) -> ReviewPage:
    """A report's text and its incidents' facts in groups; E511 if there is no such report."""
    require(user, Action.SOURCE_READ)
    with UnitOfWork(engine, read_only=True) as uow:
        return build_page(uow.session, source_id)


def build_page(session: Session, source_id: str) -> ReviewPage:
    """The source text and every incident of it with its facts; E511 if there is no such source."""
    source = source_row(session, source_id)
    spans = evidence_spans(session, source_id)
    incidents = tuple(_incident(load_incident(session, i), spans) for i in incident_ids(session, source_id))
    shown = {
        (start, end, item.table, item.id)
        for inc in incidents
        for group in inc.groups
        for item in group.items
        for start, end in item.spans
    }
    return ReviewPage(
        source=ReviewSource(source.id, source.name, source.title, source.text),
        incidents=incidents,
        all_spans=tuple(sorted(shown)),
    )


def _where(
    spans: Spans, table: FactTable, fact_id: str, fields: Iterable[str] | None = None
) -> tuple[tuple[int, int], ...]:
    wanted = None if fields is None else set(fields)
    found = (
        (start, end)
        for field, start, end in spans.get((table, fact_id), [])
        if wanted is None or field in wanted
    )
    return tuple(dict.fromkeys(found))


def _item(
    table: FactTable,
    row: Any,
    group: str,
    label: str,
    spans: tuple[tuple[int, int], ...],
    fields: tuple[str, ...],
) -> FactItem:
    return FactItem(
        table=table.value,
        id=row.id,
        group=group,
        label=label,
        values={name: getattr(row, name) for name in fields},
        review_status=row.review_status,
        spans=spans,
        editable=fields,
    )


def _facts(
    table: FactTable, rows: Iterable[Any], group: str, label: Callable[[Any], str], spans: Spans
) -> list[FactItem]:
    fields = EDITABLE[table]
    return [_item(table, row, group, label(row), _where(spans, table, row.id), fields) for row in rows]


def _incident(rows: IncidentRows, spans: Spans) -> ReviewIncident:
    inc = rows.incident
    names = {p.id: p.name for p in rows.people} | {o.id: o.name for o in rows.organisations}
    acts = sorted(rows.acts, key=lambda a: (a.act_type, _victim(a, names)))
    groups: dict[str, list[FactItem]] = {
        "victims": _facts(FactTable.PEOPLE, rows.people, "victims", _person_label, spans)
        + _facts(FactTable.ORGANISATIONS, rows.organisations, "victims", lambda o: o.name, spans),
        "perpetrators": _facts(
            FactTable.PERPETRATORS, rows.perpetrators, "perpetrators", _perpetrator_label, spans
        ),
        "acts": [_act_item(a, _victim(a, names), spans) for a in acts],
        "dates": [_part(inc, "dates", _date_label(inc), DATE_FIELDS, spans)],
        "places": [_part(inc, "places", _place_label(inc), PLACE_FIELDS, spans)],
        "charges": _facts(FactTable.CHARGES, rows.charges, "charges", _charge_label, spans),
        "sanctions": _facts(FactTable.SANCTIONS, rows.sanctions, "sanctions", _sanction_label, spans),
        "demands": _facts(FactTable.DEMANDS, rows.demands, "demands", lambda d: _short(d.text), spans),
    }
    return ReviewIncident(
        id=inc.id,
        status=inc.status,
        confidential=inc.confidential,
        confidential_fields=tuple(inc.confidential_fields or ()),
        groups=tuple(FactGroup(name, tuple(groups[name])) for name in GROUPS),
        pending=rows.pending(),
    )


def _part(inc: t.Incident, group: str, label: str, fields: tuple[str, ...], spans: Spans) -> FactItem:
    """The incident row as the ``dates`` or the ``places`` fact."""
    return _item(
        FactTable.INCIDENTS, inc, group, label, _where(spans, FactTable.INCIDENTS, inc.id, fields), fields
    )


def _victim(act: t.Act, names: dict[str, str]) -> str:
    return names.get(act.victim_person_id or act.victim_organisation_id or "", "no named victim")


def _act_item(act: t.Act, victim: str, spans: Spans) -> FactItem:
    kind = act_types().get(act.act_type)
    label = f"{kind.label if kind else act.act_type}: {victim}"
    found = _where(spans, FactTable.ACTS, act.id) + _where(
        spans, FactTable.INCIDENTS, act.incident_id, [f"act:{act.act_type}"]
    )
    return _item(FactTable.ACTS, act, "acts", label, tuple(dict.fromkeys(found)), EDITABLE[FactTable.ACTS])


def _perpetrator_label(p: t.Perpetrator) -> str:
    return f"{p.name or p.description or 'unknown'} ({p.kind})"


def _person_label(p: t.Person) -> str:
    return f"{p.name} ({p.description})" if p.description else p.name


def _date_label(inc: t.Incident) -> str:
    if inc.date and inc.end_date:
        return f"{inc.date} to {inc.end_date}"
    return inc.date or "no date"


def _place_label(inc: t.Incident) -> str:
    parts = [inc.site, inc.detention_place, inc.city, inc.country]
    return ", ".join(p for p in parts if p) or "no place"


def _charge_label(c: t.Charge) -> str:
    parts = [c.offence, f"article {c.article}" if c.article else None, c.law]
    return ", ".join(p for p in parts if p) or "charge"


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _sanction_label(s: t.Sanction) -> str:
    if s.type == "fine":
        amount = _number(s.amount) + (f" to {_number(s.amount_max)}" if s.amount_max else "")
        return f"fine of {amount} {s.currency or ''}".strip()
    if s.type == "prison":
        return f"{_number(s.months)} months in prison"
    return s.description or s.type


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
