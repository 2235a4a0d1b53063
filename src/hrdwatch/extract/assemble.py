"""Turn linked acts and the other stages' mentions into a CaseRecord with evidence on every fact."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from hrdwatch.domain.dates import PartialDate
from hrdwatch.domain.records import CaseRecord, Charge, Demand, Event, Perpetrator, Place, Sanction, Victim
from hrdwatch.extract.facts import Entity, LegalMention, PerpetratorMention, SanctionMention
from hrdwatch.extract.linked_acts import LinkedAct, main_country
from hrdwatch.extract.registry import ACTS, DATES, DEMANDS, LEGAL, NAMES, PERPETRATORS, PLACES, SANCTIONS

NOT_CIVIL = re.compile(r"\b(university|school|college|hospital|ministry|court|police|army)\b", re.I)
NOT_A_CHARGE = re.compile(r"declaration|covenant|convention|charter|constitution|iccpr|udhr|protocol", re.I)


def _group(linked: list[LinkedAct]) -> dict[tuple[str | None, tuple[int, ...]], list[LinkedAct]]:
    groups: dict[tuple[str | None, tuple[int, ...]], list[LinkedAct]] = {}
    for la in linked:
        date = la.date.value.iso if la.date and la.date.value else None
        groups.setdefault((date, tuple(sorted(la.victims))), []).append(la)
    return groups


def _event(
    doc: Doc, members: list[LinkedAct], entities: list[Entity], perps: list[PerpetratorMention]
) -> Event:
    first = members[0]
    event = Event(acts=list(dict.fromkeys(la.act.code for la in members)))
    event.victims = [entities[v].name for v in first.victims]
    event.date = first.date.value if first.date else None
    event.end_date = next((la.end_date for la in members if la.end_date), None)
    city = next((la.city for la in members if la.city), None)
    site = next((la.site for la in members if la.site), None)
    country = next((la.country for la in members if la.country), None)
    event.place = Place(
        city=city.name if city else None,
        country=(city.country if city else None) or country,
        site=site.name if site else None,
    )
    labels: list[str] = []
    for la in members:
        event.evidence.append(la.act.evidence(f"act:{la.act.code}", ACTS.name, la.act.rule))
        labels += [_perp_label(perps[i]) for i in la.perpetrators]
    event.perpetrators = list(dict.fromkeys(labels))
    if first.date:
        event.evidence.append(first.date.evidence("date", DATES.name, first.date.rule))
    if city:
        event.evidence.append(city.evidence("city", PLACES.name, city.rule))
    for v in first.victims:
        m = entities[v].mentions[0]
        event.evidence.append(m.evidence("victim", NAMES.name, "entity"))
    return event


def _perp_label(p: PerpetratorMention) -> str:
    return p.name or p.description or p.text


def _attach_legal(doc: Doc, events: list[Event], spans: list[tuple[int, int]]) -> list[str]:
    articles: list[str] = []
    for lm in doc._.hrd_articles or []:
        if lm.law and NOT_A_CHARGE.search(lm.law):
            continue
        if lm.article and lm.article not in articles:
            articles.append(lm.article)
        target = _event_for(lm.start, events, spans)
        if target is not None and not any(
            c.article == lm.article and c.law == lm.law for c in target.charges
        ):
            target.charges.append(_charge(lm))
    return articles


def _charge(lm: LegalMention) -> Charge:
    charge = Charge(offence=lm.offence, law=lm.law, article=lm.article)
    charge.evidence.append(lm.evidence("charge", LEGAL.name, lm.rule))
    return charge


def _event_for(offset: int, events: list[Event], spans: list[tuple[int, int]]) -> Event | None:
    best = None
    for event, (start, end) in zip(events, spans, strict=True):
        if start <= offset:
            best = event
        if start <= offset <= end:
            return event
    return best


def _sanctions(doc: Doc, events: list[Event], spans: list[tuple[int, int]]) -> list[Sanction]:
    out: list[Sanction] = []
    mentions: list[SanctionMention] = doc._.hrd_sanctions or []
    for sm in mentions:
        if sm.sanction is None:
            continue
        sanction = Sanction(
            sm.sanction.type,
            sm.sanction.amount,
            sm.sanction.amount_max,
            sm.sanction.currency,
            sm.sanction.months,
            sm.sanction.description,
        )
        sanction.evidence.append(sm.evidence("sanction", SANCTIONS.name, sm.rule))
        target = _event_for(sm.start, events, spans)
        if target is not None:
            target.sanctions.append(sanction)
        if not any(s.key() == sanction.key() for s in out):
            out.append(sanction)
    return out


def _victims(entities: list[Entity], used: list[int]) -> list[Victim]:
    out = []
    for i in dict.fromkeys(used):
        e = entities[i]
        roles = [r for r in e.roles if r != "source"]
        victim = Victim(
            name=e.name,
            kind=e.kind,
            aliases=list(e.aliases),
            description=roles[0] if roles else None,
            affiliations=[a for a in e.affiliations if a != e.name],
        )
        victim.evidence += [m.evidence("victim", NAMES.name, e.rule) for m in e.mentions]
        out.append(victim)
    return out


def _perpetrators(perps: list[PerpetratorMention], used: set[int], victims: set[int]) -> list[Perpetrator]:
    out: dict[str, Perpetrator] = {}
    for i in sorted(used):
        p = perps[i]
        if p.entity_id is not None and p.entity_id in victims:
            continue
        label = _perp_label(p)
        if label not in out:
            out[label] = Perpetrator(name=p.name, kind=p.kind, description=p.description)
        out[label].evidence.append(p.evidence("perpetrator", PERPETRATORS.name, p.rule))
    return list(out.values())


def _organisations(entities: list[Entity], victims: list[Victim], places: set[str]) -> list[str]:
    """Civil-society organisations: organisation victims and victims' affiliations."""
    by_name = {e.name: e for e in entities}
    victim_names = {v.name for v in victims}
    names: list[str] = []
    for v in victims:
        if v.kind == "organisation":
            names.append(v.name)
        for a in v.affiliations:
            org = by_name.get(a)
            if org is not None and (org.state or org.publisher or org.name in victim_names):
                continue
            if not NOT_CIVIL.search(a) and a.lower() not in places:
                names.append(a)
    return list(dict.fromkeys(names))


def build_record(doc: Doc, linked: list[LinkedAct]) -> CaseRecord:
    meta = doc._.hrd_meta or {}
    entities: list[Entity] = doc._.hrd_entities or []
    perps: list[PerpetratorMention] = doc._.hrd_perpetrators or []
    groups = _group(linked)
    events, spans = [], []
    for members in groups.values():
        events.append(_event(doc, members, entities, perps))
        spans.append((min(m.act.sent_start for m in members), max(m.act.sent_end for m in members)))
    order = sorted(range(len(events)), key=lambda i: spans[i][0])
    events, spans = [events[i] for i in order], [spans[i] for i in order]
    record = CaseRecord(id=str(meta.get("doc_id") or ""), language=meta.get("language"))
    record.events = events
    record.legal_articles = _attach_legal(doc, events, spans)
    record.sanctions = _sanctions(doc, events, spans)
    used_victims = [v for la in linked for v in la.victims]
    record.victims = _victims(entities, used_victims)
    record.perpetrators = _perpetrators(
        perps, {i for la in linked for i in la.perpetrators}, set(used_victims)
    )
    labels = {_perp_label(p) for p in perps if p.entity_id is None or p.entity_id not in set(used_victims)}
    for event in record.events:
        event.perpetrators = [x for x in event.perpetrators if x in labels]
    places = {p.text.lower() for p in doc._.hrd_places or []}
    record.organisations = _organisations(entities, record.victims, places)
    for victim in record.victims:
        victim.affiliations = [a for a in victim.affiliations if a in record.organisations]
    record.countries = _countries(doc, events)
    record.demands = [
        Demand(d.summary, [d.evidence("demand", DEMANDS.name, d.rule)]) for d in doc._.hrd_demands or []
    ]
    record.warnings = list(doc._.hrd_warnings or [])
    return record


def _countries(doc: Doc, events: list[Event]) -> list[str]:
    found = [e.place.country for e in events if e.place.country]
    if not found:
        home = main_country(doc, [p for p in doc._.hrd_places or [] if p.rule != "dateline"])
        found = [home] if home else []
    return list(dict.fromkeys(found))


def published(meta: dict[str, object]) -> PartialDate | None:
    value = meta.get("published")
    return value if isinstance(value, PartialDate) else None
