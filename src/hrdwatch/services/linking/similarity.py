"""Compare two written names (and, when known, their context) -> a score 0..1 and the reasons.

Words are aligned in any order (surname first, "Valk, Teodor"), each with its best partner; an
initial agrees with a word that starts with a letter of the same sound; a patronymic or father's
name present on one side only costs nothing; a surname alone ("journalist Denisov") is evidence,
not proof. Different given names with one shared surname score low on purpose: the weakest aligned
pair caps the score, so "Ilya Denisov" is not "Pavel Denisov".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hrdwatch.services.linking.names import NameToken, ParsedName, parse_name
from hrdwatch.services.linking.tokens import token_similarity

#: the weakest aligned pair plus this caps the mean
WEAKEST_MARGIN = 0.25
INITIALS_FACTOR = 0.9
INITIALS_DISAGREE_FACTOR = 0.5
MISSING_WORD_FACTOR = 0.8
SURNAME_ONLY_FACTOR = 0.85
CONTEXT_BONUS = 0.05
OTHER_COUNTRY_FACTOR = 0.8


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as a report gives it, with the optional context that helps tell namesakes apart."""

    name: str
    country: str | None = None
    affiliations: frozenset[str] = field(default_factory=frozenset)
    people: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Similarity:
    score: float
    reasons: tuple[str, ...]


@dataclass(slots=True)
class _Alignment:
    sims: list[tuple[float, int]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    left_a: list[NameToken] = field(default_factory=list)
    left_b: list[NameToken] = field(default_factory=list)
    crossed: bool = False


def _align(a: tuple[NameToken, ...], b: tuple[NameToken, ...]) -> _Alignment:
    """Greedy best pairs (names have few words); what is left over is in ``left_a``/``left_b``."""
    scored = sorted(
        ((*token_similarity(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b)),
        key=lambda item: -item[0],
    )
    out, used_a, used_b, order = _Alignment(), set(), set(), []
    for sim, reason, i, j in scored:
        if i in used_a or j in used_b or (sim <= 0.0 and (a[i].optional or b[j].optional)):
            continue
        used_a.add(i)
        used_b.add(j)
        order.append((i, j))
        out.sims.append((sim, max(len(a[i].keys[0]), len(b[j].keys[0]), 3)))
        if reason:
            out.reasons.append(reason)
    out.left_a = [t for i, t in enumerate(a) if i not in used_a]
    out.left_b = [t for j, t in enumerate(b) if j not in used_b]
    out.crossed = [j for _, j in sorted(order)] != sorted(j for _, j in order)
    return out


def _initials(initials: tuple[NameToken, ...], others: list[NameToken]) -> tuple[int, int]:
    """How many initials agree with a word or initial of the other name, and how many disagree."""
    pool = [t.first for t in others]
    agree = disagree = 0
    for token in initials:
        if token.first in pool:
            pool.remove(token.first)
            agree += 1
        elif pool:
            disagree += 1
    return agree, disagree


def _unused(tokens: list[NameToken], initials: tuple[NameToken, ...]) -> list[NameToken]:
    """Leftover words that no initial of the other side stood for."""
    firsts = [t.first for t in initials]
    left = []
    for token in tokens:
        if token.first in firsts:
            firsts.remove(token.first)
        else:
            left.append(token)
    return left


def _factors(a: ParsedName, b: ParsedName, al: _Alignment) -> tuple[float, list[str]]:
    agree_a, bad_a = _initials(a.initials, al.left_b + list(b.initials))
    agree_b, bad_b = _initials(b.initials, al.left_a + list(a.initials))
    factor, reasons = 1.0, []
    if bad_a or bad_b:
        factor, reasons = INITIALS_DISAGREE_FACTOR, ["initials disagree"]
    elif agree_a or agree_b:
        factor, reasons = INITIALS_FACTOR, ["initials agree"]
    elif a.initials or b.initials:
        reasons = ["initials not known on the other side"]
    left = _unused(al.left_a, b.initials) + _unused(al.left_b, a.initials)
    if any(not t.optional for t in left):
        factor *= MISSING_WORD_FACTOR
        reasons.append("a name word on one side only")
    elif left:
        reasons.append("patronymic or father's name on one side only")
    if len(a.full) == 1 and len(b.full) == 1 and not (agree_a and agree_b):
        factor *= SURNAME_ONLY_FACTOR
        reasons.append("one word only")
    return factor, reasons


def name_similarity(a: ParsedName, b: ParsedName) -> Similarity:
    if not a.full or not b.full:
        return Similarity(0.0, ("no full name",))
    al = _align(a.full, b.full)
    if not al.sims:
        return Similarity(0.0, ("nothing in common",))
    weight = sum(w for _, w in al.sims)
    mean = sum(s * w for s, w in al.sims) / weight
    score = min(mean, min(s for s, _ in al.sims) + WEAKEST_MARGIN)
    factor, reasons = _factors(a, b, al)
    reasons = al.reasons + reasons
    if a.script is not b.script:
        reasons.insert(0, "same name in another script" if score >= 0.9 else "names in two scripts")
    if al.crossed:
        reasons.append("name order differs")
    if a.nickname and a.nickname == b.nickname:
        score += CONTEXT_BONUS
        reasons.append("same nickname")
    return Similarity(min(1.0, score * factor), tuple(reasons))


def _with_context(sim: Similarity, a: Mention, b: Mention) -> Similarity:
    score, reasons = sim.score, list(sim.reasons)
    if score <= 0.0:
        return sim
    if a.country and b.country:
        if a.country.upper() == b.country.upper():
            score, reasons = score + CONTEXT_BONUS, [*reasons, "same country"]
        else:
            score, reasons = score * OTHER_COUNTRY_FACTOR, [*reasons, "different countries"]
    if a.affiliations & b.affiliations:
        score, reasons = score + CONTEXT_BONUS, [*reasons, "shared affiliation"]
    if a.people & b.people:
        score, reasons = score + CONTEXT_BONUS, [*reasons, "people in common"]
    return Similarity(round(min(1.0, score), 4), tuple(reasons))


def similarity(a: Mention, b: Mention) -> Similarity:
    """Score two mentions: the names, then country, affiliations and co-occurring people if given."""
    return _with_context(name_similarity(parse_name(a.name), parse_name(b.name)), a, b)
