"""Who an act was done to: victims read from the syntax around a trigger, pronouns resolved to the
people in focus. Used by event assembly."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from hrdwatch.extract.facts import Entity

EXPERIENCER_LEMMAS = {
    "receive",
    "face",
    "suffer",
    "undergo",
    "experience",
    "endure",
    "subject",
    "be",
    "become",
    "remain",
    "target",
}
SINGULAR = {"he", "him", "his", "she", "her", "hers"}
PLURAL = {"they", "them", "their"}
GROUP_NOUNS = {"defender", "activist", "journalist", "lawyer", "hrd", "colleague", "member"}
TARGET_DEPS = {"nsubjpass", "dobj", "pobj", "poss", "appos", "conj", "attr", "dative"}


@dataclass
class Focus:
    """The people a report is talking about at this point: the antecedents of pronouns."""

    people: list[int] = field(default_factory=list)

    def resolve(self, token: Token) -> list[int]:
        word = token.lower_
        if word in SINGULAR:
            return self.people[-1:] if len(self.people) == 1 else self.people[:1]
        if word in PLURAL or token.lemma_ in GROUP_NOUNS and token.tag_ == "NNS":
            return list(self.people)
        return []


def entity_index(doc: Doc, entities: list[Entity]) -> dict[int, int]:
    """Token index -> entity id, for every token inside a mention."""
    out: dict[int, int] = {}
    for entity in entities:
        for m in entity.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    out[t.i] = entity.id
    return out


def _targets(trigger: Token) -> list[Token]:
    """Tokens in target position relative to the trigger."""
    out: list[Token] = []
    verb = trigger
    while verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = verb.head
    heads = {trigger, verb}
    if trigger.dep_ in ("compound", "amod", "nmod"):
        heads.add(trigger.head)
    for head in heads:
        for child in head.children:
            if child.dep_ in ("nsubjpass", "dobj", "dative", "poss"):
                out.append(child)
            if child.dep_ == "prep" and child.lower_ in ("of", "against", "on", "to", "targeting", "with"):
                out += [c for c in child.children if c.dep_ == "pobj"]
            if child.dep_ == "acl" and child.lemma_ == "target":
                out += [c for c in child.children if c.dep_ == "dobj"]
    if trigger.dep_ in ("relcl", "acl") and trigger.head.pos_ in ("PROPN", "NOUN", "PRON"):
        out.append(trigger.head)
    governing = trigger.head if trigger.pos_ == "NOUN" else None
    if governing is not None and governing.lemma_ in EXPERIENCER_LEMMAS:
        out += [c for c in governing.children if c.dep_ in ("nsubj", "nsubjpass")]
    if trigger.dep_ == "pobj" and trigger.head.head.lemma_ in EXPERIENCER_LEMMAS:
        out += [c for c in trigger.head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    expanded: list[Token] = []
    for t in out:
        expanded.append(t)
        expanded += [c for c in t.subtree if c is not t and c.dep_ in ("conj", "appos", "poss")]
    return expanded


def victims_of(
    trigger: Token, tok2ent: dict[int, int], eligible: set[int], focus: Focus, excluded: set[int]
) -> list[int]:
    """Entity ids of the victims of the act at ``trigger``."""
    found: list[int] = []
    pronouns: list[Token] = []
    for t in _targets(trigger):
        ent = tok2ent.get(t.i)
        if ent is not None and ent in eligible and ent not in excluded:
            found.append(ent)
        elif t.pos_ == "PRON" or (t.lemma_ in GROUP_NOUNS and t.tag_ == "NNS"):
            pronouns.append(t)
    if not found:
        for p in pronouns:
            found += [e for e in focus.resolve(p) if e not in excluded]
    return list(dict.fromkeys(found))


def sentence_people(sent_tokens: list[Token], tok2ent: dict[int, int], eligible: set[int]) -> list[int]:
    seen = [tok2ent[t.i] for t in sent_tokens if t.i in tok2ent and tok2ent[t.i] in eligible]
    return list(dict.fromkeys(seen))


def sentence_pronoun_victims(sent_tokens: list[Token], focus: Focus) -> list[int]:
    for t in sent_tokens:
        if t.dep_ in TARGET_DEPS | {"nsubj"} and (
            t.pos_ == "PRON" or (t.lemma_ in GROUP_NOUNS and t.tag_ == "NNS")
        ):
            resolved = focus.resolve(t)
            if resolved:
                return resolved
    return []
