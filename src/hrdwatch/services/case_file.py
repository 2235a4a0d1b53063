"""A case file as the services give it: the case, its defenders with every spelling seen, its
timeline, the follow-ups waiting for a decision, the lineage of the proceedings and the chain of
events; and the viewer's version of it (verified, non-confidential incidents only, no confidential
person, no pending follow-up).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from hrdwatch.domain.lineage import Step, situation
from hrdwatch.services.case_steps import is_pending, steps_of
from hrdwatch.services.redaction import VERIFIED, withheld_names, withhold
from hrdwatch.store.case_queries import source_labels
from hrdwatch.store.case_views import CaseIncidentView, CaseView, ChainLinkView, EntityView
from hrdwatch.store.cases import case_entities, case_incidents, chain_links
from hrdwatch.store.entities import mentions
from hrdwatch.store.marks import confidential_person_names

REJECTED = "rejected"
MENTION_TABLE = {"person": "people", "organisation": "organisations"}


@dataclass(frozen=True, slots=True)
class Defender:
    """A person or organisation the case concerns, with every spelling its mentions use."""

    entity: EntityView
    spellings: tuple[str, ...]
    confidential: bool  # one of its mentions is marked confidential


@dataclass(frozen=True, slots=True)
class CaseFile:
    case: CaseView
    defenders: tuple[Defender, ...]
    timeline: tuple[CaseIncidentView, ...]  # auto and confirmed incidents, by follow-up number
    pending: tuple[CaseIncidentView, ...]  # suggested follow-ups for the analyst
    lineage: tuple[Step, ...]  # over the timeline's acts and sanctions
    chain: tuple[ChainLinkView, ...]
    sources: dict[str, str]  # source id -> its title, or its file name, for the timeline and the lineage


def build(session: Session, case: CaseView) -> CaseFile:
    """Everything an editor sees of ``case``."""
    incidents = case_incidents(session, case.id)
    timeline = tuple(i for i in incidents if not is_pending(i.decision))
    ids = [i.incident_id for i in timeline]
    return CaseFile(
        case=case,
        defenders=tuple(_defender(session, e) for e in case_entities(session, case.id)),
        timeline=timeline,
        pending=tuple(i for i in incidents if i.decision == "suggested"),
        lineage=tuple(steps_of(session, ids)),
        chain=chain_links(session, ids) if ids else (),
        sources=source_labels(session, {i.source_id for i in incidents}),
    )


def _defender(session: Session, entity: EntityView) -> Defender:
    found = [m for m in mentions(session, MENTION_TABLE[entity.kind], entity_ids=[entity.id])]
    kept = [m for m in found if m.review_status != REJECTED]
    spellings = tuple(dict.fromkeys(n for m in kept for n in (m.name, *m.aliases)))
    return Defender(entity, spellings or (entity.name,), any(m.confidential for m in found))


def visible(incident: CaseIncidentView) -> bool:
    """Whether a viewer may see this incident of a case."""
    return incident.status == VERIFIED and not incident.confidential


def for_viewer(session: Session, file: CaseFile) -> CaseFile:
    """The viewer's case file: only what :func:`visible` keeps, no rejected act, no pending
    follow-up, no confidential defender, and no confidential name in any string."""
    timeline = tuple(
        replace(i, acts=tuple(a for a in i.acts if a.review_status != REJECTED))
        for i in file.timeline
        if visible(i)
    )
    steps = tuple(steps_of(session, [i.incident_id for i in timeline]))
    shown = {i.incident_id for i in timeline}
    redacted = CaseFile(
        case=replace(file.case, situation=situation(steps).value),
        defenders=tuple(d for d in file.defenders if not d.confidential),
        timeline=timeline,
        pending=(),
        lineage=steps,
        chain=tuple(c for c in file.chain if {c.from_incident_id, c.to_incident_id} <= shown),
        sources={i.source_id: file.sources[i.source_id] for i in timeline},
    )
    return withhold(redacted, withheld_names(confidential_person_names(session)))
