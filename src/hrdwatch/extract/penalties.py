"""Prison terms and other penalties (life, death, bans, community service, house arrest, suspended).

A duration counts as a prison term only in a sentencing context: a sentencing verb before it
("sentenced to", "jailed for", "to 9 years" later in a list of sentences) or a prison word after
it ("in a penal colony", "'s imprisonment", "prison sentence"). Time spent so far ("detained for
two hours", "held for 10 months in prison", "it took 10 months") and hedged terms ("faces up to 5
years in prison", "could be sentenced to") are not sanctions.

Decision: a suspended or other non-custodial term ("a 2-year suspended sentence", "2 years of
restricted freedom") is a sanction of type ``other`` whose description is the phrase as written;
life imprisonment and the death sentence are ``other`` too.
"""

from __future__ import annotations

import re
from functools import cache

from hrdwatch.domain.records import Sanction
from hrdwatch.extract.durations import duration, duration_re, months
from hrdwatch.extract.facts import SanctionMention
from hrdwatch.extract.money import data
from hrdwatch.extract.windows import Sentences, clause_before

_ADJ_SENTENCE = re.compile(
    r"^\s*(?:(?:suspended|conditional|custodial|prison|jail|penal\s+colony)\s+)*(?:sentence|term)s?\b", re.I
)
_TO_END = re.compile(r"(?:\bto|\bà|\ba)\s+(?:an?\s+(?:additional|further|total\s+of)\s+)?$", re.I)
_JAILED_FOR = re.compile(r"\b(?:jailed|imprisoned)\s+(?:\w+\s+)?for\s+$", re.I)
_PERFECT = re.compile(r"\b(?:been|has|have|had)\s+(?:\w+\s+)?(?:jailed|imprisoned)\s+for\s+$", re.I)
_TERM_OF = re.compile(
    r"\b(?:prison|jail|custodial)\s+(?:sentence|term)s?\s+of\s+$|\bimprisonment\s+(?:of|for)\s+$", re.I
)


_SENTENCED = re.compile(r"\b(?:sentenced|condamnée?s?|condenad[oa]s?)\b[^.;]{0,80}$", re.I)


@cache
def _re(key: str) -> re.Pattern[str]:
    """A regex from the data; hedges are case-sensitive so that the month "May" is no modal."""
    return re.compile(data()[key], 0 if key == "hedges" else re.I)


@cache
def _others() -> tuple[tuple[str, str | None, re.Pattern[str]], ...]:
    return tuple(
        (o["rule"], o["description"], re.compile(o["pattern"].replace("{DURATION}", duration()), re.I))
        for o in data()["other_penalties"]
    )


def hedged(before: str) -> bool:
    """Whether the clause leading up to a penalty makes it a risk, a demand or a maximum."""
    return _re("hedges").search(clause_before(before)[-80:]) is not None


def _context(sents: Sentences, start: int, end: int, prison_before: bool) -> tuple[str, int] | None:
    """Why a duration is a prison term (rule name, end of the phrase), or None when it is not one."""
    before, after = sents.before(start), sents.after(end, limit=80)
    rest = re.sub(r"^[\s'’]*(?:of\s+)?", "", after)
    to_end = _TO_END.search(before) is not None
    word = _re("prison_words").match(rest)
    if word:
        if to_end or not _re("detention_so_far").search(before):
            return "prison_term", end + len(after) - len(rest) + word.end()
        return None
    noun = _ADJ_SENTENCE.match(after)
    if "-" in sents.text[start:end] and noun:
        return "adjective_sentence", end + noun.end()
    if to_end and _SENTENCED.search(before):
        return "sentenced_to", end
    if to_end and prison_before:
        return "sentence_list", end
    if _JAILED_FOR.search(before) and not _PERFECT.search(before):
        return "jailed_for", end
    if _TERM_OF.search(before):
        return "term_of", end
    return None


def _non_custodial(text: str, start: int, end: int) -> str | None:
    """The phrase as written when a term is suspended or non-custodial, else None."""
    after = text[end : end + 60]
    m = _re("non_custodial").search(after)
    if m and not re.search(r"[.;]", after[: m.start()]) and m.start() <= 35:
        noun = re.match(r"\s+(?:sentence|term)s?\b", after[m.end() :])
        return text[start : end + m.end() + (noun.end() if noun else 0)].strip()
    lead = text[max(0, start - 40) : start]
    if re.search(r"\bsuspended\s+(?:sentence|term)\s+of\s+$", lead, re.I):
        return (lead[lead.lower().rfind("suspended") :] + text[start:end]).strip()
    return None


def find_terms(text: str, sents: Sentences | None = None) -> list[SanctionMention]:
    """Prison terms and the non-custodial terms written like them."""
    sents = sents or Sentences(text)
    out: list[SanctionMention] = []
    last_prison_sentence = (-1, -1)
    for m in duration_re().finditer(text):
        bounds = sents.bounds(m.start())
        context = _context(sents, m.start(), m.end(), bounds == last_prison_sentence)
        if context is None or hedged(sents.before(m.start())):
            continue
        rule, end = context
        value = months(m.group(0))
        if value is None:
            continue
        described = _non_custodial(text, m.start(), m.end())
        if described:
            sanction = Sanction(type="other", description=described)
            out.append(
                SanctionMention(m.start(), end, text[m.start() : end], sanction, f"non_custodial:{rule}")
            )
            continue
        last_prison_sentence = bounds
        prison = Sanction(type="prison", months=value)
        out.append(SanctionMention(m.start(), end, text[m.start() : end], prison, rule))
    return out


def find_other_penalties(text: str, sents: Sentences | None = None) -> list[SanctionMention]:
    """Life and death sentences, bans, community service and house arrest imposed as a sentence."""
    sents = sents or Sentences(text)
    needs_sentence = set(data()["other_needs_sentence"])
    out: list[SanctionMention] = []
    for rule, description, pattern in _others():
        for m in pattern.finditer(text):
            before = sents.before(m.start())
            if hedged(before):
                continue
            if rule in needs_sentence and not _re("sentence_verbs").search(before + m.group(0)):
                continue
            desc = description or " ".join(m.group(0).split())
            out.append(
                SanctionMention(
                    m.start(), m.end(), m.group(0), Sanction(type="other", description=desc), rule
                )
            )
    return out
