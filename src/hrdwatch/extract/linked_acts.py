"""Each act with what it was done to, when, where and by whom: what event assembly groups into events.

Acts are read in text order; each gets its victims (syntax, then pronouns, see :mod:`linking`),
its date (own sentence, else the running date), its place and its perpetrators. Coarse or
summary repetitions of an act already told are then dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

from spacy.tokens import Doc

from hrdwatch.domain.dates import PartialDate, Precision
from hrdwatch.extract import extensions
from hrdwatch.extract.facts import ActMention, DateMention, Entity, Mention, PlaceMention
from hrdwatch.extract.linking import (
    Focus,
    entity_index,
    sentence_people,
    sentence_pronoun_victims,
    victims_of,
)
from hrdwatch.extract.organisations import orgish

_M = TypeVar("_M", bound=Mention)
SUMMARY_LEMMAS = {"condemn", "denounce", "deplore", "concern", "recall", "welcome", "express"}


@dataclass
class LinkedAct:
    """One act with everything assembly decided about it."""

    act: ActMention
    index: int
    victims: list[int]
    date: DateMention | None
    end_date: PartialDate | None
    city: PlaceMention | None
    country: str | None
    site: PlaceMention | None
    summary: bool = False
    perpetrators: list[int] = field(default_factory=list)


def _in(start: int, end: int, mentions: list[_M]) -> list[_M]:
    return [m for m in mentions if start <= m.start < end]


def main_country(doc: Doc, places: list[PlaceMention]) -> str | None:
    """The report's country: one named near the top that the title repeats, else the most named."""
    counts = Counter(p.country for p in places if p.country and p.rule != "dateline")
    title = str((doc._.hrd_meta or {}).get("title") or "")
    for p in places:
        if p.country and p.start < 300 and title and extensions.doc_text(doc)[p.start : p.end] in title:
            return p.country
    return counts.most_common(1)[0][0] if counts else None


def _eligible(entities: list[Entity]) -> set[int]:
    """Who can be a victim: not a publisher or state body; an organisation only when it is not
    merely some person's affiliation."""
    affiliations = {a for e in entities if e.kind == "person" for a in e.affiliations}
    return {
        e.id
        for e in entities
        if not e.publisher
        and not e.state
        and not (e.kind == "organisation" and (e.name in affiliations or not orgish(e.name)))
    }


def _is_summary(doc: Doc, act: ActMention) -> bool:
    token = doc[act.token_i]
    for t in [token, *token.ancestors]:
        if t.lemma_ in SUMMARY_LEMMAS and t is not token:
            return True
    return False


def link_acts(doc: Doc) -> list[LinkedAct]:
    entities: list[Entity] = doc._.hrd_entities or []
    acts: list[ActMention] = doc._.hrd_acts or []
    dates = [d for d in doc._.hrd_dates or [] if not d.publication and d.value is not None]
    places = [p for p in doc._.hrd_places or [] if p.rule != "dateline"]
    tok2ent = entity_index(doc, entities)
    eligible = _eligible(entities)
    perps_by_act: dict[int, list[int]] = {}
    for pi, p in enumerate(doc._.hrd_perpetrators or []):
        for ai in p.acts:
            perps_by_act.setdefault(ai, []).append(pi)
    perp_entities = {p.entity_id for p in doc._.hrd_perpetrators or [] if p.entity_id is not None}
    focus = Focus()
    running_date: DateMention | None = None
    running_city: PlaceMention | None = None
    home = main_country(doc, places)
    out: list[LinkedAct] = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        sent_dates = _in(s, e, dates)
        sent_places = _in(s, e, places)
        cities = [p for p in sent_places if p.kind == "city" and p.country]
        countries = [p.country for p in sent_places if p.kind in ("country", "adjective") and p.country]
        sites = [p for p in sent_places if p.kind == "site"]
        running_date = sent_dates[0] if sent_dates else running_date
        running_city = cities[0] if cities else running_city
        sent_acts = [
            (i, a) for i, a in enumerate(acts) if s <= a.start < e and not a.negated and not a.hedged
        ]
        tokens = list(sent)
        people = [p for p in sentence_people(tokens, tok2ent, eligible) if entities[p].kind == "person"]
        for index, act in sent_acts:
            excluded: set[int] = {
                eid
                for pi in perps_by_act.get(index, [])
                if (eid := doc._.hrd_perpetrators[pi].entity_id) is not None
            }
            victims = victims_of(doc[act.token_i], tok2ent, eligible, focus, excluded)
            if not victims:
                victims = [p for p in people if p not in excluded and not _source_here(entities[p], act)]
            if not victims:
                victims = sentence_pronoun_victims(tokens, focus)
            date = _date_for(act, sent_dates, running_date)
            city = cities[0] if cities else running_city
            country = city.country if city else (countries[0] if countries else home)
            if countries and home in countries:
                country = home if not city else country
            out.append(
                LinkedAct(
                    act,
                    index,
                    victims,
                    date,
                    date.end_value if date else None,
                    city,
                    country,
                    sites[0] if sites else None,
                    summary=_is_summary(doc, act),
                    perpetrators=perps_by_act.get(index, []),
                )
            )
        named = [p for p in people if p not in perp_entities]
        if not named and sent_acts:
            named = [v for la in out[-len(sent_acts) :] for v in la.victims]
        if named:
            focus.people = list(dict.fromkeys(named))
    return out


def _source_here(entity: Entity, act: ActMention) -> bool:
    return "source" in entity.roles and not any(
        act.sent_start <= m.start < act.sent_end for m in entity.mentions[:0]
    )


def _date_for(
    act: ActMention, sent_dates: list[DateMention], running: DateMention | None
) -> DateMention | None:
    if not sent_dates:
        return running
    before = [d for d in sent_dates if d.start <= act.start]
    return before[-1] if before else sent_dates[0]


def drop_coarse_duplicates(linked: list[LinkedAct]) -> list[LinkedAct]:
    """A month- or year-level mention of an act (a summary lede) that a finer date also records."""
    fine = {(v, la.act.code, la.date.value) for la in linked if la.date and la.date.value for v in la.victims}
    out = []
    for la in linked:
        if la.date and la.date.value and la.date.value.precision is not Precision.DAY and la.victims:
            coarse = la.date.value
            covered = all(
                any(
                    fv == v
                    and fc == la.act.code
                    and fd is not None
                    and fd.year == coarse.year
                    and (coarse.month is None or fd.month == coarse.month)
                    and fd.precision is Precision.DAY
                    for fv, fc, fd in fine
                )
                for v in la.victims
            )
            if covered:
                continue
        out.append(la)
    return out


def drop_repeated_summaries(linked: list[LinkedAct]) -> list[LinkedAct]:
    """Condemnations repeat acts already told: keep them only when they add something."""
    seen = {(v, la.act.code) for la in linked if not la.summary for v in la.victims}
    out = []
    for la in linked:
        if la.summary:
            if not la.victims:
                continue
            if all((v, la.act.code) in seen for v in la.victims):
                continue
        out.append(la)
    return out
