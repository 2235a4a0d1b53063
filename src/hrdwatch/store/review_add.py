"""Facts a reviewer adds from a selection in the source text.

Each new row gets ``review_status = added`` and an ``Evidence`` row for the selected span
(``stage="review"``, ``rule`` = the reviewer's user name). ``date`` and ``place`` change the
incident row itself (marked ``corrected``). Values arrive checked by the service layer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hrdwatch.domain.review import ReviewStatus
from hrdwatch.errors import Errors, ReviewError
from hrdwatch.store import tables as t
from hrdwatch.store.review import EDITABLE, STATUS, fact_row, fact_state, set_fact

ADDED = ReviewStatus.ADDED.value
REJECTED = ReviewStatus.REJECTED.value
PLACE_FIELDS = ("city", "country", "site", "detention_place")
LINKED = "_linked"  # key of an audit ``after`` listing the other rows an addition created


@dataclass(frozen=True, slots=True)
class Added:
    """What an addition did: the fact row, its state before (None: a new row) and after."""

    table: str
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any]


class _Adder:
    def __init__(self, session: Session, incident: t.Incident, span: tuple[int, int], actor: str) -> None:
        self.session = session
        self.incident = incident
        self.span = span
        self.actor = actor
        self.linked: list[list[str]] = []
        self.quote = session.get_one(t.Source, incident.source_id).text[span[0] : span[1]]

    def add(self, table: str, row: Any, field: str) -> str:
        row.id = t.new_id()
        row.review_status = ADDED
        self.session.add(row)
        self.session.flush()
        self.evidence(table, row.id, field)
        return str(row.id)

    def evidence(self, table: str, fact_id: str, field: str) -> None:
        start, end = self.span
        row = t.Evidence(
            source_id=self.incident.source_id,
            fact_table=table,
            fact_id=fact_id,
            field=field,
            start=start,
            end=end,
            quote=self.quote,
            stage="review",
            rule=self.actor,
        )
        self.session.add(row)

    def acts(self) -> list[t.Act]:
        stmt = select(t.Act).where(t.Act.incident_id == self.incident.id, t.Act.review_status != REJECTED)
        return list(self.session.scalars(stmt.order_by(t.Act.id)))

    def new_act(self, act_type: str, *, person_id: str | None = None, org_id: str | None = None) -> str:
        row = t.Act(
            incident_id=self.incident.id,
            victim_person_id=person_id,
            victim_organisation_id=org_id,
            act_type=act_type,
            date=self.incident.date,
            date_precision=self.incident.date_precision,
        )
        act_id = self.add("acts", row, f"act:{act_type}")
        self.linked.append(["acts", act_id])
        return act_id

    def involve(self, act_id: str, perpetrator_ids: set[str]) -> None:
        for perpetrator_id in sorted(perpetrator_ids):
            row = t.Involvement(act_id=act_id, perpetrator_id=perpetrator_id, review_status=ADDED)
            self.session.add(row)
        self.session.flush()

    def victim_of(
        self, values: Mapping[str, Any], *, person_id: str | None = None, org_id: str | None = None
    ) -> None:
        """New acts with this victim: of ``act_type`` if given, else of each act type the incident
        has; each new act gets the perpetrators of the incident's acts of its type."""
        acts = self.acts()
        types = (
            [values["act_type"]] if values.get("act_type") else list(dict.fromkeys(a.act_type for a in acts))
        )
        if not types:
            raise ReviewError(Errors.E513, field="act_type", reason="the incident has no act yet: give one")
        for act_type in types:
            act_id = self.new_act(act_type, person_id=person_id, org_id=org_id)
            same = [a.id for a in acts if a.act_type == act_type]
            involved = select(t.Involvement.perpetrator_id).where(t.Involvement.act_id.in_(same))
            self.involve(act_id, set(self.session.scalars(involved)))


def _person(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    row = t.Person(
        source_id=adder.incident.source_id,
        name=values.get("name") or adder.quote.strip(),
        aliases=[],
        description=values.get("description"),
    )
    person_id = adder.add("people", row, "victim")
    adder.victim_of(values, person_id=person_id)
    return "people", person_id


def _organisation(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    row = t.Organisation(source_id=adder.incident.source_id, name=values.get("name") or adder.quote.strip())
    org_id = adder.add("organisations", row, "victim")
    adder.victim_of(values, org_id=org_id)
    return "organisations", org_id


def _perpetrator(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    acts = adder.acts()
    if not acts:
        raise ReviewError(
            Errors.E513, field="perpetrator", reason="the incident has no act yet: add one first"
        )
    name, description = values.get("name"), values.get("description")
    row = t.Perpetrator(
        source_id=adder.incident.source_id,
        name=name,
        kind=values["kind"],
        description=description if (name or description) else adder.quote.strip(),
    )
    perpetrator_id = adder.add("perpetrators", row, "perpetrator")
    for act in acts:
        adder.involve(act.id, {perpetrator_id})
    return "perpetrators", perpetrator_id


def _act(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    person_id = values.get("person_id")
    if person_id is not None:
        person = fact_row(adder.session, "people", person_id)
        if person.source_id != adder.incident.source_id:
            raise ReviewError(Errors.E511, kind="person", ident=person_id)
    row = t.Act(
        incident_id=adder.incident.id,
        victim_person_id=person_id,
        act_type=values["act_type"],
        date=adder.incident.date,
        date_precision=adder.incident.date_precision,
    )
    return "acts", adder.add("acts", row, f"act:{values['act_type']}")


def _next_position(adder: _Adder, model: Any, where: Any) -> int:
    return int(adder.session.scalar(select(func.count()).select_from(model).where(where)) or 0)


def _charge(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    fields = {k: values.get(k) for k in EDITABLE["charges"]}
    if not any(fields.values()):
        fields["offence"] = adder.quote.strip()
    position = _next_position(adder, t.Charge, t.Charge.incident_id == adder.incident.id)
    row = t.Charge(incident_id=adder.incident.id, position=position, **fields)
    return "charges", adder.add("charges", row, "charge")


def _sanction(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    fields = {k: values.get(k) for k in EDITABLE["sanctions"]}
    position = _next_position(adder, t.Sanction, t.Sanction.incident_id == adder.incident.id)
    row = t.Sanction(
        incident_id=adder.incident.id, source_id=adder.incident.source_id, position=position, **fields
    )
    return "sanctions", adder.add("sanctions", row, "sanction")


def _demand(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    source_id = adder.incident.source_id
    position = _next_position(adder, t.Demand, t.Demand.source_id == source_id)
    row = t.Demand(source_id=source_id, text=values.get("text") or adder.quote.strip(), position=position)
    return "demands", adder.add("demands", row, "demand")


def _incident_fields(adder: _Adder, changes: dict[str, Any]) -> tuple[str, str]:
    set_fact(adder.session, "incidents", adder.incident.id, {**changes, STATUS: ReviewStatus.CORRECTED.value})
    for name in changes:
        adder.evidence("incidents", adder.incident.id, name)
    return "incidents", adder.incident.id


def _date(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    if not values.get("date"):
        raise ReviewError(Errors.E513, field="date", reason="give the date as YYYY, YYYY-MM or YYYY-MM-DD")
    return _incident_fields(adder, {k: values[k] for k in ("date", "end_date") if k in values})


def _place(adder: _Adder, values: Mapping[str, Any]) -> tuple[str, str]:
    changes = {k: values[k] for k in PLACE_FIELDS if values.get(k)} or {"city": adder.quote.strip()}
    return _incident_fields(adder, changes)


KIND_ADDERS: dict[str, Callable[[_Adder, Mapping[str, Any]], tuple[str, str]]] = {
    "person": _person,
    "organisation": _organisation,
    "perpetrator": _perpetrator,
    "act": _act,
    "charge": _charge,
    "sanction": _sanction,
    "demand": _demand,
    "date": _date,
    "place": _place,
}


def add_fact(
    session: Session,
    *,
    incident: t.Incident,
    kind: str,
    span: tuple[int, int],
    values: Mapping[str, Any],
    actor: str,
) -> Added:
    """Add a fact of ``kind`` (one of :data:`KIND_ADDERS`) to ``incident`` from ``span``."""
    adder_of = KIND_ADDERS.get(kind)
    if adder_of is None:
        raise ReviewError(
            Errors.E513, field="kind", reason=f"unknown kind {kind!r} (kinds: {', '.join(KIND_ADDERS)})"
        )
    before = fact_state(session, "incidents", incident.id) if kind in ("date", "place") else None
    adder = _Adder(session, incident, span, actor)
    table, fact_id = adder_of(adder, values)
    session.flush()
    after = fact_state(session, table, fact_id)
    if before is not None:
        before = {k: v for k, v in before.items() if after[k] != v or k == STATUS}
        after = {k: after[k] for k in before}
    if adder.linked:
        after[LINKED] = adder.linked
    return Added(table, fact_id, before, after)
