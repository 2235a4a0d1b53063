"""A set of name variants for measuring person linking (issue 9): invented people, each written
the ways a report in English, French or Russian, or a news wire, would write them.

Why: linking a defender across reports means matching "Юрий Петров", "Yuriy Petrov", "Iurii
Petrov", "Juri Petrow" and "Mr Petrov", while keeping Yuliy Petrov and Yuliya Petrova apart. The
benchmark needs ground truth for both, so the variants are built here from the published
romanisation standards (the tables below are written from the standards, not copied from code) and
from the spelling habits of urgent appeals and wires, and the hard negatives are built on purpose.

Usage: ``python benchmarks/name_variants.py [--out DIR] [--seed N]``. Draws on the name pools in
``benchmarks/data/name_pools.json``, writes ``DIR/name_entities.jsonl`` and
``DIR/name_variants.jsonl`` (default ``benchmarks/data/``) and prints a summary. The same seed gives
the same files, byte for byte. Standard library only. Described in ``benchmarks/data/README.md``.
"""

from __future__ import annotations

import argparse
import json
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

SEED = 2026
DATA = Path(__file__).parent / "data"
Parts = tuple[str, str, str]  # given name, middle (patronymic or father's name), surname


# --- Cyrillic romanisation -----------------------------------------------------------------------
RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
VOWELS = "аеёиоуыэюяәөұүі"


def _table(letters: str, tokens: str) -> dict[str, str]:
    """One Latin token per Cyrillic letter, in alphabet order; "-" stands for "not written"."""
    return {c: ("" if t == "-" else t) for c, t in zip(letters, tokens.split(), strict=True)}


# ISO 9:1995 (= GOST 7.79-2000 system A): one Latin letter per Cyrillic letter, with diacritics;
# its table for non-Slavic letters gives ә a̋, ғ ġ, қ ķ, ң ṇ, ө ô, ұ u̇, ү ù, һ ḥ, і ì.
ISO9 = _table(
    KAZAKH,
    "a a̋ b v g ġ d e ë ž z i j k ķ l m n ṇ o ô p r s t u u̇ ù f h ḥ c č š ŝ ʺ y ì ʹ è û â",
)
# BGN/PCGN 1947 for Russian: е and ё are written ye, yë at the start of a word and after a vowel,
# й, ъ or ь (in _bgn_pcgn). The optional middle dot (t·s for тс) is not used.
BGN_PCGN = _table(RUSSIAN, "a b v g d e ë zh z i y k l m n o p r s t u f kh ts ch sh shch ” y ’ e yu ya")
# ICAO Doc 9303 (7th edition, 2015), the machine-readable passport table; Russia uses it since 2013.
ICAO = _table(RUSSIAN, "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia")
# Scholarly (linguistic) transliteration, as in Slavic studies journals: х is x.
SCHOLARLY = _table(RUSSIAN, "a b v g d e ë ž z i j k l m n o p r s t u f x c č š šč ʺ y ʹ è ju ja")
# German usage as in the Duden rules for Russian names (Schukow, Jelzin, Solowjow); context in _german.
GERMAN = _table(RUSSIAN, "a b w g d e jo sch s i i k l m n o p r s t u f ch z tsch sch schtsch - y - e ju ja")
# French usage (Le Monde, AFP): Joukov, Iouri, Sergueï, Poutine; context rules in _french.
FRENCH = _table(RUSSIAN, "a b v g d e io j z i ï k l m n o p r s t ou f kh ts tch ch chtch - y - e iou ia")
# The Kazakh Latin alphabet approved in January 2021 (31 letters: Ä Ğ İ I Ñ Ö Q Ş Ū Ü ...): и and й
# are İ/i, і is I/ı; letters of Russian loans are written as its spelling rules propose.
KAZAKH_LATIN = _table(
    KAZAKH,
    "a ä b v g ğ d e io j z i i k q l m n ñ o ö p r s t u ū ü f h h ts ch ş şş - y ı - e iu ia",
)
# How Kazakh names are spelled in Russian-language documents: the Kazakh letters become their
# nearest Russian ones, and the Russian romanisations then apply.
RUSSIFY = dict(zip("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ", strict=True))


def _context(word: str, i: int) -> tuple[str, str]:
    return (word[i - 1] if i else ""), (word[i + 1] if i + 1 < len(word) else "")


def _is(letter: str, letters: str) -> bool:
    """Whether a neighbouring letter (empty at a word's edge) is one of ``letters``."""
    return bool(letter) and letter in letters


def _bgn_pcgn(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        prev, _ = _context(word, i)
        iotated = ch in "её" and (not prev or _is(prev, VOWELS + "йъь"))
        out.append(("y" if iotated else "") + BGN_PCGN[ch])
    return "".join(out)


def _german(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        prev, nxt = _context(word, i)
        if ch == "к" and nxt == "с":
            token = "x"
        elif ch == "с" and prev == "к":
            token = ""
        elif ch == "е":
            token = "je" if not prev or _is(prev, VOWELS + "ьъ") else "e"
        elif ch == "ё":
            token = "o" if _is(prev, "жчшщ") else "jo"
        elif ch == "с" and _is(prev, VOWELS) and _is(nxt, VOWELS):
            token = "ss"
        elif ch == "й" and _is(prev, "иы") and not nxt:
            token = ""  # -ий is -i, -ый is -y (Juri, Dmitri)
        elif ch == "ь" and _is(nxt, "ио"):
            token = "j"  # Iljin
        else:
            token = GERMAN[ch]
        out.append(token)
    return "".join(out)


def _french(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        prev, nxt = _context(word, i)
        after_vowel = _is(prev, "аеоуэ")
        if ch == "к" and nxt == "с":
            token = "x"
        elif ch == "с" and prev == "к":
            token = ""
        elif ch == "е":
            token = "ïe" if after_vowel else "ie" if _is(prev, "ьъ") else "e"
        elif ch == "ё":
            token = "o" if _is(prev, "жчшщ") else "io"
        elif ch == "г" and _is(nxt, "еиыэй"):
            token = "gu"  # Gueorgui, Guennadi, Sergueï
        elif ch == "с" and _is(prev, VOWELS) and _is(nxt, VOWELS):
            token = "ss"
        elif ch == "й":
            token = "" if _is(prev, "иы") and not nxt else "ï" if after_vowel else "i"
        elif ch == "и" and after_vowel:
            token = "ï"  # Raïssa
        elif ch == "я" and prev == "и":
            token = "a"  # Maria, not Mariia
        else:
            token = FRENCH[ch]
        out.append(token)
    return "".join(out) + ("e" if word.endswith("ин") else "")  # Poutine, Nikitine


def _mapped(table: dict[str, str]) -> Callable[[str], str]:
    return lambda word: "".join(table[ch] for ch in word)


def _capital(word: str) -> str:
    """Upper-case the first letter; Turkic dotted and dotless i keep their dot (İ, I)."""
    return {"i": "İ", "ı": "I"}.get(word[:1], word[:1].upper()) + word[1:]


CYRILLIC_SYSTEMS: dict[str, Callable[[str], str]] = {
    "bgn-pcgn": _bgn_pcgn,
    "iso9": _mapped(ISO9),
    "icao-9303": _mapped(ICAO),
    "scholarly": _mapped(SCHOLARLY),
    "german-duden": _german,
    "french": _french,
    "kazakh-latin-2021": _mapped(KAZAKH_LATIN),
}
KEEPS_KAZAKH_LETTERS = ("iso9", "kazakh-latin-2021")


def romanise(text: str, system: str) -> str:
    """A Cyrillic name (one or more words, hyphens kept) in one system; Kazakh letters are russified
    first for the systems that have none of their own."""
    convert = CYRILLIC_SYSTEMS[system]
    latin_i = system == "kazakh-latin-2021"
    words = []
    for word in text.split(" "):
        pieces = []
        for piece in word.lower().split("-"):
            if system not in KEEPS_KAZAKH_LETTERS:
                piece = russify(piece)
            roman = convert(piece)
            pieces.append(_capital(roman) if latin_i else roman[:1].upper() + roman[1:])
        words.append("-".join(pieces))
    return unicodedata.normalize("NFC", " ".join(words))


def russify(text: str) -> str:
    return "".join(RUSSIFY.get(ch, ch) for ch in text)


def plain(text: str) -> str:
    """Without diacritics and apostrophe-like signs, as a keyboard without them writes it (е for ё,
    ا for أ); й is a letter of its own, not и with a mark."""
    kept = []
    for char in text.replace("ı", "i").replace("·", ""):
        decomposed = char if char in "йЙ" else unicodedata.normalize("NFD", char)
        kept += [c for c in decomposed if unicodedata.category(c) != "Mn" and c not in "ʹʺ’”ʻʼ"]
    return unicodedata.normalize("NFC", "".join(kept))


# --- Arabic-script names -------------------------------------------------------------------------
# Arabic script writes no short vowels, so names are not transliterated letter by letter: each row
# gives the Arabic spelling, the ALA-LC romanisation (Library of Congress, the scholarly standard),
# the common English-language spellings (first one canonical), French/Maghreb usage, and Egyptian
# usage (g for ج, el- for the article). Family names that carry the article are written with "al-"
# in the ALA-LC column and without it in the others (the article is added per habit).
@dataclass(frozen=True)
class ArabicName:
    arabic: str
    ala_lc: str
    english: tuple[str, ...]
    french: str
    egyptian: str

    @property
    def article(self) -> bool:
        return self.ala_lc.startswith("al-")


def _arabic_rows(rows: list[str]) -> dict[str, ArabicName]:
    names = {}
    for row in rows:
        arabic, ala_lc, english, french, egyptian = row.split("|")
        names[arabic] = ArabicName(arabic, ala_lc, tuple(english.split("/")), french, egyptian)
    return names


POOLS = json.loads((DATA / "name_pools.json").read_text(encoding="utf-8"))
ARABIC_MALE = _arabic_rows(POOLS["ar"]["male"])
ARABIC_FEMALE = _arabic_rows(POOLS["ar"]["female"])
ARABIC_FAMILY = _arabic_rows(POOLS["ar"]["family"])
ARABIC_NAMES = {**ARABIC_MALE, **ARABIC_FEMALE}
MAGHREB = ("DZ", "MA", "TN", "LB")


# --- Chinese names -------------------------------------------------------------------------------
def _syllables(pairs: str) -> dict[str, str]:
    return dict(pair.split(":") for pair in pairs.split())


ZH_SURNAMES: dict[str, str] = POOLS["zh"]["surnames"]
ZH_MALE: dict[str, str] = POOLS["zh"]["male"]
ZH_FEMALE: dict[str, str] = POOLS["zh"]["female"]
ZH_SYLLABLES = {**ZH_SURNAMES, **ZH_MALE, **ZH_FEMALE}
# Wade-Giles (Wade 1867, as in Giles's Chinese-English Dictionary, 1912) for every syllable above:
# aspirates with an apostrophe, ü kept, ssu for si.
WADE_GILES = _syllables(
    "wang:wang li:li zhang:chang liu:liu chen:ch'en yang:yang huang:huang zhao:chao wu:wu zhou:chou "
    "xu:hsü sun:sun ma:ma zhu:chu hu:hu guo:kuo he:ho gao:kao lin:lin luo:lo zheng:cheng "
    "liang:liang xie:hsieh song:sung tang:t'ang han:han feng:feng deng:teng cao:ts'ao peng:p'eng "
    "zeng:tseng xiao:hsiao tian:t'ien dong:tung pan:p'an yuan:yüan cai:ts'ai jiang:chiang yu:yü "
    "du:tu ye:yeh cheng:ch'eng wei:wei su:su lü:lü ding:ting ren:jen shen:shen yao:yao lu:lu "
    "cui:ts'ui zhong:chung tan:t'an fan:fan jin:chin qin:ch'in qiu:ch'iu qiang:ch'iang lei:lei "
    "jun:chün yong:yung jie:chieh tao:t'ao ming:ming chao:ch'ao gang:kang jian:chien zhi:chih "
    "hai:hai hao:hao hui:hui rong:jung qing:ch'ing guang:kuang bin:pin sheng:sheng quan:ch'üan "
    "xue:hsüeh chang:ch'ang wen:wen xin:hsin fang:fang na:na min:min jing:ching yan:yen xiu:hsiu "
    "ying:ying hua:hua ping:p'ing gui:kuei hong:hung xia:hsia ling:ling ting:t'ing jia:chia "
    "chun:ch'un mei:mei lan:lan dan:tan si:ssu shu:shu ruo:jo xi:hsi an:an de:te"
)


def pinyin(han: str) -> str:
    """Hanyu Pinyin without tone marks; an apostrophe before a syllable that starts with a, o, e."""
    out = ""
    for char in han:
        syllable = ZH_SYLLABLES[char]
        out += ("'" if out and syllable[0] in "aoe" else "") + syllable
    return out.capitalize()


def wade_giles(han: str) -> str:
    """Wade-Giles syllables joined by hyphens, only the first capitalised (Hsiao-ming)."""
    syllables = [WADE_GILES[ZH_SYLLABLES[char]] for char in han]
    joined = "-".join(syllables)
    return joined[:1].upper() + joined[1:]


# --- Russian and Kazakh names (Cyrillic) ---------------------------------------------------------
RU, KK = POOLS["ru"], POOLS["kk"]
RU_MALE: list[str] = RU["male"]
RU_FEMALE: list[str] = RU["female"]
RU_PATRONYMIC: dict[str, str] = RU["patronymic_stems"]  # father's name -> stem (+ич son, +на daughter)
RU_NICKNAMES: dict[str, str] = RU["nicknames"]
KK_MALE: list[str] = KK["male"]
DENYLIST = frozenset(POOLS["denylist"])


# --- The invented people -------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """One invented person; names are in their own script (Arabic rows are keyed by their Arabic
    spelling, Chinese names are Han characters)."""

    id: str
    language: str  # ru, kk, ar, zh
    country: str  # ISO 3166-1 alpha-2
    gender: str  # m, f
    given: str
    surname: str  # already in the person's gender form (Ivanova)
    middle: str = ""  # patronymic (ru, kk) or father's name (ar)
    hard_negative_of: str | None = None
    negative_kind: str | None = None


GIVEN: dict[tuple[str, str], list[str]] = {
    (language, g): POOLS[language][key]
    for language in ("ru", "kk")
    for g, key in (("m", "male"), ("f", "female"))
}
GIVEN |= {("ar", "m"): list(ARABIC_MALE), ("ar", "f"): list(ARABIC_FEMALE)}
SURNAMES = {"ru": RU["surnames"], "kk": KK["surnames"], "ar": list(ARABIC_FAMILY), "zh": list(ZH_SURNAMES)}
COUNTRIES: dict[str, list[str]] = {
    language: POOLS[language]["countries"] for language in ("ru", "kk", "ar", "zh")
}


def feminine(surname: str) -> str:
    """The female form of a Russian-type surname (Ivanova, Vishnevskaya); others do not change."""
    for male, female in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ый", "ая")):
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname + "а" if surname.endswith(("ов", "ев", "ёв", "ин", "ын")) else surname


def _gendered(language: str, gender: str, surname: str) -> str:
    return feminine(surname) if gender == "f" and language in ("ru", "kk") else surname


def _random_given(rng: random.Random, language: str, gender: str) -> str:
    if language != "zh":
        return rng.choice(GIVEN[language, gender])
    pool = list(ZH_MALE if gender == "m" else ZH_FEMALE)
    return rng.choice(pool) if rng.random() < 0.15 else "".join(rng.sample(pool, 2))


def _random_middle(rng: random.Random, language: str, gender: str) -> str:
    if language == "ru" and rng.random() < 0.6:
        return RU_PATRONYMIC[rng.choice(list(RU_PATRONYMIC))] + ("ич" if gender == "m" else "на")
    if language == "kk" and rng.random() < 0.4:
        return rng.choice(KK_MALE) + ("ұлы" if gender == "m" else "қызы")
    if language == "ar" and rng.random() < 0.5:
        return rng.choice(list(ARABIC_MALE))
    return ""


def canonical(person: Person) -> str:
    """The one Latin spelling the entities file lists: BGN/PCGN without diacritics for Cyrillic,
    the first common English spelling for Arabic, pinyin (surname first) for Chinese."""
    if person.language == "zh":
        return f"{pinyin(person.surname)} {pinyin(person.given)}"
    if person.language == "ar":
        family = ARABIC_FAMILY[person.surname]
        return f"{ARABIC_NAMES[person.given].english[0]} {'al-' * family.article}{family.english[0]}"
    return plain(romanise(f"{person.given} {person.surname}", "bgn-pcgn"))


def _deny_key(person: Person) -> str:
    if person.language == "ar":
        return f"{ARABIC_NAMES[person.given].english[0]} {ARABIC_FAMILY[person.surname].english[0]}"
    return canonical(person) if person.language == "zh" else f"{person.given} {person.surname}"


class Population:
    """The people made so far; refuses a repeated given name + surname and a denylisted one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[Person] = []
        self._names: set[tuple[str, str, str]] = set()

    def add(
        self,
        language: str,
        gender: str,
        given: str,
        surname: str,
        *,
        base: Person | None = None,
        kind: str = "",
    ) -> Person | None:
        """A new person, or None if the name is taken; a hard negative of ``base`` lives in its country."""
        country = base.country if base else self.rng.choice(COUNTRIES[language])
        middle = _random_middle(self.rng, language, gender)
        number, of = f"e{len(self.people) + 1:04d}", base.id if base else None
        person = Person(number, language, country, gender, given, surname, middle, of, kind or None)
        if (language, given, surname) in self._names or _deny_key(person) in DENYLIST:
            return None
        self._names.add((language, given, surname))
        self.people.append(person)
        return person

    def random(self, language: str, gender: str = "", given: str = "", surname: str = "") -> Person:
        """A new person; the names not given are drawn at random."""
        while True:
            sex = gender or self.rng.choice("mf")
            drawn_given, drawn_surname = draw(self.rng, language, sex)
            person = self.add(language, sex, given or drawn_given, surname or drawn_surname)
            if person:
                return person


def draw(rng: random.Random, language: str, gender: str) -> tuple[str, str]:
    """A random given name and surname (in the gender's form)."""
    return _random_given(rng, language, gender), _gendered(language, gender, rng.choice(SURNAMES[language]))


# --- Hard negatives: different people whose names are close ---------------------------------------
BASES = {"ru": 80, "kk": 45, "ar": 60, "zh": 60}
SHARED = {"ru": 8, "kk": 6, "ar": 6, "zh": 8}  # per kind: same surname, same given name
ONE_LETTER: dict[str, dict[str, str]] = {
    language: POOLS[language].get("one_letter", {}) for language in BASES
}


def _negative(pop: Population, base: Person, kind: str, given: str, surname: str, gender: str = "") -> bool:
    return pop.add(base.language, gender or base.gender, given, surname, base=base, kind=kind) is not None


def _shared_name(pop: Population, bases: list[Person], kind: str) -> None:
    """A different person with the same surname (and gender) or the same given name."""
    while True:
        base = pop.rng.choice(bases)
        other_given, other_surname = draw(pop.rng, base.language, base.gender)
        given, surname = (
            (other_given, base.surname) if kind == "same-surname" else (base.given, other_surname)
        )
        if (given, surname) != (base.given, base.surname) and _negative(pop, base, kind, given, surname):
            return


FEMALE_NAMES = frozenset(RU_FEMALE + KK["female"] + list(ARABIC_FEMALE))


def _paired_names(pop: Population, language: str) -> None:
    """Gender forms (Aleksandr/Aleksandra Ivanov/Ivanova) and one-letter neighbours (Marat/Murat)."""
    pairs = [("one-letter", name, other, "given") for name, other in ONE_LETTER[language].items()]
    if language == "ru":
        pairs += [("one-letter", name, other, "surname") for name, other in RU["surname_one_letter"].items()]
        pairs += [("gender-form", name, other, "gender") for name, other in RU["gender_pairs"].items()]
    for kind, name, other, changes in pairs:
        while not _partner(pop, language, kind, (name, other), changes):
            pass  # the partner's name was taken: draw another base person


def _partner(pop: Population, language: str, kind: str, names: tuple[str, str], changes: str) -> bool:
    """A base person bearing the first name and its hard negative bearing the second instead."""
    name, other = names
    if changes == "surname":
        base = pop.random(language, "m", surname=name)
        return _negative(pop, base, kind, base.given, other)
    base = pop.random(language, "f" if name in FEMALE_NAMES else "m", name)
    if changes == "gender":
        return _negative(pop, base, kind, other, feminine(base.surname), "f")
    return _negative(pop, base, kind, other, base.surname)


def make_people(rng: random.Random) -> list[Person]:
    pop = Population(rng)
    for language, count in BASES.items():
        bases = [pop.random(language) for _ in range(count)]
        for kind in ("same-surname", "same-given"):
            for _ in range(SHARED[language]):
                _shared_name(pop, bases, kind)
        _paired_names(pop, language)
    return pop.people


# --- Renderings: the person's name in one script and system ----------------------------------------
@dataclass(frozen=True)
class Rendering:
    how: str
    script: str
    parts: Parts
    nickname: str = ""


def _cyrillic(person: Person, rng: random.Random) -> list[Rendering]:
    native = (person.given, person.middle, person.surname)
    nickname = RU_NICKNAMES.get(person.given, "")
    out = [Rendering("cyrillic", "cyrillic", native, nickname)]
    if person.language == "kk":
        out.append(Rendering("russian-spelling", "cyrillic", _each(native, russify)))
    for system in CYRILLIC_SYSTEMS:
        if system != "kazakh-latin-2021" or person.language == "kk":
            roman = _each(native, partial(romanise, system=system))
            out.append(Rendering(system, "latin", roman, nickname and romanise(nickname, system)))
    bgn = next(r for r in out if r.how == "bgn-pcgn")
    out.append(Rendering("bgn-pcgn+no-diacritics", "latin", _each(bgn.parts, plain), plain(bgn.nickname)))
    return out


def _each(parts: Parts, convert: Callable[[str], str]) -> Parts:
    given, middle, surname = (convert(part) if part else "" for part in parts)
    return given, middle, surname


ARTICLES = {"ala-lc": ("al-",), "arabic-common-spelling": ("al-", "Al-", "Al "), "french": ("El ", "El-")}
ARTICLES["egyptian"] = ("El-", "el-")


def _arabic(person: Person, rng: random.Random) -> list[Rendering]:
    given, family = ARABIC_NAMES[person.given], ARABIC_FAMILY[person.surname]
    father = ARABIC_MALE.get(person.middle)
    kunya = ("Abu " if person.gender == "m" else "Umm ") + rng.choice(list(ARABIC_MALE.values())).english[0]
    rows = (given, father, family)

    def spelled(how: str, column: Callable[[ArabicName], str]) -> Rendering:
        article = rng.choice(ARTICLES.get(how, ("",))) if family.article else ""
        names = [column(row) if row else "" for row in rows]
        if how == "ala-lc":
            article, names[2] = "", family.ala_lc
        return Rendering(how, "latin", (names[0], names[1], article + names[2]), kunya)

    out = [
        Rendering("arabic", "arabic", (given.arabic, father.arabic if father else "", family.arabic)),
        spelled("arabic-common-spelling", lambda row: rng.choice(row.english)),
        spelled("arabic-common-spelling", lambda row: rng.choice(row.english)),
        spelled("ala-lc", lambda row: row.ala_lc),
    ]
    out.append(Rendering("ala-lc+no-diacritics", "latin", _each(out[-1].parts, plain), kunya))
    french, egyptian = (
        spelled("french", lambda row: row.french),
        spelled("egyptian", lambda row: row.egyptian),
    )
    local = egyptian if person.country in ("EG", "SD") else french if person.country in MAGHREB else None
    if local:  # the local usage is kept for everyone from there
        out.insert(2, local)
    out += [r for r in (french, egyptian) if r is not local and rng.random() < 0.3]
    return out


def _chinese(person: Person, rng: random.Random) -> list[Rendering]:
    nickname = rng.choice(POOLS["zh"]["english_names"][person.gender])
    surname, given = person.surname, person.given
    wade = (wade_giles(given), "", wade_giles(surname))
    out = [
        Rendering("han", "han", (given, "", surname)),
        Rendering("pinyin", "latin", (pinyin(given), "", pinyin(surname)), nickname),
        Rendering("wade-giles", "latin", wade, nickname),
        Rendering("wade-giles+no-apostrophes", "latin", _each(wade, _no_apostrophes), nickname),
        Rendering(
            "wade-giles+no-hyphen", "latin", _each(wade, lambda t: t.replace("-", "").capitalize()), nickname
        ),
    ]
    if len(given) > 1:
        hyphenated = pinyin(given[0]) + "-" + pinyin(given[1:]).lower()
        out.append(Rendering("pinyin+hyphen", "latin", (hyphenated, "", pinyin(surname)), nickname))
    if "ü" in pinyin(given + surname):
        out.append(Rendering("pinyin+no-diacritics", "latin", _each(out[1].parts, plain), nickname))
    if person.country == "TW":  # in Taiwan, Wade-Giles without apostrophes is the usual spelling
        out.insert(1, out.pop(3))
    return out


def _no_apostrophes(text: str) -> str:
    return plain(text).replace("'", "")


RENDERINGS: dict[str, Callable[[Person, random.Random], list[Rendering]]] = {
    "ru": _cyrillic,
    "kk": _cyrillic,
    "ar": _arabic,
    "zh": _chinese,
}
# How many renderings every person keeps (the first ones: the original script and the most common
# Latin spelling), and how many of the rest are drawn.
KEEP = {"ru": (2, 4), "kk": (4, 3), "ar": (3, 3), "zh": (2, 3)}


# --- Habits: how reports write a name in any system ----------------------------------------------
def full(parts: Parts, *, han: bool = False, chinese: bool = False, middle: bool = True) -> str:
    """The name in its usual order: surname first for Chinese (no spaces in Han characters)."""
    given, patronymic, surname = parts
    if chinese:
        return f"{surname}{'' if han else ' '}{given}"
    return " ".join(part for part in (given, patronymic if middle else "", surname) if part)


def _initials(name: str) -> str:
    return " ".join(word[0] + "." for word in name.replace("-", " ").split() if word[:1].isalpha())


TITLES = {
    ("latin", "m"): ("Mr", "Mr.", "Dr", "lawyer", "journalist", "activist"),
    ("latin", "f"): ("Ms", "Mrs", "Dr", "lawyer", "journalist", "activist"),
    ("french", "m"): ("M.", "Me"),
    ("french", "f"): ("Mme", "Me"),
    ("cyrillic", "m"): ("г-н", "адвокат", "журналист", "правозащитник"),
    ("cyrillic", "f"): ("г-жа", "адвокат", "журналистка", "правозащитница"),
}


def _surname_first(r: Rendering, p: Person, rng: random.Random) -> str:
    given, middle, surname = r.parts
    rest = " ".join(part for part in (given, middle) if part)
    if r.script == "cyrillic":
        return f"{surname} {rest}"
    return rng.choice((f"{surname} {given}", f"{surname}, {rest}", f"{surname.upper()} {given}"))


def _western_order(r: Rendering, p: Person, rng: random.Random) -> str:
    """Chinese names in Western order, given name first (Xiaoming Wang)."""
    return f"{r.parts[0]} {r.parts[2]}"


def _with_initials(r: Rendering, p: Person, rng: random.Random) -> str:
    given, middle, surname = r.parts
    if p.language == "zh":
        return rng.choice((f"{given[0]}. {surname}", f"{surname} {given[0]}."))
    letters = _initials(" ".join(part for part in (given, middle) if part))
    return rng.choice((f"{letters} {surname}", f"{surname} {letters.replace(' ', '')}"))


def _honorific(r: Rendering, p: Person, rng: random.Random) -> str:
    kind = "french" if r.how.startswith("french") else r.script
    titles = TITLES[kind, p.gender] + (("Sheikh",) if p.language == "ar" and p.gender == "m" else ())
    name = r.parts[2] if rng.random() < 0.5 else full(r.parts, chinese=p.language == "zh", middle=False)
    return f"{rng.choice(titles)} {name}"


def _nickname(r: Rendering, p: Person, rng: random.Random) -> str:
    given, _, surname = r.parts
    return f'{given} "{r.nickname}" {surname}' if r.nickname else ""


def _upper_surname(r: Rendering, p: Person, rng: random.Random) -> str:
    given, _, surname = r.parts
    return f"{surname.upper()} {given}" if p.language == "zh" else f"{given} {surname.upper()}"


def _no_diacritics(r: Rendering, p: Person, rng: random.Random) -> str:
    name = full(r.parts, chinese=p.language == "zh", middle=False)
    return plain(name) if plain(name) != name else ""


def _without_article(surname: str) -> str:
    for article in ("al-", "Al-", "Al ", "El-", "El ", "el-"):
        if surname.startswith(article):
            return surname[len(article) :]
    return ""


def _no_article(r: Rendering, p: Person, rng: random.Random) -> str:
    bare = _without_article(r.parts[2])
    return f"{r.parts[0]} {bare}" if bare else ""


def _joined_article(r: Rendering, p: Person, rng: random.Random) -> str:
    bare = _without_article(r.parts[2])
    return f"{r.parts[0]} Al{bare.lower()}" if bare else ""


Habit = Callable[[Rendering, Person, random.Random], str]
HABITS: dict[str, Habit] = {
    "surname-first": _surname_first,
    "western-order": _western_order,
    "initials": _with_initials,
    "honorific": _honorific,
    "nickname": _nickname,
    "upper-surname": _upper_surname,
    "no-diacritics": _no_diacritics,
    "no-article": _no_article,
    "joined-article": _joined_article,
}
LANGUAGE_HABITS = {
    "ru": ("surname-first", "initials", "honorific", "nickname", "upper-surname", "no-diacritics"),
    "kk": ("surname-first", "initials", "honorific", "upper-surname", "no-diacritics"),
    "ar": (
        "surname-first",
        "initials",
        "honorific",
        "nickname",
        "upper-surname",
        "no-article",
        "joined-article",
    ),
    "zh": ("western-order", "initials", "honorific", "nickname", "upper-surname"),
}
HABITS_PER_PERSON = 3


def variants(person: Person, rng: random.Random) -> list[tuple[str, str, str]]:
    """The person's names as (name, script, how): the kept renderings, a few drawn ones, and a few
    habits applied to renderings drawn at random."""
    renderings = RENDERINGS[person.language](person, rng)
    keep, drawn = KEEP[person.language]
    chosen = renderings[:keep] + rng.sample(renderings[keep:], min(drawn, len(renderings) - keep))
    out = [(_written(r, person, rng), r.script, r.how) for r in chosen]
    habits = list(LANGUAGE_HABITS[person.language])
    rng.shuffle(habits)
    made = 0
    for habit in habits:
        source = (
            renderings
            if habit == "no-diacritics"
            else [r for r in chosen if r.script in ("latin", "cyrillic")]
        )
        rendering = rng.choice(source)
        name = HABITS[habit](rendering, person, rng)
        if name and made < HABITS_PER_PERSON:
            out.append((name, rendering.script, f"{rendering.how}+{habit}"))
            made += 1
    return out


def _written(r: Rendering, person: Person, rng: random.Random) -> str:
    """A rendering written out; the patronymic or father's name is there in some reports only."""
    chance = 0.6 if r.script == "cyrillic" else 0.35
    return full(r.parts, han=r.script == "han", chinese=person.language == "zh", middle=rng.random() < chance)


# --- Output --------------------------------------------------------------------------------------
def entity_row(person: Person) -> dict[str, str | None]:
    if person.language == "ar":
        native = " ".join(part for part in (person.given, person.middle, person.surname) if part)
    else:
        native = full(
            (person.given, person.middle, person.surname), han=True, chinese=person.language == "zh"
        )
    return {
        "id": person.id,
        "name": canonical(person),
        "native": native,
        "language": person.language,
        "country": person.country,
        "gender": person.gender,
        "hard_negative_of": person.hard_negative_of,
        "negative_kind": person.negative_kind,
    }


def build(seed: int = SEED) -> tuple[list[dict[str, str | None]], list[dict[str, str]]]:
    """The entities and their variants. A spelling already given to another person is left out:
    with names alone no matcher could tell the two apart."""
    rng = random.Random(seed)
    people = make_people(rng)
    owner: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    for person in people:
        for name, script, how in variants(person, rng):
            if name.casefold() in owner:
                continue
            owner[name.casefold()] = person.id
            rows.append(
                {
                    "id": f"v{len(rows) + 1:05d}",
                    "entity": person.id,
                    "name": name,
                    "script": script,
                    "how": how,
                }
            )
    return [entity_row(person) for person in people], rows


def write(folder: Path, seed: int = SEED) -> tuple[list[dict[str, str | None]], list[dict[str, str]]]:
    entities, rows = build(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name, items in (("name_entities.jsonl", entities), ("name_variants.jsonl", rows)):
        lines = (json.dumps(item, ensure_ascii=False) + "\n" for item in items)
        (folder / name).write_text("".join(lines), encoding="utf-8")
    return entities, rows


def summary(entities: list[dict[str, str | None]], rows: list[dict[str, str]]) -> str:
    negatives = [e for e in entities if e["hard_negative_of"]]
    per_entity = Counter(row["entity"] for row in rows)
    lines = [
        f"{len(rows)} variants of {len(entities)} invented people ({len(negatives)} hard negatives); "
        f"variants per person: {min(per_entity.values())} to {max(per_entity.values())}",
        "people by language: " + _counts(e["language"] for e in entities),
        "hard negatives by kind: " + _counts(e["negative_kind"] for e in negatives),
        "variants by script: " + _counts(row["script"] for row in rows),
        "variants by how (system, then + habits):",
    ]
    lines += [f"  {how:40} {n:5}" for how, n in Counter(row["how"] for row in rows).most_common()]
    return "\n".join(lines)


def _counts(values: Iterable[str | None]) -> str:
    return ", ".join(f"{key} {n}" for key, n in Counter(values).most_common())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    entities, rows = write(args.out, args.seed)
    print(summary(entities, rows))
    print(f"written: {args.out / 'name_entities.jsonl'}, {args.out / 'name_variants.jsonl'}")


if __name__ == "__main__":
    main()
