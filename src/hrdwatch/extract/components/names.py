"""Names and roles stage: people and organisations, their variants merged, roles and affiliations.

requires: NER, parse. reads ``doc._.hrd_places``, ``doc._.hrd_meta``. assigns ``doc._.hrd_entities``.
Variants of one person in the same text (full name, surname, with title, "aka" names, near
spellings) become one :class:`Entity`. Page chrome, publishers and reporting organisations are
flagged so later stages never take them for victims.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from hrdwatch.domain.names import name_key, name_words
from hrdwatch.extract import extensions
from hrdwatch.extract.facts import Entity, EntityMention
from hrdwatch.extract.names import clean_name, lexicon, same_person, state_titles
from hrdwatch.extract.organisations import orgish
from hrdwatch.extract.registry import LEMMAS, NAMES, PARSE, POS

_HONORIFIC_NAME = re.compile(
    r"\b(?:Mr|Ms|Mrs|Dr|Mme|Mlle|Sr|Sra|Judge|Justice|Colonel|President|Presidente|Minister)\.?\s+"
    r"((?:[A-Z][\w'’-]+)(?:\s+(?:[A-Z][\w'’-]+|de|da|do|dos|van|von|al|el|bin)){0,4})"
)
_AKA = re.compile(r"^\s*(?:,\s*)?(?:\(?\s*)(?:aka|a\.k\.a\.|also known as|alias|known as)\s+", re.I)
_ACRONYM = re.compile(r"^\s*\(([A-Z][A-Za-z]{1,9})\)")
_AFFIL_PREP = {"of", "at", "with", "for", "from", "in"}
_BAD_TOKENS = {"human", "rights", "defender", "defenders", "activist", "the", "read", "more"}


def _is_chrome_line(doc: Doc, start: int, end: int) -> bool:
    """A short line with no sentence punctuation: menus, share buttons, signatures."""
    text = extensions.doc_text(doc)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
    return len(line.split()) <= 4 and not line.endswith((".", ":", "!", "?", "”", '"'))


_LAW_WORDS = re.compile(r"\b(Act|Law|Code|Decree|Constitution|Article|Bill|Ordinance)\b")


def _valid_name(name: str, kind: str) -> bool:
    words = name.split()
    if kind == "organisation" and _LAW_WORDS.search(name):
        return False
    if name_key(name) in _not_names() or (words and name_key(words[-1]) in _not_names() and kind == "person"):
        return False
    if len(words) == 1 and len(name) < 3:
        return False
    if not words or len(words) > (8 if kind == "organisation" else 5):
        return False
    if any(ch.isdigit() for ch in name) or not name[0].isupper():
        return False
    if kind == "person" and (
        len(words) > 1 and not all(w[0].isupper() or w in ("de", "da", "al", "bin") for w in words)
    ):
        return False
    return not set(name_key(name).split()) <= _BAD_TOKENS


def _not_names() -> frozenset[str]:
    return frozenset(lexicon()["not_names"])


def _place_spans(doc: Doc) -> set[tuple[int, int]]:
    return {
        (p.start, p.end)
        for p in doc._.hrd_places or []
        if p.kind in ("country", "city", "adjective", "region")
    }


def _candidates(doc: Doc) -> list[tuple[str, str, int, int, list[str]]]:
    """(kind, name, start, end, titles) for each name-like mention, in text order."""
    places = _place_spans(doc)
    out: list[tuple[str, str, int, int, list[str]]] = []
    seen: set[tuple[int, int]] = set()
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        kind = "person" if ent.label_ == "PERSON" else "organisation"
        prev = doc[ent.start - 1] if ent.start > 0 else None
        titles = [prev.lower_] if prev is not None and prev.is_title and prev.lower_ in state_titles() else []
        name, more = clean_name(ent.text)
        start = ent.start_char + ent.text.find(name.split()[0]) if name else ent.start_char
        if not name or any(s < ent.end_char and ent.start_char < e for s, e in places):
            continue
        out.append((kind, name, start, start + len(name), titles + more))
        seen.add((ent.start_char, ent.end_char))
    for m in _HONORIFIC_NAME.finditer(extensions.doc_text(doc)):
        start, end = m.span(1)
        if any(s <= start < e for s, e in seen):
            continue
        name, _ = clean_name(m.group(1))
        title = m.group(0).split()[0].lower().rstrip(".")
        out.append(("person", name, start, start + len(name), [title]))
    out = [
        c
        for c in out
        if _valid_name(c[1], c[0])
        and not _is_chrome_line(doc, c[2], c[3])
        and extensions.doc_text(doc)[c[2] - 1 : c[2]] != "#"
    ]
    return _people_tagged_as_orgs(doc, sorted(out, key=lambda c: c[2]))


def _people_tagged_as_orgs(
    doc: Doc, cands: list[tuple[str, str, int, int, list[str]]]
) -> list[tuple[str, str, int, int, list[str]]]:
    """NER often labels unfamiliar personal names ORG: relabel those that name a known person,
    or that follow a role word (``defender X``) and have no organisation word."""
    roles = set(lexicon()["victim_roles"])
    people = [c[1] for c in cands if c[0] == "person"]
    out = []
    for kind, name, start, end, titles in cands:
        if kind == "organisation" and not orgish(name):
            before = extensions.doc_text(doc)[max(0, start - 40) : start].lower().split()
            if any(same_person(name, p) or same_person(p, name) for p in people) or (
                before and before[-1].strip(",") in roles
            ):
                kind = "person"
                people.append(name)
        out.append((kind, name, start, end, titles))
    return out


def _with_acronym(doc: Doc, name: str, end: int) -> tuple[str, int]:
    m = _ACRONYM.match(extensions.doc_text(doc)[end : end + 14])
    if m:
        return f"{name} ({m.group(1)})", end + m.end()
    return name, end


def _cluster(doc: Doc, cands: list[tuple[str, str, int, int, list[str]]]) -> list[Entity]:
    entities: list[Entity] = []
    for kind, name, start, end, titles in cands:
        if kind == "organisation":
            name, end = _with_acronym(doc, name, end)
        mention = EntityMention(start, end, extensions.doc_text(doc)[start:end])
        target = _find(entities, kind, name)
        if target is None:
            target = Entity(id=len(entities), name=name, kind=kind, rule="ner")
            entities.append(target)
        elif name_words(target.name) < name_words(name):  # the longer form of a name seen before
            target.aliases.append(target.name)
            target.name = name
        elif name_key(name) != name_key(target.name) and name not in target.aliases:
            target.aliases.append(name)
        target.mentions.append(mention)
        if any(t in state_titles() for t in titles):
            target.state = True
            target.roles.extend(t for t in titles if t in state_titles() and t not in target.roles)
    return _merge_aka(doc, entities)


def _find(entities: list[Entity], kind: str, name: str) -> Entity | None:
    for entity in reversed(entities):  # the most recent namesake wins
        if entity.kind != kind:
            continue
        names = [entity.name, *entity.aliases]
        if any(name_key(name) == name_key(n) for n in names):
            return entity
        if kind == "person" and any(same_person(name, n) or same_person(n, name) for n in names):
            return entity
        if kind == "organisation" and _acronym_of(name, entity.name):
            return entity
    return None


def _acronym_of(short: str, full: str) -> bool:
    inner = re.search(r"\(([^)]+)\)", full)
    return bool(inner and name_key(inner.group(1)) == name_key(short)) or name_key(short) == name_key(
        full.split(" (")[0]
    )


def _merge_aka(doc: Doc, entities: list[Entity]) -> list[Entity]:
    """``X, aka Y`` / ``X (also known as Y)``: Y's entity joins X's."""
    by_start = {m.start: e for e in entities for m in e.mentions}
    for entity in list(entities):
        for m in entity.mentions:
            tail = extensions.doc_text(doc)[m.end : m.end + 30]
            aka = _AKA.match(tail)
            if not aka:
                continue
            other = next(
                (e for s, e in by_start.items() if m.end + aka.end() <= s <= m.end + aka.end() + 2), None
            )
            if other is not None and other is not entity and other in entities:
                entity.aliases += [other.name, *other.aliases]
                entity.mentions += other.mentions
                entities.remove(other)
    for i, entity in enumerate(entities):
        entity.id = i
        entity.mentions.sort(key=lambda m: m.start)
        entity.aliases = sorted({a for a in entity.aliases if name_key(a) != name_key(entity.name)})
    return entities


def _role_phrases(doc: Doc, mention: EntityMention) -> list[str]:
    """Appositives after a name: ``X, co-founder of Y, and a member of Z,`` -> both roles."""
    out: list[str] = []
    pos = mention.end
    for _ in range(4):
        tail = extensions.doc_text(doc)[pos : pos + 200]
        m = re.match(r"\s*,\s*(?:and\s+)?((?:a|an|the)\s+)?([^,;.\n]{3,140})", tail)
        if not m:
            break
        phrase = _role_phrase(m.group(2).strip())
        if phrase is None:
            break
        out.append(phrase)
        pos += m.end()
    return out


def _role_phrase(phrase: str) -> str | None:
    words = phrase.split()
    first = words[0].lower() if words else ""
    if (
        words
        and words[0][0].isupper()
        and first not in lexicon()["victim_roles"]
        and len(words) > 1
        and words[1][:1].isupper()
    ):
        return None  # another name: a list, not a role
    if first in ("who", "which", "where", "when", "and", "but", "as", "was", "is", "has", "had", "were"):
        return None
    roles = lexicon()["victim_roles"] + lexicon()["state_titles"]
    early = " ".join(phrase.lower().split()[:5])
    if not any(re.search(rf"\b{re.escape(r)}\b", early) for r in roles):
        return None
    return phrase


def _pre_role(doc: Doc, mention: EntityMention) -> str | None:
    """Role words right before a name: ``human rights defender X``, ``journalist X``."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    words: list[str] = []
    i = span.start - 1
    while (
        i >= 0
        and doc[i].pos_ in ("NOUN", "ADJ", "PROPN", "PUNCT")
        and doc[i].text not in (",", ".", ";", "(", ")")
    ):
        words.insert(0, doc[i].text)
        i -= 1
    phrase = " ".join(words).strip()
    roles = lexicon()["victim_roles"]
    if phrase and any(re.search(rf"\b{re.escape(r)}\b", phrase.lower()) for r in roles):
        return phrase
    return None


def _assign_roles(doc: Doc, entities: list[Entity]) -> None:
    orgs = [e for e in entities if e.kind == "organisation"]
    for entity in entities:
        if entity.kind != "person":
            continue
        for m in entity.mentions:
            for phrase in [*_role_phrases(doc, m), _pre_role(doc, m)]:
                if phrase and phrase not in entity.roles:
                    entity.roles.append(phrase)
                    _affiliations_in(phrase, m, doc, orgs, entity)
                    _named_affiliation(phrase, entity)
            _affiliation_after_of(doc, m, orgs, entity)


def _affiliations_in(phrase: str, m: EntityMention, doc: Doc, orgs: list[Entity], entity: Entity) -> None:
    lo = extensions.doc_text(doc).find(phrase, m.start - 200 if m.start > 200 else 0)
    hi = lo + len(phrase)
    for org in orgs:
        if any(lo <= om.start < hi for om in org.mentions) and org.name not in entity.affiliations:
            entity.affiliations.append(org.name)


_PREP = re.compile(r"\b(?:of|at|with|for)\s+")
_CAP_GROUP = re.compile(
    r"[A-Z][\w'’.+-]*(?:\s+(?:(?:of|for|the|de|des|du|pour|la|el|y)\s+)*[A-Z][\w'’.+-]*)*"
    r"(?:\s*\([A-Z][A-Za-z]{1,9}\))?"
)


def _named_affiliation(phrase: str, entity: Entity) -> None:
    """The organisation a role names: ``co-founder of the rights group Feminita`` -> ``Feminita``."""
    prep = _PREP.search(phrase)
    if prep is None:
        return
    for m in _CAP_GROUP.finditer(phrase, prep.end()):
        name = m.group(0).strip().rstrip(".")
        if name_key(name) in _not_names() or _LAW_WORDS.search(name) or len(name) < 3:
            continue
        if not any(name_key(name) == name_key(a) for a in entity.affiliations):
            entity.affiliations.append(name)
        return


def _affiliation_after_of(doc: Doc, m: EntityMention, orgs: list[Entity], entity: Entity) -> None:
    """``X of the Y Alliance`` / ``X (Y)``: an organisation named right after the person."""
    tail = extensions.doc_text(doc)[m.end : m.end + 12]
    hit = re.match(r"\s*(?:of|from|\()\s*(?:the\s+)?", tail)
    if not hit:
        return
    at = m.end + hit.end()
    for org in orgs:
        if any(om.start == at for om in org.mentions) and org.name not in entity.affiliations:
            entity.affiliations.append(org.name)


def _flag_orgs(doc: Doc, entities: list[Entity]) -> None:
    lex = lexicon()
    publisher = name_key(str((doc._.hrd_meta or {}).get("publisher") or ""))
    for entity in entities:
        k = name_key(entity.name)
        if any(re.search(rf"\b{re.escape(name_key(r))}\b", k) for r in lex["reporters"]) or (
            k and k in publisher
        ):
            entity.publisher = True
        if entity.kind == "organisation":
            words = set(k.split())
            civil = words & {
                "rights",
                "union",
                "association",
                "network",
                "alliance",
                "ngo",
                "centre",
                "center",
                "coalition",
                "tv",
                "news",
                "media",
                "foundation",
                "society",
                "commission",
                "league",
            }
            if not civil and any(re.search(rf"\b{re.escape(w)}\b", k) for w in lex["state_org_words"]):
                entity.state = True


def _flag_reporters(doc: Doc, entities: list[Entity]) -> None:
    """Subjects of saying/condemning verbs and ``according to X`` are sources, not victims."""
    verbs = set(lexicon()["reporting_verbs"])
    for entity in entities:
        for m in entity.mentions:
            span: Span | None = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            if root.dep_ in ("nsubj",) and root.head.lemma_ in verbs:
                entity.publisher = entity.publisher or entity.kind == "organisation"
                entity.roles.append("source") if "source" not in entity.roles else None
            if root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according":
                entity.roles.append("source") if "source" not in entity.roles else None


def find_entities(doc: Doc) -> list[Entity]:
    entities = _cluster(doc, _candidates(doc))
    _flag_orgs(doc, entities)
    _assign_roles(doc, entities)
    _flag_reporters(doc, entities)
    return entities


@Language.component(
    NAMES.factory,
    requires=["doc.ents", "doc._.hrd_places", *PARSE, *POS, *LEMMAS],
    assigns=["doc._.hrd_entities"],
)
def names_component(doc: Doc) -> Doc:
    extensions.register()
    doc._.hrd_entities = find_entities(doc)
    return doc
