"""What a viewer may see: verified, non-confidential incidents, no confidential person or field,
and no confidential name anywhere in a string they get (``[withheld]``).

Editors and admins see everything; these functions run only for viewers, in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields, is_dataclass, replace
from typing import TypeVar, cast

from hrdwatch.domain.review import IncidentStatus, ReviewStatus
from hrdwatch.errors import Errors, ReviewError, StoreError
from hrdwatch.services.people import OrganisationPage, PersonPage
from hrdwatch.store.browse_views import TimelineEntry
from hrdwatch.store.marks import IncidentMarks
from hrdwatch.store.views import ActView, EvidenceView, IncidentDetail

VERIFIED = IncidentStatus.VERIFIED.value
REJECTED = ReviewStatus.REJECTED.value

WITHHELD = "[withheld]"
_V = TypeVar("_V")


def withhold(value: _V, names: tuple[str, ...]) -> _V:
    """``value`` with every confidential name in every string of it (dataclasses, tuples and dicts
    walked through) replaced by ``[withheld]``: titles and demands quote names too."""
    if not names:
        return value
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    return cast(_V, _walk(value, pattern))


def withheld_names(people: Iterable[tuple[str, Iterable[str]]]) -> tuple[str, ...]:
    """Every name and alias of these (name, aliases) people, and their parts of four letters or more
    (longest first), to withhold from viewers wherever they appear: report titles, demands, quotes."""
    names: set[str] = set()
    for name, aliases in people:
        for full in (name, *aliases):
            names.add(full.strip())
            # reports go on with the surname alone ("Eklund was sentenced"): withhold each part too
            names.update(part for part in full.replace(",", " ").split() if len(part) >= 4)
    return tuple(sorted((n for n in names if len(n) > 2), key=len, reverse=True))


def overlapping(names: tuple[str, ...], q: str | None) -> tuple[str, ...]:
    """The ``names`` a match of ``q`` could touch: those inside ``q`` or holding it, or that share
    an end with it ("k detained" touches "Brennock" in "Brennock detained"). A viewer's search
    must not match through any of them."""
    needle = (q or "").strip().casefold()
    if not needle:
        return ()
    return tuple(n for n in names if _overlap(n.casefold(), needle))


def _overlap(name: str, needle: str) -> bool:
    if name in needle or needle in name:
        return True
    return any(needle.startswith(name[i:]) for i in range(1, len(name))) or any(
        needle.endswith(name[:i]) for i in range(1, len(name))
    )


def _walk(value: object, pattern: re.Pattern[str]) -> object:
    if isinstance(value, str):
        return pattern.sub(WITHHELD, value)
    if isinstance(value, tuple):
        return tuple(_walk(v, pattern) for v in value)
    if isinstance(value, dict):
        return {k: _walk(v, pattern) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), pattern) for f in fields(value)}
        return replace(value, **changes)
    return value


_TEXT_FIELDS = ("city", "site", "detention_place")


def redact_incident(detail: IncidentDetail, marks: IncidentMarks) -> IncidentDetail:
    """What a viewer may see of ``detail``; E305 for an unverified or confidential incident."""
    if marks.status != VERIFIED or marks.confidential or detail.status != VERIFIED:
        raise StoreError(Errors.E305, ident=detail.id)
    gone = {p.id for p in detail.people if p.id in marks.confidential_people or p.review_status == REJECTED}
    gone_names = [n for p in detail.people if p.id in gone for n in (p.name, *p.aliases) if len(n) > 2]
    perpetrators = tuple(p for p in detail.perpetrators if p.review_status != REJECTED)
    labels = {p.label for p in perpetrators}
    acts = tuple(_redact_act(a, gone, labels) for a in detail.acts if a.review_status != REJECTED)
    kept = replace(
        detail,
        acts=acts,
        people=tuple(p for p in detail.people if p.id not in gone),
        organisations=tuple(o for o in detail.organisations if o.review_status != REJECTED),
        perpetrators=perpetrators,
        charges=tuple(c for c in detail.charges if c.review_status != REJECTED),
        sanctions=tuple(s for s in detail.sanctions if s.review_status != REJECTED),
        demands=tuple(d for d in detail.demands if d.review_status != REJECTED),
    )
    hidden = set(marks.hidden)
    words = gone_names + [str(getattr(detail, f)) for f in _TEXT_FIELDS if f in hidden and getattr(detail, f)]
    evidence = tuple(e for e in detail.evidence if _shown(e, kept, hidden, words))
    return replace(
        kept,
        evidence=evidence,
        date=_unless(hidden, "date", detail.date),
        date_precision=_unless(hidden, "date", detail.date_precision),
        end_date=_unless(hidden, "end_date", detail.end_date),
        city=_unless(hidden, "city", detail.city),
        country=_unless(hidden, "country", detail.country),
        site=_unless(hidden, "site", detail.site),
        detention_place=_unless(hidden, "detention_place", detail.detention_place),
    )


def _unless(hidden: set[str] | tuple[str, ...], field: str, value: str | None) -> str | None:
    return None if field in hidden else value


def _redact_act(act: ActView, gone: set[str], labels: set[str]) -> ActView:
    perpetrators = tuple(p for p in act.perpetrators if p in labels)
    if act.victim_id in gone:
        return replace(act, victim=None, victim_kind=None, victim_id=None, perpetrators=perpetrators)
    return replace(act, perpetrators=perpetrators)


def _shown(ev: EvidenceView, kept: IncidentDetail, hidden: set[str], words: list[str]) -> bool:
    """Whether a piece of evidence supports a fact still shown and names nothing hidden."""
    rows: dict[str, set[str]] = {
        "sources": {kept.source.id},
        "incidents": {kept.id},
        "acts": {a.id for a in kept.acts},
        "people": {p.id for p in kept.people},
        "organisations": {o.id for o in kept.organisations},
        "perpetrators": {p.id for p in kept.perpetrators},
        "charges": {c.id for c in kept.charges},
        "sanctions": {s.id for s in kept.sanctions},
        "demands": {d.id for d in kept.demands},
    }
    if ev.fact_id not in rows.get(ev.fact_table, set()) or ev.field in hidden:
        return False
    if ev.fact_table == "incidents" and ev.field.startswith("act:"):
        if ev.field[4:] not in {a.act_type for a in kept.acts}:
            return False
    text = f"{ev.quote}\n{ev.sentence}".casefold()
    return not any(word.casefold() in text for word in words)


def _redact_entry(entry: TimelineEntry) -> TimelineEntry:
    hidden = entry.hidden
    return replace(
        entry,
        date=_unless(hidden, "date", entry.date),
        country=_unless(hidden, "country", entry.country),
        city=_unless(hidden, "city", entry.city),
    )


def _redact_timeline(
    timeline: tuple[TimelineEntry, ...], people: set[str], orgs: set[str]
) -> tuple[TimelineEntry, ...]:
    """The verified, non-confidential entries reached through a person or an organisation a viewer
    may see, their hidden fields emptied and their links narrowed to those."""
    return tuple(
        replace(
            _redact_entry(e),
            via_people=tuple(i for i in e.via_people if i in people),
            via_organisations=tuple(i for i in e.via_organisations if i in orgs),
        )
        for e in timeline
        if e.status == VERIFIED
        and not e.confidential
        and (people & set(e.via_people) or orgs & set(e.via_organisations))
    )


def _linked(timeline: tuple[TimelineEntry, ...]) -> set[str]:
    """The people and organisations a (redacted) timeline was reached through."""
    return {i for e in timeline for i in (*e.via_people, *e.via_organisations)}


def redact_person(page: PersonPage) -> PersonPage:
    """A viewer sees a person found as a victim in a verified, non-confidential incident; the same
    defender's other rows only as far as they are, too."""
    if page.confidential or page.review_status == REJECTED:
        raise ReviewError(Errors.E511, kind="person", ident=page.id)
    same = [p for p in page.same if not p.confidential and p.review_status != REJECTED]
    timeline = _redact_timeline(page.timeline, {page.id, *(p.id for p in same)}, set())
    linked = _linked(timeline)
    if page.id not in linked:
        raise ReviewError(Errors.E511, kind="person", ident=page.id)
    affiliations = tuple(o for o in page.affiliations if o.review_status != REJECTED)
    return replace(
        page, same=tuple(p for p in same if p.id in linked), timeline=timeline, affiliations=affiliations
    )


def redact_organisation(page: OrganisationPage) -> OrganisationPage:
    """A viewer sees an organisation with a verified, non-confidential incident done to it or to a
    member they may see; members and namesakes only as far as they link to one."""
    if page.review_status == REJECTED:
        raise ReviewError(Errors.E511, kind="organisation", ident=page.id)
    members = [p for p in page.members if not p.confidential and p.review_status != REJECTED]
    orgs = {page.id, *(o.id for o in page.same if o.review_status != REJECTED)}
    timeline = _redact_timeline(page.timeline, {p.id for p in members}, orgs)
    if not timeline:
        raise ReviewError(Errors.E511, kind="organisation", ident=page.id)
    linked = _linked(timeline)
    return replace(
        page,
        same=tuple(o for o in page.same if o.id in linked),
        members=tuple(p for p in members if p.id in linked),
        timeline=timeline,
    )
