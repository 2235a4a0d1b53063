"""Find date expressions in text: raw, unresolved candidates, one per span, no overlaps."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hrdwatch.extract.date_rules import LanguageRules, normalise


@dataclass(slots=True)
class Candidate:
    """What a pattern read, before the year or the anchor is known.

    ``rule`` is ``absolute``, ``partial``, ``no_year``, ``range`` or ``relative``. A relative candidate
    carries ``offset`` days from its anchor (``previous`` date or ``publication``), or a ``weekday``.
    """

    start: int
    end: int
    rule: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year2: int | None = None
    month2: int | None = None
    day2: int | None = None
    offset: int = 0
    anchor: str = "previous"
    weekday: int | None = None


def _group(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _month(text: str | None, rules: LanguageRules) -> int | None | bool:
    """Month number; ``False`` when the word is not a month here (lower-case ``may`` in English)."""
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    if rules.capitalised_months and not text[0].isupper():
        return False
    return rules.months.get(normalise(text).rstrip("."), False)


def _number(text: str | None) -> int | None:
    return int(text) if text is not None else None


def _span(m: re.Match[str]) -> tuple[int, int]:
    if _group(m, "body") is not None:
        return m.span("body")
    return m.span()


def _from_match(m: re.Match[str], rule: str, rules: LanguageRules) -> Candidate | None:
    month, month2 = _month(_group(m, "month"), rules), _month(_group(m, "month2"), rules)
    if month is False or month2 is False:
        return None
    start, end = _span(m)
    cand = Candidate(start, end, rule, _number(_group(m, "year")), month or None, _number(_group(m, "day")))
    cand.year2, cand.month2, cand.day2 = (
        _number(_group(m, "year2")),
        month2 or None,
        _number(_group(m, "day2")),
    )
    if rule == "no_year" and cand.year is not None:
        return None
    return cand


def _relative(text: str, rules: LanguageRules) -> Iterator[Candidate]:
    for m in rules.relative.finditer(text):
        yield Candidate(*m.span(), "relative", offset=rules.relative_days[normalise(m.group())])
    for m in rules.from_publication.finditer(text):
        offset = rules.publication_days[normalise(m.group())]
        yield Candidate(*m.span(), "relative", offset=offset, anchor="publication")
    for m in rules.counted.finditer(text):
        n = m.group("n")
        count = int(n) if n.isdigit() else rules.numbers[normalise(n)]
        days = count * rules.units[normalise(m.group("unit"))] * rules.directions[normalise(m.group("dir"))]
        yield Candidate(*m.span(), "relative", offset=days)
    for m in rules.weekday.finditer(text):
        name = m.group("weekday")
        if rules.capitalised_months and not name[0].isupper():
            continue
        day = rules.weekdays[normalise(name)]
        yield Candidate(*m.span("body"), "relative", anchor="publication", weekday=day)


def scan(text: str, rules: LanguageRules) -> Iterator[Candidate]:
    """Every candidate any pattern finds, overlapping ones included."""
    for rule, pattern in rules.patterns:
        for m in pattern.finditer(text):
            cand = _from_match(m, rule, rules)
            if cand is not None:
                yield cand
    yield from _relative(text, rules)


_PRIORITY = {"range": 0, "absolute": 1, "partial": 2, "no_year": 3, "relative": 4}


def select(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the longest of overlapping candidates (ties: the more specific rule), sorted by start."""
    ranked = sorted(candidates, key=lambda c: (c.start - c.end, _PRIORITY[c.rule], c.start))
    kept: list[Candidate] = []
    for cand in ranked:
        if all(cand.end <= k.start or cand.start >= k.end for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


def bare_year(text: str, start: int, end: int, rules: LanguageRules) -> Candidate | None:
    """A year standing alone (from a DATE entity), unless a word like ``Article`` comes just before."""
    word = text[start:end]
    if not (len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2099):
        return None
    if rules.year_blocker.search(text, max(0, start - 20), start):
        return None
    return Candidate(start, end, "partial", year=int(word))
