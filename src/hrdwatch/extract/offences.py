"""The offence named near a legal reference: ``on charges of "petty hooliganism"``, ``charged
with X under Article N``, ``guilty of “X” (Article N ...)``, ``Article N (“X”)``.

Cue patterns are data (``rules/legal.json``, ``offence_cues``); each carries the rule name that
is recorded with the mention. A quoted offence is taken whole; an unquoted one runs from the cue
to the first stop word or punctuation (``offence_stops``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from hrdwatch.extract.rules import load_rule_file

_QUOTED = re.compile(r"^\s*(?:the\s+)?[“\"«‘]\s*([^”\"»’]{2,200}?)\s*[”\"»’]")
_GLOSS = re.compile(r"^\s*[(,–—-]?\s*[“\"«]\s*([^”\"»]{2,200}?)\s*[”\"»]\s*\)?")
_LEAD = re.compile(r"^(?:the|a|an|le|la|les|l['’]|el|los|las|un|une|una)\s+", re.I)


def data() -> dict[str, Any]:
    """The parsed ``rules/legal.json``."""
    return load_rule_file("legal.json")


@dataclass(frozen=True, slots=True)
class Offence:
    start: int  # of the cue, relative to the text searched
    end: int  # of the offence phrase
    text: str
    rule: str


@cache
def _cues() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((c["rule"], re.compile(c["pattern"], re.I)) for c in data()["offence_cues"])


@cache
def _stops() -> re.Pattern[str]:
    return re.compile(data()["offence_stops"], re.I)


@cache
def _negation() -> re.Pattern[str]:
    return re.compile(data()["offence_negation"], re.I)


def _phrase(rest: str) -> tuple[str, int] | None:
    """The offence at the start of ``rest`` and where it ends."""
    quoted = _QUOTED.match(rest)
    if quoted:
        return quoted.group(1).strip(), quoted.end()
    stop = _stops().search(rest)
    end = stop.start() if stop else len(rest)
    phrase = _LEAD.sub("", rest[:end].strip())
    words = phrase.split()
    if not words or len(words) > data()["offence_max_words"] or not phrase[0].islower():
        return None
    return phrase, end


def offences(text: str) -> list[Offence]:
    """Every cue in ``text`` followed by an offence phrase, in text order."""
    out = []
    for rule, cue in _cues():
        for m in cue.finditer(text):
            if _negation().search(text[max(0, m.start() - 30) : m.start()]):
                continue
            found = _phrase(text[m.end() :])
            if found:
                out.append(Offence(m.start(), m.end() + found[1], found[0], rule))
    return sorted(out, key=lambda o: o.start)


def offence_before(before: str) -> Offence | None:
    """The offence stated last in ``before`` when little text separates it from the reference."""
    found = [o for o in offences(before) if len(before) - o.end <= data()["offence_max_gap"]]
    return found[-1] if found else None


def offence_after(after: str) -> tuple[str, str] | None:
    """(offence, rule) quoted right after a reference: ``Article 342 (“organisation of ...”)``
    (rule ``gloss``) or ``..., alleging that he took part in “X”`` (rule ``alleging``)."""
    m = _GLOSS.match(after)
    if m:
        return m.group(1).strip(), "gloss"
    m = re.compile(data()["offence_after"], re.I).match(after)
    return (m.group(1).strip(), "alleging") if m else None
