"""The record repository: map one extracted :class:`CaseRecord` into who-did-what-to-whom rows.

Each ``Event`` becomes an ``Incident``; each (victim, act code) pair an ``Act`` (an event with no
named victim gives one act per code, with no victim); each event perpetrator label a
``Perpetrator`` (matched to the record's perpetrators by name or description for its kind) and
an ``Involvement`` in every act of the event. Every piece of evidence becomes an ``Evidence`` row
pointing at the row it supports; event evidence (``act:arrest``, ``date``, ``city``...) is kept
against the incident with its ``field``, record-level evidence against the source.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from hrdwatch.domain import records as d
from hrdwatch.domain.evidence import Evidence
from hrdwatch.domain.names import name_key
from hrdwatch.store import tables as t


class RecordRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, source_id: str, record: d.CaseRecord) -> list[str]:
        """Add every row of ``record`` (from source ``source_id``); return the new incident ids."""
        writer = _Writer(self._session, source_id)
        for name in record.organisations:
            writer.organisation(name)
        for victim in record.victims:
            writer.victim(victim)
        for perpetrator in record.perpetrators:
            writer.perpetrator(perpetrator)
        incident_ids = [writer.event(event) for event in record.events]
        for i, sanction in enumerate(record.sanctions):
            writer.sanction(sanction, incident_id=None, position=i)
        for i, demand in enumerate(record.demands):
            row_id = writer.add(t.Demand(source_id=source_id, text=demand.text, position=i))
            writer.evidence("demands", row_id, demand.evidence)
        writer.evidence("sources", source_id, record.evidence)
        self._session.flush()
        return incident_ids


class _Writer:
    """Adds the rows of one record, remembering names (by :func:`name_key`, so "Mira  Solvang" and
    "Mira Solvang." are one) so events can point at their victims."""

    def __init__(self, session: Session, source_id: str) -> None:
        self._session = session
        self._source_id = source_id
        self._orgs: dict[str, str] = {}
        self._victims: dict[str, tuple[str, str]] = {}  # name or alias -> (table, id)
        self._perpetrators: dict[str, str] = {}  # name, description or label -> id

    def add(self, row: Any) -> str:
        row.id = t.new_id()
        self._session.add(row)
        if isinstance(row, t.Source | t.Person | t.Organisation | t.Perpetrator | t.Incident | t.Act):
            self._session.flush()  # a parent reaches the database before rows that refer to it
        return str(row.id)

    def evidence(self, table: str, fact_id: str, items: Iterable[Evidence]) -> None:
        for ev in items:
            self.add(
                t.Evidence(
                    source_id=self._source_id,
                    fact_table=table,
                    fact_id=fact_id,
                    field=ev.field,
                    start=ev.start,
                    end=ev.end,
                    quote=ev.quote,
                    stage=ev.stage,
                    rule=ev.rule,
                )
            )

    def organisation(self, name: str) -> str:
        key = name_key(name)
        if key not in self._orgs:
            self._orgs[key] = self.add(t.Organisation(source_id=self._source_id, name=name))
        return self._orgs[key]

    def victim(self, victim: d.Victim) -> None:
        if victim.kind == "organisation":
            ref = ("organisations", self.organisation(victim.name))
        else:
            row = t.Person(
                source_id=self._source_id,
                name=victim.name,
                aliases=list(victim.aliases),
                description=victim.description,
            )
            ref = ("people", self.add(row))
            for name in dict.fromkeys(victim.affiliations):
                self.add(t.Affiliation(person_id=ref[1], organisation_id=self.organisation(name)))
        for name in (victim.name, *victim.aliases):
            self._victims.setdefault(name_key(name), ref)
        self.evidence(ref[0], ref[1], victim.evidence)

    def perpetrator(self, perpetrator: d.Perpetrator) -> str:
        row = t.Perpetrator(
            source_id=self._source_id,
            name=perpetrator.name,
            kind=perpetrator.kind,
            description=perpetrator.description,
        )
        row_id = self.add(row)
        for label in (perpetrator.name, perpetrator.description, perpetrator.label):
            if label:
                self._perpetrators.setdefault(name_key(label), row_id)
        self.evidence("perpetrators", row_id, perpetrator.evidence)
        return row_id

    def _victim_ref(self, name: str) -> tuple[str, str]:
        ref = self._victims.get(name_key(name))
        if ref is None:  # named in an event only: keep the name rather than lose the link
            ref = ("people", self.add(t.Person(source_id=self._source_id, name=name, aliases=[])))
            self._victims[name_key(name)] = ref
        return ref

    def _perpetrator_id(self, label: str) -> str:
        found = self._perpetrators.get(name_key(label))
        if found is not None:
            return found
        return self.perpetrator(d.Perpetrator(name=None, kind="unknown", description=label))

    def event(self, event: d.Event) -> str:
        incident_id = self.add(
            t.Incident(
                source_id=self._source_id,
                date=event.date.iso if event.date else None,
                date_precision=event.date.precision.value if event.date else None,
                end_date=event.end_date.iso if event.end_date else None,
                city=event.place.city,
                country=event.place.country,
                site=event.place.site,
                detention_place=event.detention_place,
                created_at=t.utcnow(),
            )
        )
        act_ids = self._acts(incident_id, event)
        for label in dict.fromkeys(event.perpetrators):
            perpetrator_id = self._perpetrator_id(label)
            for act_id in act_ids:
                self.add(t.Involvement(act_id=act_id, perpetrator_id=perpetrator_id))
        for i, charge in enumerate(event.charges):
            row = t.Charge(
                incident_id=incident_id,
                offence=charge.offence,
                law=charge.law,
                article=charge.article,
                position=i,
            )
            self.evidence("charges", self.add(row), charge.evidence)
        for i, sanction in enumerate(event.sanctions):
            self.sanction(sanction, incident_id=incident_id, position=i)
        self.evidence("incidents", incident_id, event.evidence)
        return incident_id

    def _acts(self, incident_id: str, event: d.Event) -> list[str]:
        refs: list[tuple[str, str] | None] = [self._victim_ref(n) for n in dict.fromkeys(event.victims)]
        act_ids = []
        for ref in refs or [None]:
            for code in dict.fromkeys(event.acts):
                row = t.Act(
                    incident_id=incident_id,
                    victim_person_id=ref[1] if ref and ref[0] == "people" else None,
                    victim_organisation_id=ref[1] if ref and ref[0] == "organisations" else None,
                    act_type=code,
                    date=event.date.iso if event.date else None,
                    date_precision=event.date.precision.value if event.date else None,
                )
                act_ids.append(self.add(row))
        return act_ids

    def sanction(self, sanction: d.Sanction, *, incident_id: str | None, position: int) -> None:
        row = t.Sanction(
            incident_id=incident_id,
            source_id=self._source_id,
            type=sanction.type,
            amount=sanction.amount,
            amount_max=sanction.amount_max,
            currency=sanction.currency,
            months=sanction.months,
            description=sanction.description,
            position=position,
        )
        self.evidence("sanctions", self.add(row), sanction.evidence)
