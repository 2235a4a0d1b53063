"""Candidate pairs without comparing every name with every other.

A name is filed under coarse codes (the first consonants of each word's sound key, which also fit
Arabic script without vowels): every pair of its words (given name + surname, in any order, with or
without the patronymic). Names that are only partly written ("T. Valk", "journalist Denisov") are
also filed under each word alone, and meet full names there (a surname block, but only for them).

A block grows with the database when many people share a name. Up to a limit a block compares all
its pairs; a bigger one is sorted by the names' keys and each name is compared with the few names
after it (sorted neighbourhood: the same name spelt alike sorts together), so the work per name
stays bounded and the total grows linearly. ``BlockIndex`` serves one new mention against the
names already filed (ingest).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from hrdwatch.services.linking.keys import skeleton
from hrdwatch.services.linking.names import NameToken, ParsedName, parse_name

CODE_LENGTH = 3
#: (largest block compared in full, window of a bigger one): for pairs of words, and for the
#: single words that partial names are filed under (fewer, and worth a wider look)
PAIR_BLOCK = (40, 10)
WORD_BLOCK = (300, 60)
#: h comes and goes between systems (kh, German ch, Wade-Giles hs)
_CODE_LETTERS = str.maketrans({"h": None})


def _codes(token: NameToken) -> set[str]:
    """First consonants of the sound key, without h."""
    return {skeleton(key).translate(_CODE_LETTERS)[:CODE_LENGTH] or key[:1] for key in token.keys}


def pair_keys(name: ParsedName) -> set[str]:
    keys: set[str] = set()
    for x, y in combinations(name.full, 2):
        for cx in _codes(x):
            keys.update("P:" + "|".join(sorted((cx, cy))) for cy in _codes(y))
    return keys


def word_keys(name: ParsedName) -> set[str]:
    """Each full word alone: how partial names find full names and each other."""
    return {"S:" + c for t in name.full for c in _codes(t)}


def is_partial(name: ParsedName) -> bool:
    return bool(name.initials) or len(name.full) == 1


class BlockIndex:
    """Names filed by blocking keys; ``candidates`` of a new name are the ids it shares a block with."""

    def __init__(self) -> None:
        self._pairs: dict[str, list[str]] = defaultdict(list)
        self._words: dict[str, list[str]] = defaultdict(list)
        self._partials: dict[str, list[str]] = defaultdict(list)

    def add(self, ident: str, raw: str) -> None:
        name = parse_name(raw)
        for key in pair_keys(name):
            self._pairs[key].append(ident)
        words = self._partials if is_partial(name) else self._words
        for key in word_keys(name):
            words[key].append(ident)

    def candidates(self, raw: str) -> set[str]:
        name = parse_name(raw)
        found = {i for key in pair_keys(name) for i in self._pairs.get(key, ())}
        found.update(i for key in word_keys(name) for i in self._partials.get(key, ()))
        if is_partial(name):
            found.update(i for key in word_keys(name) for i in self._words.get(key, ()))
        return found


@dataclass(frozen=True, slots=True, order=True)
class _Entry:
    order: str
    ident: str
    partial: bool


def _entry(ident: str, name: ParsedName) -> _Entry:
    order = " ".join(sorted(t.keys[0] for t in name.full))
    return _Entry(order, ident, is_partial(name))


def _block_pairs(
    entries: list[_Entry], limits: tuple[int, int], *, need_partial: bool
) -> Iterable[tuple[str, str]]:
    """All pairs of a small block; the sorted neighbourhood of a big one."""
    largest, window = limits
    if len(entries) <= largest:
        neighbours: Iterable[tuple[_Entry, _Entry]] = combinations(entries, 2)
    else:
        ordered = sorted(entries)
        neighbours = ((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 : i + 1 + window])
    for a, b in neighbours:
        if a.ident != b.ident and (a.partial or b.partial or not need_partial):
            yield (a.ident, b.ident) if a.ident < b.ident else (b.ident, a.ident)


def candidate_pairs(names: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """(smaller id, larger id) for the names that share a block; never all pairs."""
    pair_blocks: dict[str, list[_Entry]] = defaultdict(list)
    word_blocks: dict[str, list[_Entry]] = defaultdict(list)
    for ident, raw in names:
        name = parse_name(raw)
        entry = _entry(ident, name)
        for key in pair_keys(name):
            pair_blocks[key].append(entry)
        for key in word_keys(name):
            word_blocks[key].append(entry)
    pairs: set[tuple[str, str]] = set()
    for entries in pair_blocks.values():
        pairs.update(_block_pairs(entries, PAIR_BLOCK, need_partial=False))
    for entries in word_blocks.values():
        if any(e.partial for e in entries):
            pairs.update(_block_pairs(entries, WORD_BLOCK, need_partial=True))
    return pairs
