"""Each person and organisation a new report names joins a canonical entity (issue 9).

People: candidates are the entities whose names share a block with the mention
(:class:`~hrdwatch.services.linking.blocking.BlockIndex` over every entity's names), scored by the
:class:`~hrdwatch.services.linking.matcher.Linker` with context (the country of the incidents
where the mention is a victim, its affiliations, the people named beside it). ``auto``: the mention
joins the best entity; ``suggested``: it gets an entity of its own plus a ``suggested`` link to the
candidate (accepting it later merges the two); ``new``: an entity of its own.

Organisations: the exact :func:`~hrdwatch.domain.names.any_order_key` of the name, as the data
migration did: organisation names are official names, rarely transliterated several ways, and a
fuzzy match between "Committee for X" and "Committee against X" would be wrong.

A mention that already has an entity is left alone, so linking a report twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hrdwatch.domain.names import any_order_key, name_key
from hrdwatch.services.linking.blocking import BlockIndex
from hrdwatch.services.linking.matcher import Candidate, Decision, Linker, Match
from hrdwatch.services.linking.similarity import Mention
from hrdwatch.store import case_queries as q
from hrdwatch.store.case_views import MentionView
from hrdwatch.store.entities import add_entity, entity_names, mentions, save_link, set_mention_entity

PEOPLE, ORGANISATIONS = "people", "organisations"
OWN_ENTITY = ("first mention of this person",)


@dataclass(slots=True)
class LinkCounts:
    entities: int = 0
    auto: int = 0
    suggested: int = 0


def contexts(session: Session, found: Sequence[MentionView]) -> dict[str, Mention]:
    """Each person mention as the matcher sees it: its name and what surrounds it in its report."""
    ids = [m.id for m in found]
    countries = q.victim_countries(session, ids)
    affiliations = q.affiliation_names(session, ids)
    people = q.people_of_sources(session, {m.source_id for m in found})
    return {
        m.id: Mention(
            m.name,
            country=_most_common(countries.get(m.id, [])),
            affiliations=frozenset(name_key(n) for n in affiliations.get(m.id, [])),
            people=frozenset(any_order_key(n) for pid, n in people.get(m.source_id, []) if pid != m.id),
        )
        for m in found
    }


def _most_common(values: list[str]) -> str | None:
    return Counter(values).most_common(1)[0][0] if values else None


class PersonIndex:
    """Every person entity's names, filed for blocking; grows as the report's people join."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.blocks = BlockIndex()
        self.names: dict[str, tuple[str, ...]] = {}
        self.countries: dict[str, str | None] = {}
        for entity_id, names, country in entity_names(session, "person"):
            self.add(entity_id, names, country)

    def add(self, entity_id: str, names: Sequence[str], country: str | None) -> None:
        for name in names:
            self.blocks.add(entity_id, name)
        self.names[entity_id] = tuple(dict.fromkeys([*self.names.get(entity_id, ()), *names]))
        self.countries[entity_id] = self.countries.get(entity_id) or country

    def candidates(self, name: str) -> list[Candidate]:
        """The entities sharing a block with ``name``, each with the context of its mentions."""
        ids = sorted(self.blocks.candidates(name))
        if not ids:
            return []
        known = [m for m in mentions(self.session, PEOPLE, entity_ids=ids) if m.review_status != q.REJECTED]
        seen = contexts(self.session, known)
        by_entity: dict[str, list[Mention]] = {i: [] for i in ids}
        for m in known:
            if m.entity_id in by_entity:
                by_entity[m.entity_id].append(seen[m.id])
        for entity_id, found in by_entity.items():
            if not found:  # no stored mention (yet): its names alone, with its country
                country = self.countries.get(entity_id)
                found.extend(Mention(n, country=country) for n in self.names.get(entity_id, ()))
        return [Candidate(entity_id, tuple(found)) for entity_id, found in by_entity.items()]


def link_people(session: Session, source_id: str, linker: Linker) -> LinkCounts:
    """Every person mention of the report without an entity joins one (module docstring)."""
    counts = LinkCounts()
    todo = [m for m in mentions(session, PEOPLE, source_id=source_id) if m.entity_id is None]
    if not todo:
        return counts
    index = PersonIndex(session)
    seen = contexts(session, todo)
    for m in todo:
        matches = linker.link(seen[m.id], index.candidates(m.name))
        best = matches[0] if matches else None
        if best is not None and best.decision is Decision.AUTO:
            _join(session, m, best)
            index.add(best.entity_id, [m.name, *m.aliases], seen[m.id].country)
            counts.auto += 1
            continue
        entity_id = own_entity(session, m, seen[m.id].country)
        index.add(entity_id, [m.name, *m.aliases], seen[m.id].country)
        counts.entities += 1
        for match in (x for x in matches if x.decision is Decision.SUGGESTED):
            _save(session, m, match)
            counts.suggested += 1
    return counts


def _join(session: Session, m: MentionView, match: Match) -> None:
    set_mention_entity(session, m.table, m.id, match.entity_id)
    _save(session, m, match)


def _save(session: Session, m: MentionView, match: Match) -> None:
    save_link(
        session,
        mention=(m.table, m.id),
        entity_id=match.entity_id,
        score=match.score,
        reasons=match.reasons,
        decision=match.decision.value,
    )


def own_entity(session: Session, m: MentionView, country: str | None) -> str:
    """A new entity for the mention alone, with its ``auto`` link (score 1)."""
    kind = "person" if m.table == PEOPLE else "organisation"
    entity_id = add_entity(session, kind=kind, name=m.name, country=country)
    set_mention_entity(session, m.table, m.id, entity_id)
    save_link(
        session, mention=(m.table, m.id), entity_id=entity_id, score=1.0, reasons=OWN_ENTITY, decision="auto"
    )
    return entity_id


def link_organisations(session: Session, source_id: str) -> LinkCounts:
    """Every organisation mention without an entity joins the entity of the same name (any word
    order), or a new one."""
    counts = LinkCounts()
    todo = [m for m in mentions(session, ORGANISATIONS, source_id=source_id) if m.entity_id is None]
    if not todo:
        return counts
    known = {any_order_key(n): e for e, names, _ in entity_names(session, "organisation") for n in names}
    for m in todo:
        entity_id = known.get(any_order_key(m.name))
        if entity_id is None:
            known[any_order_key(m.name)] = own_entity(session, m, None)
            counts.entities += 1
            continue
        set_mention_entity(session, m.table, m.id, entity_id)
        save_link(
            session,
            mention=(m.table, m.id),
            entity_id=entity_id,
            score=1.0,
            reasons=("same name",),
            decision="auto",
        )
        counts.auto += 1
    return counts
