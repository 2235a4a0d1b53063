"""The fictional report the API tests are seeded with, and the marks put on its records.

Every person, organisation and place name below except the country and its cities is invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hrdwatch.domain.review import IncidentStatus
from hrdwatch.store import tables as t

REPORT = """\
title: Urgent appeal: land rights defender Tavi Orenka detained in Honduras
published: 2025-03-12
language: en

Honduras: land rights defender Tavi Orenka detained

This appeal is fictional: every person and organisation in it is invented for the hrdwatch tests.

On 3 March 2025, police officers arrested Tavi Orenka, director of the Cedar Valley Rights Centre, \
at a checkpoint near Tegucigalpa, Honduras. Officers seized his phone and notebooks.

He was detained at the Third Police Station in Tegucigalpa and held incommunicado for four days.

On 7 March 2025, a prosecutor charged Tavi Orenka with "usurpation" under Article 378 of the Penal Code.

On 9 March 2025, soldiers threatened the journalist Mirela Quintaval in Choluteca, Honduras, \
after she reported on his arrest.

On 10 March 2025, police raided the office of the Cedar Valley Rights Centre in Tegucigalpa.

The Centre believes the arrest is linked to its campaign against a mining concession.

Tavi Orenka has defended the land rights of his community for ten years.

The Centre calls on the authorities to release Tavi Orenka immediately and unconditionally.

It urges the authorities to drop all charges against him.
"""
SECOND_REPORT = """\
Honduras: teacher Solen Marrick arrested in San Pedro Sula

This appeal is fictional: every person in it is invented for the hrdwatch tests.

On 2 May 2025, police officers arrested Solen Marrick, a teacher and union organiser, in \
San Pedro Sula, Honduras. She was held for two days without charge.

The union urges the authorities to investigate her arrest.
"""
#: set on the verified arrest incident and listed in its ``confidential_fields``
HIDDEN_PLACE = "Quarry Lane holding site"
CONFIDENTIAL_PERSON = "Mirela Quintaval"


@dataclass(frozen=True, slots=True)
class Marks:
    """Ids of the seeded records a test needs, by what was done to them."""

    source_id: str
    verified_id: str  # verified, with HIDDEN_PLACE as a confidential field
    threat_id: str  # verified; its victim is the confidential person
    confidential_id: str  # verified but marked confidential
    unverified_id: str
    person_id: str  # Tavi Orenka, in verified incidents
    confidential_person_id: str
    organisation_id: str


def _incident_with(session: Session, source_id: str, act_type: str, date: str) -> str:
    stmt = (
        select(t.Incident.id)
        .join(t.Act, t.Act.incident_id == t.Incident.id)
        .where(t.Incident.source_id == source_id, t.Act.act_type == act_type, t.Incident.date == date)
    )
    found = session.scalars(stmt).first()
    assert found is not None, f"the seed report gave no {act_type} incident on {date}"
    return found


def _id_of(session: Session, table: type[t.Person] | type[t.Organisation], name: str) -> str:
    found = session.scalars(select(table.id).where(table.name == name)).first()
    assert found is not None, f"the seed report gave no {name}"
    return found


def _verify(session: Session, incident_id: str, **values: object) -> None:
    stmt = update(t.Incident).where(t.Incident.id == incident_id)
    session.execute(stmt.values(status=IncidentStatus.VERIFIED.value, verified_by="seed", **values))


def mark(engine: Engine, source_id: str) -> Marks:
    """Verify two incidents (one with a confidential field), mark one confidential and one person."""
    with Session(engine) as session:
        verified = _incident_with(session, source_id, "arrest", "2025-03-03")
        threat = _incident_with(session, source_id, "threat", "2025-03-09")
        confidential = _incident_with(session, source_id, "judicial_harassment", "2025-03-07")
        unverified = _incident_with(session, source_id, "raid_search", "2025-03-10")
        _verify(session, verified, detention_place=HIDDEN_PLACE, confidential_fields=["detention_place"])
        _verify(session, threat)
        _verify(session, confidential, confidential=True)
        person = _id_of(session, t.Person, CONFIDENTIAL_PERSON)
        session.execute(update(t.Person).where(t.Person.id == person).values(confidential=True))
        marks = Marks(
            source_id=source_id,
            verified_id=verified,
            threat_id=threat,
            confidential_id=confidential,
            unverified_id=unverified,
            person_id=_id_of(session, t.Person, "Tavi Orenka"),
            confidential_person_id=person,
            organisation_id=_id_of(session, t.Organisation, "Cedar Valley Rights Centre"),
        )
        session.commit()
    return marks
