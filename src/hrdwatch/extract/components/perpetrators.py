"""Perpetrators stage: who carried out or ordered each act, named or generic, with their kind.

requires: parse, ``doc._.hrd_acts``, ``doc._.hrd_entities``. assigns ``doc._.hrd_perpetrators``.
Agents are read from the syntax of each act trigger: the subject of an active verb, the ``by``
agent of a passive one or of a noun ("arrest by police"), ``before Judge X`` for hearings.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from hrdwatch.extract import extensions
from hrdwatch.extract.facts import ActMention, Entity, PerpetratorMention
from hrdwatch.extract.registry import LEMMAS, PARSE, PERPETRATORS, POS
from hrdwatch.extract.rules import load_rules

SUBJECT_DEPS = ("nsubj",)
#: verbs whose subject undergoes the act ("he died", "she received threats"): no agent there
UNDERGOER_LEMMAS = {
    "die",
    "disappear",
    "vanish",
    "receive",
    "face",
    "suffer",
    "undergo",
    "remain",
    "go",
    "experience",
    "endure",
    "be",
    "become",
    "spend",
    "serve",
    "appear",
}


@cache
def _actor_kinds() -> dict[str, str]:
    data = load_rules("en", "actors")
    return {lemma: kind for kind, lemmas in data["nouns"].items() for lemma in lemmas}


@cache
def _modifiers() -> tuple[frozenset[str], frozenset[str]]:
    data = load_rules("en", "actors")
    return frozenset(data["unknown_modifiers"]), frozenset(data["state_modifiers"])


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _governing_verb(token: Token) -> Token:
    current = token
    for _ in range(4):
        if current.pos_ in ("VERB", "AUX") or current.head is current:
            return current
        current = current.head
    return current


def agent_tokens(trigger: Token) -> list[Token]:
    """Tokens heading the phrases that name who did the act."""
    out: list[Token] = []
    for child in trigger.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            out += [c for c in child.children if c.dep_ == "pobj"]
        if (
            child.dep_ == "prep"
            and child.lower_ == "before"
            and trigger.lemma_ in ("hearing", "trial", "appear")
        ):
            out += [c for c in child.children if c.dep_ == "pobj"]
    if out:
        return _expand_conj(out)
    verb = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
    while verb.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        verb = verb.head
    if verb.pos_ in ("VERB", "AUX") and not _is_passive(verb) and verb.lemma_ not in UNDERGOER_LEMMAS:
        out = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if verb.dep_ == "relcl" and any(c.lower_ in ("who", "that", "which") for c in out):
            out = [verb.head]
    if verb is not trigger and verb.pos_ == "VERB" and _is_passive(verb):
        for child in verb.children:
            if child.dep_ == "agent":
                out += [c for c in child.children if c.dep_ == "pobj"]
    return _expand_conj([_of_object(t) for t in out])


def _of_object(token: Token) -> Token:
    """``one of the intruders`` / ``members of the secret service``: the group is the actor."""
    if token.lemma_ in ("one", "some", "several", "member", "group", "two", "three", "many"):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs and token.lemma_ != "group":
                    return objs[0]
    return token


def _expand_conj(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for t in tokens:
        out.append(t)
        out += [c for c in t.conjuncts if c.i > t.i]
    return out


def _entity_at(entities: list[Entity], token: Token) -> Entity | None:
    for entity in entities:
        for m in entity.mentions:
            if m.start <= token.idx < m.end:
                return entity
    return None


def _generic(token: Token) -> tuple[str, str] | None:
    """(description, kind) of a generic actor noun phrase, or None."""
    kinds = _actor_kinds()
    unknown_mods, state_mods = _modifiers()
    lemma = token.lemma_.lower()
    if lemma not in kinds and token.lower_ not in kinds:
        return None
    kind = kinds.get(lemma) or kinds[token.lower_]
    mods = [c for c in token.children if c.dep_ in ("amod", "compound", "nummod") and c.i < token.i]
    words = {m.lower_ for m in mods}
    if words & unknown_mods:
        kind = "unknown"
    elif words & state_mods or any(
        kinds.get(m.lemma_.lower()) == "state" for m in mods if m.dep_ == "compound"
    ):
        kind = "state"
    start = min([m.i for m in mods if "\n" not in token.doc[m.i : token.i].text] + [token.i])
    phrase = token.doc[start : token.i + 1].text
    if kind == "unknown" and lemma in ("person", "people", "man", "men", "individual") and not words:
        return None
    return phrase, kind


def find_perpetrators(doc: Doc, acts: list[ActMention], entities: list[Entity]) -> list[PerpetratorMention]:
    found: dict[tuple[int, int], PerpetratorMention] = {}
    for index, act in enumerate(acts):
        if act.negated or act.hedged or act.token_i < 0:
            continue
        for token in agent_tokens(doc[act.token_i]):
            mention = _mention_for(doc, token, entities)
            if mention is None:
                continue
            key = (mention.start, mention.end)
            found.setdefault(key, mention).acts.append(index)
    return sorted(found.values(), key=lambda p: p.start)


def _mention_for(doc: Doc, token: Token, entities: list[Entity]) -> PerpetratorMention | None:
    entity = _entity_at(entities, token)
    if entity is not None and not entity.publisher:
        kind = (
            "state"
            if entity.state
            else ("non_state" if entity.kind == "person" or not entity.state else "unknown")
        )
        m = next(m for m in entity.mentions if m.start <= token.idx < m.end)
        return PerpetratorMention(
            m.start,
            m.end,
            m.text,
            name=entity.name,
            kind=kind,
            description=", ".join(entity.roles[:1]) or None,
            entity_id=entity.id,
            rule="entity",
        )
    generic = _generic(token)
    if generic is None:
        return None
    phrase, kind = generic
    start = extensions.doc_text(token.doc).find(phrase, max(0, token.idx - len(phrase)))
    return PerpetratorMention(
        start,
        start + len(phrase),
        phrase,
        name=None,
        kind=kind,
        description=phrase.lower().removeprefix("the "),
        rule="generic",
    )


@Language.component(
    PERPETRATORS.factory,
    requires=["doc._.hrd_acts", "doc._.hrd_entities", *PARSE, *POS, *LEMMAS],
    assigns=["doc._.hrd_perpetrators"],
)
def perpetrators_component(doc: Doc) -> Doc:
    extensions.register()
    if not doc.has_annotation("DEP"):
        doc._.hrd_perpetrators = []
        return doc
    doc._.hrd_perpetrators = find_perpetrators(doc, doc._.hrd_acts or [], doc._.hrd_entities or [])
    return doc
