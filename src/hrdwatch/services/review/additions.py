"""Facts a reviewer adds from a selection in the source text, and which rows each kind creates.

Each new row gets ``review_status = added`` and an ``Evidence`` row for the selected span
(``stage="review"``, ``rule`` = the reviewer's user name). ``date`` and ``place`` change the
incident row itself (marked ``corrected``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hrdwatch.domain.audit import AuditAction
from hrdwatch.domain.facts import EDITABLE, STATUS, FactRef, FactTable
from hrdwatch.domain.review import ReviewStatus
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, ReviewError
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.review.decisions import LINKED, finish
from hrdwatch.services.review.values import clean_addition
from hrdwatch.services.review.views import Decision
from hrdwatch.store import facts
from hrdwatch.store.facts import FactRow
from hrdwatch.store.queries import resolve_incident_id
from hrdwatch.store.uow import UnitOfWork

ADDED = ReviewStatus.ADDED.value
REJECTED = ReviewStatus.REJECTED.value
PLACE_FIELDS = ("city", "country", "site", "detention_place")


def add_fact(
    engine: Engine,
    user: Principal | None,
    *,
    source_id: str,
    incident_id: str,
    kind: str,
    start: int,
    end: int,
    values: Mapping[str, str | None],
    ip: str | None = None,
) -> Decision:
    """Add a fact of ``kind`` to an incident from the span ``start:end`` of its report (E516 if the
    span is not inside the text). Kinds: person, organisation, perpetrator, act, charge, sanction,
    demand, date, place."""
    actor = require(user, Action.REVIEW)
    cleaned = clean_addition(kind, values)
    with UnitOfWork(engine) as uow:
        stored = uow.sources.get(source_id)
        if stored is None:
            raise ReviewError(Errors.E511, kind="source", ident=source_id)
        incident_ref = FactRef(FactTable.INCIDENTS, resolve_incident_id(uow.session, incident_id))
        incident = FactRow(uow.session, incident_ref)
        if incident.get("source_id") != source_id:
            raise ReviewError(Errors.E513, field="incident_id", reason="the incident is not from this report")
        text = stored.source.text
        if not 0 <= start < end <= len(text):
            raise ReviewError(Errors.E516, start=start, end=end, length=len(text))
        if not text[start:end].strip():
            raise ReviewError(Errors.E513, field="span", reason="the selection is only white space")
        adder = _Adder(uow.session, incident, (start, end), text[start:end], actor.username)
        fact, before, after = adder.run(kind, cleaned)
        detail = f"kind={kind}"
        return finish(uow, actor, AuditAction.FACT_ADDED, fact, (before, after), ip=ip, detail=detail)


@dataclass(slots=True)
class _Adder:
    session: Session
    incident: FactRow
    span: tuple[int, int]
    quote: str
    actor: str
    linked: list[list[str]] = field(default_factory=list)

    def run(
        self, kind: str, values: Mapping[str, Any]
    ) -> tuple[FactRow, dict[str, Any] | None, dict[str, Any]]:
        """Add a fact of ``kind`` (one of :data:`KIND_ADDERS`): the fact, its state before (None: a
        new row) and after."""
        adder_of = KIND_ADDERS.get(kind)
        if adder_of is None:
            reason = f"unknown kind {kind!r} (kinds: {', '.join(KIND_ADDERS)})"
            raise ReviewError(Errors.E513, field="kind", reason=reason)
        before = self.incident.state() if kind in ("date", "place") else None
        fact = FactRow(self.session, adder_of(self, values))
        self.session.flush()
        after = fact.state()
        if before is not None:
            before = {k: v for k, v in before.items() if after[k] != v or k == STATUS}
            after = {k: after[k] for k in before}
        if self.linked:
            after[LINKED] = self.linked
        return fact, before, after

    @property
    def source_id(self) -> str:
        return str(self.incident.get("source_id"))

    @property
    def incident_id(self) -> str:
        return self.incident.ref.id

    def add(self, table: FactTable, columns: Mapping[str, Any], field: str) -> str:
        ref = facts.insert_fact(self.session, table, {**columns, STATUS: ADDED})
        self.evidence(ref, field)
        return ref.id

    def evidence(self, ref: FactRef, field: str) -> None:
        facts.add_evidence(
            self.session,
            ref,
            source_id=self.source_id,
            field=field,
            span=self.span,
            quote=self.quote,
            rule=self.actor,
        )

    def acts(self) -> list[tuple[str, str]]:
        """(id, act_type) of the incident's acts not rejected."""
        return facts.acts_of(self.session, self.incident_id, except_status=REJECTED)

    def new_act(self, act_type: str, *, person_id: str | None = None, org_id: str | None = None) -> str:
        act_id = self.add(FactTable.ACTS, self.act_columns(act_type, person_id, org_id), f"act:{act_type}")
        self.linked.append([FactTable.ACTS.value, act_id])
        return act_id

    def act_columns(self, act_type: str, person_id: str | None, org_id: str | None = None) -> dict[str, Any]:
        """A new act of the incident, dated as the incident is."""
        return {
            "incident_id": self.incident_id,
            "victim_person_id": person_id,
            "victim_organisation_id": org_id,
            "act_type": act_type,
            "date": self.incident.get("date"),
            "date_precision": self.incident.get("date_precision"),
        }

    def involve(self, act_id: str, perpetrator_ids: set[str]) -> None:
        facts.involve(self.session, act_id, perpetrator_ids, review_status=ADDED)

    def victim_of(
        self, values: Mapping[str, Any], *, person_id: str | None = None, org_id: str | None = None
    ) -> None:
        """New acts with this victim: of ``act_type`` if given, else of each act type the incident
        has; each new act gets the perpetrators of the incident's acts of its type."""
        acts = self.acts()
        types = (
            [values["act_type"]] if values.get("act_type") else list(dict.fromkeys(kind for _, kind in acts))
        )
        if not types:
            raise ReviewError(Errors.E513, field="act_type", reason="the incident has no act yet: give one")
        for act_type in types:
            act_id = self.new_act(act_type, person_id=person_id, org_id=org_id)
            same = [a for a, kind in acts if kind == act_type]
            self.involve(act_id, facts.perpetrators_of(self.session, same))

    def next_position(self, table: FactTable, column: str, equals: str) -> int:
        return facts.count_rows(self.session, table, column=column, equals=equals)


def _person(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    name = values.get("name") or adder.quote.strip()
    columns: dict[str, Any] = {
        "source_id": adder.source_id,
        "name": name,
        "aliases": [],
        "description": values.get("description"),
    }
    person_id = adder.add(FactTable.PEOPLE, columns, "victim")
    adder.victim_of(values, person_id=person_id)
    return FactRef(FactTable.PEOPLE, person_id)


def _organisation(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    columns: dict[str, Any] = {
        "source_id": adder.source_id,
        "name": values.get("name") or adder.quote.strip(),
    }
    org_id = adder.add(FactTable.ORGANISATIONS, columns, "victim")
    adder.victim_of(values, org_id=org_id)
    return FactRef(FactTable.ORGANISATIONS, org_id)


def _perpetrator(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    acts = adder.acts()
    if not acts:
        raise ReviewError(
            Errors.E513, field="perpetrator", reason="the incident has no act yet: add one first"
        )
    name, description = values.get("name"), values.get("description")
    columns = {
        "source_id": adder.source_id,
        "name": name,
        "kind": values["kind"],
        "description": description if (name or description) else adder.quote.strip(),
    }
    perpetrator_id = adder.add(FactTable.PERPETRATORS, columns, "perpetrator")
    for act_id, _ in acts:
        adder.involve(act_id, {perpetrator_id})
    return FactRef(FactTable.PERPETRATORS, perpetrator_id)


def _act(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    person_id = values.get("person_id")
    if person_id is not None:
        person = FactRow(adder.session, FactRef(FactTable.PEOPLE, person_id))
        if person.get("source_id") != adder.source_id:
            raise ReviewError(Errors.E511, kind="person", ident=person_id)
    columns = adder.act_columns(values["act_type"], person_id)
    return FactRef(FactTable.ACTS, adder.add(FactTable.ACTS, columns, f"act:{values['act_type']}"))


def _charge(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    fields = {k: values.get(k) for k in EDITABLE[FactTable.CHARGES]}
    if not any(fields.values()):
        fields["offence"] = adder.quote.strip()
    position = adder.next_position(FactTable.CHARGES, "incident_id", adder.incident_id)
    columns = {"incident_id": adder.incident_id, "position": position, **fields}
    return FactRef(FactTable.CHARGES, adder.add(FactTable.CHARGES, columns, "charge"))


def _sanction(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    fields = {k: values.get(k) for k in EDITABLE[FactTable.SANCTIONS]}
    position = adder.next_position(FactTable.SANCTIONS, "incident_id", adder.incident_id)
    columns = {"incident_id": adder.incident_id, "source_id": adder.source_id, "position": position, **fields}
    return FactRef(FactTable.SANCTIONS, adder.add(FactTable.SANCTIONS, columns, "sanction"))


def _demand(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    position = adder.next_position(FactTable.DEMANDS, "source_id", adder.source_id)
    text = values.get("text") or adder.quote.strip()
    columns = {"source_id": adder.source_id, "text": text, "position": position}
    return FactRef(FactTable.DEMANDS, adder.add(FactTable.DEMANDS, columns, "demand"))


def _incident_fields(adder: _Adder, changes: dict[str, Any]) -> FactRef:
    adder.incident.write({**changes, STATUS: ReviewStatus.CORRECTED.value})
    for name in changes:
        adder.evidence(adder.incident.ref, name)
    return adder.incident.ref


def _date(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    if not values.get("date"):
        raise ReviewError(Errors.E513, field="date", reason="give the date as YYYY, YYYY-MM or YYYY-MM-DD")
    return _incident_fields(adder, {k: values[k] for k in ("date", "end_date") if k in values})


def _place(adder: _Adder, values: Mapping[str, Any]) -> FactRef:
    changes = {k: values[k] for k in PLACE_FIELDS if values.get(k)} or {"city": adder.quote.strip()}
    return _incident_fields(adder, changes)


KIND_ADDERS: dict[str, Callable[[_Adder, Mapping[str, Any]], FactRef]] = {
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
