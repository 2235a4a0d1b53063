"""Lengths of time (``10 years``, ``one year's``, ``a two-year``, ``3 years and 6 months``) in months.

Units and number words come from ``rules/money.json``. ``DURATION`` is a regex fragment with no
named groups, so rules can embed it (``{DURATION}`` in the data).
"""

from __future__ import annotations

import re
from functools import cache

from hrdwatch.extract.money import _alt, data, parse_number

_ARTICLES = ("a", "an", "un", "une", "una", "uno")
_HALF = r"(?:and\s+a\s+half|et\s+demie?|y\s+medio)"


@cache
def _one(groups: bool = False) -> str:
    words = _alt([w for w in data()["number_words"] if w not in _ARTICLES])
    units = _alt(data()["units"])
    num = rf"(?:\d+(?:[.,]\d+)?|{_alt(_ARTICLES)}|(?:{words})(?:[\s-]+(?:and\s+)?(?:{words}))*)"
    n, h1, u, h2 = ("(?P<n>", "(?P<h1>", "(?P<u>", "(?P<h2>") if groups else ("(?:",) * 4
    return rf"\b{n}{num})(?:\s+{h1}{_HALF}))?[\s-]+{u}{units})\b(?:\s+{h2}{_HALF}))?(?:['’]s?)?"


@cache
def duration() -> str:
    """One duration, or two joined (``3 years and 6 months``), case-insensitive."""
    one = _one()
    return rf"(?i:{one}(?:(?:\s*,\s*|\s+and\s+|\s+et\s+|\s+y\s+|\s+){one})?)"


@cache
def duration_re() -> re.Pattern[str]:
    return re.compile(duration())


def months(raw: str) -> float | None:
    """Months in a duration: ``3 years and 6 months`` -> 42; ``one and a half years`` -> 18."""
    units: dict[str, float] = data()["units"]
    total, found = 0.0, False
    for m in re.finditer(_one(groups=True), raw, flags=re.IGNORECASE):
        head = m.group("n").lower()
        count = 1.0 if head in _ARTICLES else parse_number(head)
        if count is None:
            continue
        half = 0.5 if m.group("h1") or m.group("h2") else 0.0
        total += (count + half) * units[m.group("u").lower()]
        found = True
    return round(total, 2) if found else None
