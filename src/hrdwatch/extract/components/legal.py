"""Legal stage: articles and laws cited as charges or legal basis, read from ``doc.text``.

requires: nothing (runs on a blank pipeline). assigns: ``doc._.hrd_articles``.

``Article 434 (1) of the Administrative Code`` -> article ``434(1)``, law ``Administrative Code``;
``Part 2 of Article 342`` -> ``342(2)``; ``Articles 130 and 131`` -> two mentions (same span);
``l'article 222-33 du Code pénal``, ``artículo 5 de la Ley``. A named law with no article, after a
cue such as "under" (``under the Digital Security Act (DSA)-2018``), gives a mention with article
None (rule ``law_only``); a charge with no law at all (``on charges of obstructing traffic``) gives
one with only the offence (rule ``offence:<cue>``). Nothing is deduplicated: each mention is
evidence, and event assembly decides relevance. Vocabulary: ``rules/legal.json``.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from hrdwatch.extract import extensions
from hrdwatch.extract.facts import LegalMention
from hrdwatch.extract.offences import data, offence_after, offence_before, offences
from hrdwatch.extract.registry import LEGAL
from hrdwatch.extract.windows import Sentences

_NUM = (
    r"(?:[LRD]\.?\s?)?\d+[A-Za-z]?(?:(?:[-.‑–]|\s-\s)\d+[A-Za-z]?)*(?:\.[a-z](?!\w))?"
    r"(?:\s?\((?:\d+|[a-z])\))*(?:\s?(?:bis|ter|quater)\b)?"
)
_NOT_COUNT = r"(?!\s+(?:days?|years?|months?|weeks?|hours?|people|persons|others?|times)\b)"
_PNUM = r"(?:\d+[a-z]?|\((?:\d+|[a-z])\)|[a-z](?=\s))"
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _alt(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@cache
def _article_re() -> re.Pattern[str]:
    d = data()
    art, part, join = f"(?i:{_alt(d['article_words'])})", f"(?i:{_alt(d['part_words'])})", d["list_joiners"]
    parts = rf"{_PNUM}(?:{join}{_PNUM})*"
    return re.compile(
        rf"(?:(?P<pkw>{part})\s+(?P<parts>{parts})\s+(?i:{d['part_of']}))?"
        rf"(?<![\w'’])(?P<kw>{art})\s*(?:No\.?\s*)?(?P<nums>{_NUM}(?:{join}(?:{art}\s*)?{_NUM}{_NOT_COUNT})*)"
        rf"(?:\s*,?\s*(?P<pkw2>{part})\s+(?P<parts2>{parts}))?"
    )


@cache
def _law_re() -> re.Pattern[str]:
    d = data()
    cap = rf"(?!(?:{_alt(d['not_law_words'])})\b)[A-ZÀ-Þ][\w’'-]*"
    conn = rf"(?:{_alt([re.escape(c) for c in d['law_connectors']])})"
    heads = rf"(?:{_alt(d['law_heads'])})\b"
    initial = rf"(?:{_alt(d['law_heads_initial'])})\b"
    adjs = rf"(?:\s+(?:{_alt(d['law_adjectives'])})\b)?"
    tail = (
        rf"{adjs}(?:\s*\([A-Z][A-Za-z]{{1,9}}\)(?:\s*[-–]\s*\d{{4}})?)?"
        r"(?:\s+(?:No\.?\s*|n[°º]\s*|Nr\.?\s*)?\d[\d/.-]*\d(?!\w)|\s+\d+(?!\w))?(?:,?\s+(?:of\s+)?\d{4}\b)?"
        rf"(?:\s+(?:{conn}\s*)+{cap}(?:\s+(?:{conn}\s*)*{cap})*)?"
    )
    pre = rf"(?:{cap}\s+(?:{conn}\s+)*)*"
    return re.compile(rf"(?:{initial}(?:\s+{cap}){{1,3}}|{pre}{heads}|[A-Z][A-Z]{{1,6}}\b){tail}")


def normalise_article(raw: str) -> str:
    """``434 (1)`` -> ``434(1)``; ``Part 4 of Article 228`` -> ``228(4)``; ``Art. 54.1.a.`` -> ``54.1.a``."""
    m = _article_re().search(raw)
    if m is None:
        return _clean(raw)
    parts = _parts(m.group("parts") or m.group("parts2") or "")
    return _clean(_nums(m.group("nums"))[0]) + "".join(parts[:1])


def _clean(num: str) -> str:
    num = re.sub(r"\s+", "", num).replace("‑", "-").replace("–", "-")
    return num.rstrip(".,;:")


def _nums(raw: str) -> list[str]:
    art = _alt(data()["article_words"])
    pieces = re.split(rf"{data()['list_joiners']}(?:(?i:{art})\s*)?", raw)
    return [p for p in pieces if p and not _YEAR.match(p.strip())]


def _parts(raw: str) -> list[str]:
    pieces = [p.strip() for p in re.split(data()["list_joiners"], raw) if p.strip()]
    return [p if p.startswith("(") else f"({p})" for p in pieces]


def _law_after(text: str, pos: int) -> tuple[str, int] | None:
    link = re.compile(data()["law_link"]).match(text, pos)
    if link is None:
        return None
    law = _law_re().match(text, link.end())
    return (law.group(0), law.end()) if law else None


def _articles(text: str, sents: Sentences, used: set[int]) -> list[LegalMention]:
    """Article mentions; ``used`` collects the start of every offence cue they took."""
    out = []
    for m in _article_re().finditer(text):
        nums = _nums(m.group("nums"))
        if not nums:
            continue
        end, law = m.end(), _law_after(text, m.end())
        if law:
            law_name, end = law
        parts = _parts(m.group("parts") or m.group("parts2") or "") or [""]
        before = sents.before(m.start())
        offence = offence_before(before)
        if offence:
            used.add(m.start() - len(before) + offence.start)
        after = None if offence else offence_after(text[end : end + 300])
        named, rule = (offence.text, f"article+{offence.rule}") if offence else (None, "article")
        if after:
            named, rule = after[0], f"article+{after[1]}"
        for num in nums:
            for part in parts if len(nums) == 1 else [""]:
                out.append(
                    LegalMention(
                        m.start(),
                        end,
                        text[m.start() : end],
                        article=_clean(num) + part,
                        law=law_name if law else None,
                        offence=named,
                        rule=rule,
                    )
                )
    return out


def _laws_only(
    text: str, sents: Sentences, taken: list[tuple[int, int]], used: set[int]
) -> list[LegalMention]:
    out = []
    cues = re.compile(data()["law_cues"], re.I)
    for m in _law_re().finditer(text):
        if any(s <= m.start() < e for s, e in taken) or len(re.findall(r"\b[A-Z]", m.group(0))) < 2:
            continue
        before = sents.before(m.start(), limit=120)
        if not cues.search(before):
            continue
        offence = offence_before(before)
        if offence:
            used.add(m.start() - len(before) + offence.start)
        rule = f"law_only+{offence.rule}" if offence else "law_only"
        law = re.sub(r"^(?:the|la|le|el)\s+", "", m.group(0), flags=re.I)
        out.append(
            LegalMention(
                m.start(), m.end(), m.group(0), law=law, offence=offence.text if offence else None, rule=rule
            )
        )
    return out


def find_articles(text: str) -> list[LegalMention]:
    """Every article, law and charged offence cited in ``text``, in text order."""
    sents, used = Sentences(text), set[int]()
    found = _articles(text, sents, used)
    found += _laws_only(text, sents, [(m.start, m.end) for m in found], used)
    for off in offences(text):
        if off.start not in used:
            quote = text[off.start : off.end]
            found.append(
                LegalMention(off.start, off.end, quote, offence=off.text, rule=f"offence:{off.rule}")
            )
    return sorted(found, key=lambda m: m.start)


@Language.component(LEGAL.factory, assigns=["doc._.hrd_articles"])
def legal_component(doc: Doc) -> Doc:
    extensions.add_facts(doc, "hrd_articles", find_articles(doc.text))
    return doc
