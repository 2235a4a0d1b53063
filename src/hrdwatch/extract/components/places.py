"""Places stage: countries, country adjectives, cities, regions and sites, with char offsets.

requires: nothing (uses ``doc.ents`` when the pipeline has NER). assigns: ``doc._.hrd_places``.
The core is :func:`find_places`, a plain function on text, so blank French and Spanish pipelines
get countries, adjectives and gazetteer cities too. A city needs a capitalised name and either a
GPE/LOC entity or a location word before it ("in", "à", "en"...), so "Florence Adeyemi" is not
Florence, Italy. A place opening a paragraph before a date ("GENEVA (22 December 2021) –") gets
``rule="dateline"``: it is likely the publisher's seat, not where the incident happened.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.extract import extensions
from hrdwatch.extract.facts import PlaceMention
from hrdwatch.extract.gazetteer import (
    Key,
    Term,
    Token,
    cities,
    city_name,
    country_name,
    max_term_tokens,
    norm,
    resolve_city,
    rules,
    terms,
    tokens,
    words,
)
from hrdwatch.extract.registry import PLACES

PLACE_ENTS = frozenset({"GPE", "LOC"})
NAME_ENTS = frozenset({"PERSON", "ORG"})
VERBAL_PREV = frozenset({"to", "will", "would", "may", "can", "could", "should", "must", "not"})
ARTICLES = frozenset({"the", "a", "an", "le", "la", "les", "l'", "un", "une", "el", "los", "las", "una"})
NEIGHBOUR_GAP = re.compile(r"[^\S\n]*,?[^\S\n]*(?:(?:of|in)[^\S\n]+(?:the[^\S\n]+)?)?")
DATELINE = re.compile(
    r"^[^\S\n]*(?:[•*·-][^\S\n]*)?(?P<head>[^\W\d_][^\n(:;.]{0,60}?)[^\S\n]*[,(–—][^\S\n]*"
    r"(?:\d{1,2}(?:st|nd|rd|th|er)?\.?[^\S\n]+(?:de[^\S\n]+)?(?P<m1>[^\W\d_]+)|(?P<m2>[^\W\d_]+)\.?[^\S\n]+\d{1,2}\b)",
    re.M,
)


@dataclass(slots=True)
class _Scan:
    text: str
    lang: str
    ents: Sequence[tuple[int, int, str]]
    toks: list[Token] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # toks' start offsets, for bisect
    norms: list[str] = field(default_factory=list)  # toks' folded words
    reach: list[int] = field(default_factory=list)  # last token of the joined run starting at i
    taken: set[int] = field(default_factory=set)  # token indices inside a country/city mention
    found: list[PlaceMention] = field(default_factory=list)
    codes: dict[int, tuple[str, ...]] = field(default_factory=dict)  # id(mention) -> ambiguous codes

    def prepare(self, toks: list[Token]) -> None:
        """Work out once per text what every lookup needs: keys are asked for each token many
        times, and recomputing them made this stage the slowest on long reports."""
        self.toks = toks
        self.starts = [t[0] for t in toks]
        self.norms = [norm(t[2]) for t in toks]
        self.reach = list(range(len(toks)))
        for i in range(len(toks) - 2, -1, -1):
            if self.joined(i, i + 1):
                self.reach[i] = self.reach[i + 1]

    def norm_at(self, i: int) -> str:
        return self.norms[i] if 0 <= i < len(self.norms) else ""

    def joined(self, i: int, j: int) -> bool:
        """Tokens i and j (= i + 1) are on one line with at most a space between them."""
        gap = self.text[self.toks[i][1] : self.toks[j][0]]
        return len(gap) <= 2 and "\n" not in gap and gap.strip() == ""

    def key(self, i: int, n: int) -> Key | None:
        if i + n > len(self.toks) or self.reach[i] < i + n - 1:
            return None
        return tuple(self.norms[i : i + n])

    def ent_label(self, start: int, end: int, *, same: bool = False) -> str:
        """Label of an entity holding start..end (with ``same``: exactly, give or take "the ")."""
        for s, e, label in self.ents:
            if s <= start and end <= e and (not same or (e == end and self.text[s:start] in ("", "the "))):
                return label
        return ""

    def surface(self, i: int, j: int) -> str:
        return self.text[self.toks[i][0] : self.toks[j - 1][1]]

    def add(
        self, i: int, j: int, kind: str, rule: str, *, name: str = "", country: str | None = None
    ) -> PlaceMention:
        start, end = self.toks[i][0], self.toks[j - 1][1]
        text = self.text[start:end]
        mention = PlaceMention(start, end, text, kind, name or text, country, rule)
        self.found.append(mention)
        return mention


def _cap(word: str) -> bool:
    return word[:1].isupper()


def _connector(scan: _Scan, i: int) -> bool:
    return scan.norm_at(i) in words("connectors")


def _run_end(scan: _Scan, i: int) -> int:
    """End (exclusive) of the capitalised name starting at token i ("Court of Appeal", "No. 80")."""
    j = i + 1
    while j < len(scan.toks) and scan.joined(j - 1, j):
        word = scan.toks[j][2]
        number = (word.isdigit() and scan.norm_at(j - 2) == "no") or (
            word == "." and scan.norm_at(j - 1) == "no"
        )
        if _cap(word) or word in ("-", "'", "’", "'s", "’s") or number:  # "Police Station No. 80"
            j += 1
        elif _connector(scan, j) and scan.norm_at(j) not in ARTICLES and j + 1 < len(scan.toks):
            k = j + 1 + (scan.norm_at(j + 1) in ARTICLES)
            if k < len(scan.toks) and _cap(scan.toks[k][2]) and scan.joined(j, j + 1):
                j = k + 1
            else:
                break
        else:
            break
    while j > i + 1 and scan.toks[j - 1][2] in ("-", "'", "’"):
        j -= 1
    return j


def _term_ok(scan: _Scan, i: int, n: int, term: Term) -> bool:
    data, kind, name, surface = rules(), term.kind, term.name, scan.surface(i, i + n)
    prev, after = scan.norm_at(i - 1), scan.text[scan.toks[i + n - 1][1] :][:20].casefold().lstrip()
    if kind != "adjective" or scan.lang == "en":
        first = next((t[2] for t in scan.toks[i : i + n] if norm(t[2]) not in words("connectors")), "")
        if not _cap(first) or prev == "new":
            return False
    if name in data["languages"].get(scan.lang, ()):
        if prev in words("language_prev") or any(after.startswith(w) for w in data["language_next"]):
            return False
    if kind == "adjective":
        nxt = scan.toks[i + n][2] if i + n < len(scan.toks) else ""
        prev_word = scan.toks[i - 1][2] if i > 0 else ""
        return prev_word not in data["adjective_skip_prev"] and nxt not in data["adjective_skip_next"]
    if surface in data["name_like_countries"] and i + n < len(scan.toks):
        return not (_cap(scan.toks[i + n][2]) and scan.joined(i + n - 1, i + n))
    return True


def _find_terms(scan: _Scan) -> None:
    table, longest, i = terms(scan.lang), max_term_tokens(), 0
    while i < len(scan.toks):
        if i in scan.taken:  # a dateline
            i += 1
            continue
        for n in range(min(longest, len(scan.toks) - i), 0, -1):
            key = scan.key(i, n)
            term = table.get(key) if key else None
            if (
                term
                and not any(scan.key(i, m) in cities() for m in range(n + 1, n + 3))  # "Mexico City"
                and term.exact in (None, scan.surface(i, i + n))
                and _term_ok(scan, i, n, term)
            ):
                in_org = scan.ent_label(scan.toks[i][0], scan.toks[i + n - 1][1]) == "ORG"
                rule = "in_org" if in_org else "gazetteer"
                name = country_name(term.codes[0]) if term.kind != "region" else term.name
                mention = scan.add(i, i + n, term.kind, rule, name=name, country=term.codes[0])
                if len(term.codes) > 1:
                    scan.codes[id(mention)] = term.codes
                scan.taken.update(range(i, i + n))
                i += n
                break
        else:
            i += 1


def _city_context(scan: _Scan, i: int, end: int) -> str:
    """Why tokens i..end-1 name a city here ("ner", "context"), or "" if they likely do not."""
    start, stop = scan.toks[i][0], scan.toks[end - 1][1]
    if scan.ent_label(start, stop, same=True) in PLACE_ENTS:
        return "ner"
    rest = range(end, _run_end(scan, i))
    heads = set(rules()["proper_site_heads"])
    site = any(scan.toks[k][2] in heads for k in rest)  # "Yaoundé Military Hospital"
    if site or (scan.norm_at(end) in words("city_next") and scan.joined(end - 1, end)):
        return "site_name" if site else "context"  # "the Banjul Court", "Mymensingh district town"
    label = scan.ent_label(start, stop)
    if label in NAME_ENTS or scan.norm_at(end)[:1].isdigit():
        return ""
    if rest and not any(k in scan.taken for k in rest):
        return ""  # "Florence Adeyemi": a name continues
    prev = scan.norm_at(i - 1)
    after_place = prev == "," and any(m.end == scan.toks[i - 1][0] for m in scan.found)
    near = i > 0 and scan.joined(i - 1, i)
    return "context" if near and (prev in words("location_prepositions", scan.lang) or after_place) else ""


def _find_cities(scan: _Scan) -> None:
    index = cities()
    for i, (_, _, word) in enumerate(scan.toks):
        if i in scan.taken or not _cap(word) or not word[0].isalpha():
            continue
        for n in range(4, 0, -1):
            key = scan.key(i, n)
            if key in index and not scan.taken & set(range(i, i + n)) and _cap(scan.toks[i + n - 1][2]):
                rule = _city_context(scan, i, i + n)
                if rule:
                    scan.add(i, i + n, "city", rule)
                    scan.taken.update(range(i, i + n))
                break


def _find_datelines(scan: _Scan) -> None:
    months = words("months")
    index, table = cities(), terms(scan.lang)
    for match in DATELINE.finditer(scan.text):
        if norm(match.group("m1") or match.group("m2")) not in months:
            continue
        inside = [k for k, t in enumerate(scan.toks) if match.start("head") <= t[0] < match.end("head")]
        for i in inside:
            if i in scan.taken or not scan.toks[i][2][0].isalpha():
                continue
            for n in range(3, 0, -1):
                key = scan.key(i, n)
                term = table.get(key) if key and i + n - 1 in inside else None
                code = term.codes[0] if term and term.kind == "country" else None
                if code or (key and i + n - 1 in inside and key in index):
                    kind, name = ("country", country_name(code)) if code else ("city", "")
                    scan.add(i, i + n, kind, "dateline", name=name, country=code)
                    scan.taken.update(range(i, i + n))
                    break


def _find_regions(scan: _Scan) -> None:
    region_words = words("region_words", scan.lang)
    for j, (_, _, word) in enumerate(scan.toks):
        if norm(word) not in region_words or (j > 0 and scan.toks[j - 1][2] == "-" and scan.joined(j - 1, j)):
            continue
        i = j  # "Sindh Province", "Nord-Kivu province": capitalised words before the region word
        while i > 0 and scan.joined(i - 1, i) and (_cap(scan.toks[i - 1][2]) or scan.toks[i - 1][2] == "-"):
            i -= 1
        while i < j and (scan.toks[i][2] == "-" or norm(scan.toks[i][2]) in ARTICLES | STOP_WORDS):
            i += 1
        if i < j and not any(k in scan.taken for k in range(i, j)):
            scan.add(i, j + 1, "region", "region_word")
            continue
        k = j + 1  # "province of Ifugao", "province du Nord-Kivu", "estado Zulia"
        while k < len(scan.toks) and k <= j + 2 and (_connector(scan, k) or scan.norm_at(k) in ARTICLES):
            k += 1
        if k < len(scan.toks) and _cap(scan.toks[k][2]) and k not in scan.taken and scan.joined(k - 1, k):
            end = min(_run_end(scan, k), k + 4)
            scan.add(j, end, "region", "region_word")


def _site_words(lang: str) -> dict[Key, str]:
    return {tuple(norm(t[2]) for t in tokens(w)): w for w in rules()["site_words"].get(lang, ())}


def _find_proper_sites(scan: _Scan) -> None:
    heads = set(rules()["proper_site_heads"])
    multi = {k for k in _site_words(scan.lang) if len(k) > 1}
    i = 0
    while i < len(scan.toks):
        if not _cap(scan.toks[i][2]) or not scan.toks[i][2][0].isalpha():
            i += 1
            continue
        end = _run_end(scan, i)
        while i < end and scan.norm_at(i) in ARTICLES | VERBAL_PREV | {"on", "in", "at"}:
            i += 1
        keys = [scan.norm_at(k) for k in range(i, end)]
        has_multi = any(tuple(keys[a : a + len(m)]) == m for m in multi for a in range(len(keys)))
        if i < end and (has_multi or any(scan.toks[k][2] in heads for k in range(i, end))):
            scan.add(i, end, "site", "proper")
        i = max(end, i + 1)


def _modifier(scan: _Scan, i: int) -> bool:
    return _cap(scan.toks[i][2]) and scan.norm_at(i) not in ARTICLES | STOP_WORDS


def _find_common_sites(scan: _Scan) -> None:
    table = _site_words(scan.lang)
    proper = [(m.start, m.end) for m in scan.found if m.kind == "site"]
    i = 0
    while i < len(scan.toks):
        hit = next((n for n in range(5, 0, -1) if scan.key(i, n) in table), 0)
        start = scan.toks[i][0]
        if not hit or _cap(scan.toks[i][2]) or any(s <= start < e for s, e in proper):
            i += 1
            continue
        first, end = i, i + hit
        if scan.norm_at(i - 1) in VERBAL_PREV or scan.norm_at(end) in words("site_skip_next"):
            i = end
            continue
        prev_cap = i > 0 and _modifier(scan, i - 1) and scan.joined(i - 1, i)
        if (scan.norm_at(i - 1) in ("'s", "’s") and i > 1 and _cap(scan.toks[i - 2][2])) or prev_cap:
            first = i - 1 if prev_cap else i - 2  # "Idris Khan's office", "Qarchak prison"
            while first > 0 and scan.joined(first - 1, first) and _modifier(scan, first - 1):
                first -= 1
        owner = scan.norm_at(end) in words("site_owner_verbs") and scan.norm_at(end + 1) == "by"
        k = end + 2 if owner else end + 1
        if owner or scan.norm_at(end) in ("of", "de", "du", "del", "des"):
            k += scan.norm_at(k) in ARTICLES
            if k < len(scan.toks) and _cap(scan.toks[k][2]):
                end = _run_end(scan, k)
        scan.add(first, end, "site", "common")
        i = end


def _find_ner(scan: _Scan) -> None:
    """GPE/LOC entities the gazetteer does not know, in a location context: an unresolved city."""
    preps = words("location_prepositions", scan.lang)
    for start, end, label in scan.ents:
        if label not in PLACE_ENTS or any(m.start < end and start < m.end for m in scan.found):
            continue
        first = bisect_left(scan.starts, start)
        idx = list(range(first, bisect_left(scan.starts, end, lo=first)))
        while idx and scan.norm_at(idx[0]) in ARTICLES:
            idx = idx[1:]
        if not idx or not _cap(scan.toks[idx[0]][2]) or scan.norm_at(idx[0] - 1) not in preps:
            continue
        after = scan.toks[idx[-1] + 1][2] if idx[-1] + 1 < len(scan.toks) else ""
        if len(scan.surface(idx[0], idx[-1] + 1)) > 3 and (not after[:1].isalnum() or after in STOP_WORDS):
            scan.add(idx[0], idx[-1] + 1, "city", "ner_unknown")  # "in Kristopur, ..."


def _resolve(scan: _Scan) -> None:
    """Ambiguous adjectives and cities take the document's other countries; regions a neighbour."""
    known = {
        m.country
        for m in scan.found
        if m.kind in ("country", "adjective") and m.rule != "dateline" and id(m) not in scan.codes
    }
    countries = {c for c in known if c}
    for mention in scan.found:
        options = scan.codes.get(id(mention))
        if options:
            mention.country = next((c for c in options if c in countries), options[0])
            mention.name = country_name(mention.country)
        elif mention.kind == "city" and mention.rule != "ner_unknown":
            mention.country = resolve_city(mention.text, countries=countries)
            mention.name = city_name(mention.text, mention.country or "")
        elif mention.kind == "region" and mention.country is None:
            mention.country = _neighbour_country(scan, mention)


def _neighbour_country(scan: _Scan, region: PlaceMention) -> str | None:
    for other in scan.found:
        before = other.end <= region.start
        gap = scan.text[other.end : region.start] if before else scan.text[region.end : other.start]
        if other.kind in ("country", "adjective") and NEIGHBOUR_GAP.fullmatch(gap):
            return other.country
    return None


STEPS: tuple[Callable[[_Scan], None], ...] = (
    _find_datelines, _find_terms, _find_cities, _find_regions, _find_proper_sites, _find_common_sites,
    _find_ner, _resolve,
)  # fmt: skip


def find_places(
    text: str, *, lang: str = "en", ents: Sequence[tuple[int, int, str]] = ()
) -> list[PlaceMention]:
    """Every place mention in ``text``; ``ents`` are (start_char, end_char, label) from an NER model."""
    scan = _Scan(text, lang if lang in rules()["site_words"] else "en", ents)
    scan.prepare(tokens(text))
    for step in STEPS:
        step(scan)
    return sorted(scan.found, key=lambda m: (m.start, -m.end))


@Language.component(PLACES.factory, assigns=["doc._.hrd_places"])
def places_component(doc: Doc) -> Doc:
    extensions.register()
    if doc._.hrd_places is None:
        doc._.hrd_places = []
    meta = doc._.hrd_meta or {}
    ents = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    doc._.hrd_places.extend(find_places(doc.text, lang=meta.get("language") or doc.lang_, ents=ents))
    return doc


def document_countries(places: Collection[PlaceMention]) -> list[str]:
    """Alpha-2 codes of the non-dateline country and adjective mentions, in order of first mention."""
    seen: dict[str, None] = {}
    for mention in places:
        if mention.kind in ("country", "adjective") and mention.rule != "dateline" and mention.country:
            seen.setdefault(mention.country, None)
    return list(seen)
