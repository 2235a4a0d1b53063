"""The dates stage: every date a report gives, resolved to a :class:`PartialDate`, with its offsets.

Works from ``doc.text`` alone (regexes built from ``rules/dates.json``), so it runs on a blank French or
Spanish pipeline too. A dateline or publication date is kept but flagged ``publication=True``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.domain.dates import PartialDate, Precision
from hrdwatch.extract.date_resolve import Resolver
from hrdwatch.extract.date_rules import LanguageRules, rules_for
from hrdwatch.extract.date_scan import Candidate, bare_year, scan, select
from hrdwatch.extract.extensions import register
from hrdwatch.extract.facts import DateMention
from hrdwatch.extract.registry import DATES

#: ``Geneva-Paris, `` or ``GENEVA (`` before a dateline (case-sensitive: place names are capitalised)
_PLACE = re.compile(r"^\s*(?:[A-ZÀ-ÖØ-Þ][\w'’.]*[\s/-]*){1,4}(?:,\s*(?:[a-z]{2}\s+)?|\(\s*)$")
#: what may follow a dateline on its line: ``.``, ``–``, ``)`` or nothing
_AFTER_PLACE = re.compile(r"^\s*\)?\s*(?:[.:–—]|-\s|$)")
_AFTER_LINE_START = re.compile(r"^\s*(?:[.–—](?:\s|$)|-\s)")
#: between a relative word and the written date restating it: ``, on ``
_APPOSITION = re.compile(r"[\s,(]*(?:[^\W\d_]{1,3}\s+)?")


def _line(text: str, start: int, end: int) -> tuple[str, str]:
    """The text before and after a span on its own line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start:start], text[end : line_end if line_end >= 0 else len(text)]


def _is_dateline(text: str, cand: Candidate, rules: LanguageRules, *, first: bool) -> bool:
    if cand.rule == "relative" or cand.month is None:
        return False
    before, after = _line(text, cand.start, cand.end)
    if rules.dateline_marker.search(before):
        return True  # posted on: 2014/12/13
    if not before.strip() and not after.strip(" \t.;:,"):
        return True  # a line that is only a date
    if _PLACE.match(before) and _AFTER_PLACE.match(after):
        return True  # Geneva-Paris, 19 December 2025.
    return first and not before.strip() and bool(_AFTER_LINE_START.match(after))


def _datelines(text: str, cands: Sequence[Candidate], rules: LanguageRules) -> list[bool]:
    flags: list[bool] = []
    for cand in cands:
        first = not any(not flag and c.rule != "relative" for c, flag in zip(cands, flags, strict=False))
        flags.append(_is_dateline(text, cand, rules, first=first))
    return flags


def _publication(
    published: PartialDate | None, cands: Sequence[Candidate], flags: Sequence[bool]
) -> PartialDate | None:
    """The publication date given, else the first day-precision dateline."""
    if published is not None:
        return published
    for cand, dateline in zip(cands, flags, strict=True):
        found = Resolver(None).resolve(cand) if dateline and cand.year else None
        if found and found.value.precision is Precision.DAY:
            return found.value
    return None


def _restated(text: str, cand: Candidate, nxt: Candidate) -> bool:
    """``Today, on 14 December 2014``: a relative word followed by the date it stands for."""
    if cand.rule != "relative" or nxt.rule == "relative" or nxt.day is None:
        return False
    return _APPOSITION.fullmatch(text, cand.end, nxt.start) is not None


def _drop_restated(text: str, cands: list[Candidate]) -> list[Candidate]:
    """The written date wins over the relative word beside it."""
    dropped = {i for i in range(len(cands) - 1) if _restated(text, cands[i], cands[i + 1])}
    return [c for i, c in enumerate(cands) if i not in dropped]


def _first_year(cands: Sequence[Candidate]) -> PartialDate | None:
    """The first year written with a month: context for a no-year date that comes before any other."""
    years = (c.year or c.year2 for c in cands if c.rule != "relative" and (c.month or c.month2))
    return next((PartialDate(y) for y in years if y is not None), None)


def find_dates(
    text: str,
    *,
    published: PartialDate | None,
    lang: str = "en",
    year_spans: Sequence[tuple[int, int]] = (),
) -> list[DateMention]:
    """Every date mention in ``text``, sorted, non-overlapping. ``year_spans`` are extra spans that
    hold a bare year (e.g. a DATE entity from the NER), kept unless a word like ``Article`` precedes."""
    rules = rules_for(lang)
    extra = (bare_year(text, start, end, rules) for start, end in year_spans)
    cands = _drop_restated(text, select([*scan(text, rules), *(c for c in extra if c is not None)]))
    flags = _datelines(text, cands, rules)
    resolver = Resolver(_publication(published, cands, flags), fallback_year=_first_year(cands))
    mentions: list[DateMention] = []
    for cand, dateline in zip(cands, flags, strict=True):
        found = resolver.resolve(cand)
        if found is None:
            continue
        resolver.remember(cand, found, publication=dateline)
        mentions.append(
            DateMention(
                cand.start,
                cand.end,
                text[cand.start : cand.end],
                value=found.value,
                end_value=found.end_value,
                rule="dateline" if dateline else cand.rule,
                publication=dateline,
            )
        )
    return mentions


def _year_entities(doc: Doc) -> list[tuple[int, int]]:
    if not doc.has_annotation("ENT_IOB"):
        return []
    return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "DATE"]


@Language.component(DATES.factory, assigns=["doc._.hrd_dates"])
def dates_component(doc: Doc) -> Doc:
    """Append the report's date mentions to ``doc._.hrd_dates``."""
    register()
    meta = doc._.hrd_meta or {}
    published = meta.get("published")
    if isinstance(published, str):
        published = PartialDate.from_iso(published) if published.strip() else None
    lang = meta.get("language") or doc.lang_ or "en"
    mentions = find_dates(doc.text, published=published, lang=lang, year_spans=_year_entities(doc))
    if doc._.hrd_dates is None:
        doc._.hrd_dates = []
    doc._.hrd_dates.extend(mentions)
    return doc
