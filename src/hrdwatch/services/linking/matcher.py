"""Decide: link a mention to a known person automatically, suggest it for review, or start a new one.

The thresholds come from the caller (settings ``HRDWATCH_LINK_AUTO`` and ``HRDWATCH_LINK_SUGGEST``).
``cluster`` groups a whole list of names for ``link --rebuild``: automatic links between full names
join groups; a partial name ("I. Denisov", "Mr Denisov") joins a group only when every automatic link
it has points into that one group, so that it never bridges two people who share a surname.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hrdwatch.services.linking.blocking import candidate_pairs, is_partial
from hrdwatch.services.linking.names import parse_name
from hrdwatch.services.linking.similarity import Mention, Similarity, similarity


class Decision(enum.StrEnum):
    AUTO = "auto"
    SUGGESTED = "suggested"
    NEW = "new"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """``auto`` and above: linked; ``suggest`` up to ``auto``: proposed to an analyst; below: new."""

    auto: float
    suggest: float

    def __post_init__(self) -> None:
        if not 0.0 < self.suggest <= self.auto <= 1.0:
            raise ValueError(f"need 0 < suggest <= auto <= 1, got {self.suggest} and {self.auto}")

    def decide(self, score: float) -> Decision:
        if score >= self.auto:
            return Decision.AUTO
        return Decision.SUGGESTED if score >= self.suggest else Decision.NEW


@dataclass(frozen=True, slots=True)
class Candidate:
    """A known person, with every mention already linked to it (each spelling seen)."""

    entity_id: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Match:
    entity_id: str
    score: float
    reasons: tuple[str, ...]
    decision: Decision


class _Groups:
    """Union-find over ids."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, i: str) -> str:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return self.parent[i]

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


class Linker:
    def __init__(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds

    def score(self, mention: Mention, candidate: Candidate) -> Similarity:
        """The best of the candidate's mentions: a person is whoever any of their spellings is."""
        sims = [similarity(mention, other) for other in candidate.mentions]
        return max(sims, key=lambda s: s.score, default=Similarity(0.0, ("no mention",)))

    def link(self, mention: Mention, candidates: Iterable[Candidate]) -> list[Match]:
        """Every candidate scored, best first, each with its decision."""
        matches = []
        for candidate in candidates:
            sim = self.score(mention, candidate)
            decision = self.thresholds.decide(sim.score)
            matches.append(Match(candidate.entity_id, sim.score, sim.reasons, decision))
        return sorted(matches, key=lambda m: -m.score)

    def auto_pairs(self, names: Mapping[str, Mention]) -> list[tuple[str, str]]:
        pairs = candidate_pairs((ident, m.name) for ident, m in names.items())
        return [
            (a, b)
            for a, b in sorted(pairs)
            if self.thresholds.decide(similarity(names[a], names[b]).score) is Decision.AUTO
        ]

    def cluster(self, names: Mapping[str, Mention]) -> list[set[str]]:
        """Groups of ids that are one person, for a rebuild of all links (no all-pairs loop)."""
        partial = {i for i, m in names.items() if is_partial(parse_name(m.name))}
        groups = _Groups(names)
        edges = self.auto_pairs(names)
        for a, b in edges:
            if a not in partial and b not in partial:
                groups.union(a, b)
        near: dict[str, set[str]] = {}
        for a, b in edges:
            near.setdefault(a, set()).add(b)
            near.setdefault(b, set()).add(a)
        for ident in sorted(partial):
            targets = {groups.find(other) for other in near.get(ident, ()) if other not in partial}
            if len(targets) == 1:
                groups.union(ident, targets.pop())
        clusters: dict[str, set[str]] = {}
        for ident in names:
            clusters.setdefault(groups.find(ident), set()).add(ident)
        return list(clusters.values())
