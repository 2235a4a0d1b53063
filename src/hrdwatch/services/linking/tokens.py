"""How alike two name words are, from their folded keys, with what pulls that down on purpose.

Jaro-Winkler (rapidfuzz) on folded keys, the best pair of readings, scaled so that two different
names that merely look alike (Jaro-Winkler 0.8) count for little. Two checks undo the closeness of
names that are near in spelling but not the same name: a male and a female form (Ivanov / Ivanova,
Aleksandr / Aleksandra) and two names one letter apart where no romanisation confuses the letters
(Marat / Murat, Yuriy / Yuliy, Fomin / Fokin).
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, LCSseq

from hrdwatch.services.linking.keys import skeleton, sound
from hrdwatch.services.linking.names import NameToken, words

#: Jaro-Winkler at or below this counts as nothing in common
JW_FLOOR = 0.7
#: consonant skeletons (Arabic script) agree more easily by chance: a higher floor
SKELETON_FLOOR = 0.8
#: share of the Arabic key found in order in the Latin key at or below which nothing agrees
COVER_FLOOR = 0.5
#: the coarse key (voicing, e/i, o/u) agrees: nearly as good as the folded key
SOUND_WEIGHT = 0.96
GENDER_SCORE = 0.2
ONE_LETTER_SCORE = 0.35
#: a vowel for a vowel (Marat / Murat) may also be how Arabic short vowels are written (Masri / Misri)
ONE_VOWEL_SCORE = 0.6
_VOWEL_LETTERS = frozenset("aeiou")

#: letters one romanisation writes where another writes the other (so no "one letter apart" penalty)
_CONFUSABLE = frozenset(
    frozenset(pair)
    for pair in ("ei", "ou", "ae", "iy", "kg", "kh", "kc", "kq", "sz", "cs", "cz", "vf", "bp", "dt", "td")
)


def _scaled(jw: float, floor: float = JW_FLOOR) -> float:
    return max(0.0, (jw - floor) / (1.0 - floor))


def _best_jw(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    return max(JaroWinkler.similarity(x, y) for x in a for y in b)


def _found_in(arabic: str, latin: str) -> float:
    """Share of the Arabic key found in order in the Latin key; و is a vowel (u) or w (v, f here)."""
    found = max(LCSseq.similarity(arabic, latin), LCSseq.similarity(arabic, latin.replace("f", "u")))
    return found / max(len(arabic), 1)


def _script_similarity(arabic: NameToken, latin: NameToken) -> float:
    """Arabic script against Latin: the consonants must agree, and the Arabic key (consonants and
    long vowels) must be found, in order, in the Latin key, which adds the short vowels."""
    best = 0.0
    for a in arabic.keys:
        for b in latin.keys:
            consonants = _scaled(JaroWinkler.similarity(skeleton(a), skeleton(b)), SKELETON_FLOOR)
            found = _found_in(sound(a), sound(b))
            best = max(best, min(consonants, _scaled(found, COVER_FLOOR)))
    return best


def gender_forms(a: str, b: str) -> bool:
    """Ivanov / Ivanova, Vishnevski / Vishnevskaia, Aleksandr / Aleksandra (folded keys)."""
    for end in words()["feminine_endings"]:
        for x, y in ((a, b), (b, a)):
            if x.endswith(end) and len(x) > len(end) + 2:
                stem = x[: -len(end)]
                if y in (stem, stem + "i", stem + "ii") and not y.endswith(end):
                    return True
    return False


def one_letter_apart(a: str, b: str) -> tuple[int, frozenset[str]] | None:
    """Where and which two letters, when the keys are one letter apart and romanisations do not
    confuse those letters (Marat / Murat, Yuliy / Yuriy, Fomin / Fokin); None otherwise."""
    if len(a) != len(b) or len(a) < 3:
        return None
    diffs = [(i, frozenset((x, y))) for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return diffs[0] if len(diffs) == 1 and diffs[0][1] not in _CONFUSABLE else None


@lru_cache(maxsize=1 << 18)
def token_similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    """0..1 and a reason when a check pulled the score down ("" otherwise)."""
    if a.vowelless != b.vowelless:
        return _script_similarity(a, b) if a.vowelless else _script_similarity(b, a), ""
    if set(a.keys) & set(b.keys):
        return 1.0, ""
    fine, x, y = max((JaroWinkler.similarity(x, y), x, y) for x in a.keys for y in b.keys)
    coarse = SOUND_WEIGHT * _best_jw(tuple(sound(k) for k in a.keys), tuple(sound(k) for k in b.keys))
    score = _scaled(max(fine, coarse))
    if score <= GENDER_SCORE:
        return score, ""
    if any(gender_forms(x, y) for x in a.keys for y in b.keys):
        return GENDER_SCORE, "male and female forms"
    apart = one_letter_apart(x, y)
    if apart is None:
        return score, ""
    position, letters = apart
    if letters <= _VOWEL_LETTERS and position > 1:
        return score, ""  # a later short vowel varies with dialect and system (Younis / Yunus)
    cap = ONE_VOWEL_SCORE if letters <= _VOWEL_LETTERS else ONE_LETTER_SCORE
    return min(score, cap), "names one letter apart"
