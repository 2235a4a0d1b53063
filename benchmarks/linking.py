"""Person linking (issue 9): how often two written names are rightly called one person, and what it costs.

On ``benchmarks/data/name_variants.jsonl`` (2,606 spellings of 344 invented people, with hard
negatives) it scores every candidate pair that blocking proposes (a pair blocking misses counts as
not linked) and prints pairwise precision, recall and F1 at the automatic threshold and at the
suggestion threshold (auto + suggested), then the same on the hard-negative groups alone (a base
person and the person built to be confused with them), the time per 1,000 comparisons, and how
linking time grows with 1k / 10k / 100k synthetic persons.

Thresholds are picked on the people with an even id (a hard negative goes with its base person) and
reported on the odd half, which the picking never saw; then on the whole set. ``--auto`` and
``--suggest`` skip the picking.

Usage: ``python benchmarks/linking.py [--sizes 1000,10000,100000] [--auto A --suggest S]``
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hrdwatch.services.linking.blocking import candidate_pairs, is_partial
from hrdwatch.services.linking.matcher import Linker, Thresholds
from hrdwatch.services.linking.names import parse_name
from hrdwatch.services.linking.similarity import Mention, similarity

DATA = Path(__file__).parent / "data"
#: an automatic link must be right this often on the tuning half
AUTO_PRECISION = 0.98

Pair = tuple[str, str]


@dataclass(frozen=True)
class Variant:
    id: str
    entity: str
    name: str


@dataclass(frozen=True)
class Scores:
    """Score of every candidate pair, and the true pairs (same person) of a set of variants."""

    scores: dict[Pair, float]
    truth: set[Pair]


def load() -> tuple[list[Variant], dict[str, dict[str, str | None]]]:
    entities = {e["id"]: e for e in map(json.loads, (DATA / "name_entities.jsonl").open(encoding="utf-8"))}
    lines = (DATA / "name_variants.jsonl").open(encoding="utf-8")
    variants = [Variant(v["id"], v["entity"], v["name"]) for v in map(json.loads, lines)]
    return variants, entities


def score_set(variants: list[Variant]) -> Scores:
    names = {v.id: Mention(v.name) for v in variants}
    pairs = candidate_pairs((v.id, v.name) for v in variants)
    scores = {(a, b): similarity(names[a], names[b]).score for a, b in pairs}
    by_entity: dict[str, list[str]] = {}
    for v in variants:
        by_entity.setdefault(v.entity, []).append(v.id)
    truth = {(a, b) for ids in by_entity.values() for i, a in enumerate(ids) for b in ids[i + 1 :]}
    return Scores(scores, truth)


def prf(s: Scores, threshold: float) -> tuple[float, float, float, int, int]:
    """Precision, recall, F1, true positives, false positives of 'score >= threshold'."""
    predicted = {p for p, score in s.scores.items() if score >= threshold}
    tp = sum(1 for p in predicted if p in s.truth or (p[1], p[0]) in s.truth)
    fp = len(predicted) - tp
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(s.truth) if s.truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp


def full_only(s: Scores, variants: list[Variant]) -> Scores:
    """The pairs in which both names are written in full: what a name alone can decide."""
    full = {v.id for v in variants if not is_partial(parse_name(v.name))}
    scores = {p: x for p, x in s.scores.items() if p[0] in full and p[1] in full}
    return Scores(scores, {p for p in s.truth if p[0] in full and p[1] in full})


def pick_thresholds(s: Scores) -> Thresholds:
    """Auto: the lowest threshold whose precision is at least AUTO_PRECISION; suggest: best F1 below it."""
    grid = [round(0.3 + 0.01 * i, 2) for i in range(71)]
    auto = next((t for t in grid if prf(s, t)[0] >= AUTO_PRECISION), 1.0)
    suggest = max((t for t in grid if t <= auto), key=lambda t: prf(s, t)[2])
    return Thresholds(auto=auto, suggest=suggest)


def report(title: str, s: Scores, th: Thresholds) -> None:
    print(f"{title}: {len(s.truth):,} true pairs, {len(s.scores):,} candidate pairs scored")
    for label, t in (("auto", th.auto), ("auto + suggested", th.suggest)):
        p, r, f, tp, fp = prf(s, t)
        figures = f"precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}"
        print(f"  {label:<18} >= {t:.2f}  {figures}  ({tp:,} right, {fp:,} wrong)")


def hard_negatives(
    variants: list[Variant], entities: dict[str, dict[str, str | None]], th: Thresholds
) -> None:
    """Each base person with the person built to be confused with them: how many cross pairs link."""
    pairs = [(e["hard_negative_of"], e["id"]) for e in entities.values() if e["hard_negative_of"]]
    cross = linked_auto = linked_any = 0
    kinds: dict[str, list[int]] = {}
    merged = Scores({}, set())
    for base, neg in pairs:
        group = [v for v in variants if v.entity in (base, neg)]
        s = score_set(group)
        merged.scores.update(s.scores)
        merged.truth.update(s.truth)
        side = {v.id: v.entity for v in group}
        n_cross = sum(1 for a in group for b in group if a.entity == base and b.entity == neg)
        wrong = [score for (a, b), score in s.scores.items() if side[a] != side[b]]
        kind = str(entities[neg]["negative_kind"])
        counts = kinds.setdefault(kind, [0, 0, 0])
        counts[0] += n_cross
        counts[1] += sum(1 for x in wrong if x >= th.auto)
        counts[2] += sum(1 for x in wrong if x >= th.suggest)
        cross, linked_auto, linked_any = cross + n_cross, linked_auto + counts[1], linked_any + counts[2]
    report(f"hard-negative groups ({len(pairs)} base + look-alike)", merged, th)
    total = [sum(c[i] for c in kinds.values()) for i in range(3)]
    print(
        f"  pairs of two different people: {total[0]:,}; linked auto {total[1]} ({total[1] / total[0]:.1%}),"
    )
    print(f"  auto or suggested {total[2]} ({total[2] / total[0]:.1%}).")
    print("  by kind: pairs / linked auto / auto or suggested")
    for kind, (n, a, s_) in sorted(kinds.items()):
        print(f"    {kind:<13} {n:5,} {a:5} {s_:5}")


def timing(variants: list[Variant], count: int = 20000) -> None:
    names = [Mention(v.name) for v in variants]
    rng = random.Random(1)
    pairs = [(rng.choice(names), rng.choice(names)) for _ in range(count)]
    for a, b in pairs[:2000]:  # names parsed once, as in a batch
        similarity(a, b)
    start = time.perf_counter()
    for a, b in pairs:
        similarity(a, b)
    seconds = time.perf_counter() - start
    per_1000 = seconds / count * 1000 * 1000
    print(f"time per 1,000 comparisons: {per_1000:.1f} ms ({count:,} random pairs, names parsed)")


def synthetic(n: int, entities: Iterable[dict[str, str | None]], rng: random.Random) -> dict[str, Mention]:
    """n persons whose given name and surname are drawn at random from the set's people, per language."""
    pools: dict[str, tuple[list[str], list[str]]] = {}
    for e in entities:
        words = str(e["name"]).split()
        given, surname = (words[1], words[0]) if e["language"] == "zh" else (words[0], words[-1])
        pool = pools.setdefault(str(e["language"]), ([], []))
        pool[0].append(given)
        pool[1].append(surname)
    languages = sorted(pools)
    out = {}
    for i in range(n):
        given, surnames = pools[rng.choice(languages)]
        out[f"s{i}"] = Mention(f"{rng.choice(given)} {rng.choice(surnames)}")
    return out


def scaling(entities: dict[str, dict[str, str | None]], sizes: list[int], th: Thresholds) -> None:
    print("linking time by number of persons (blocking, scoring every candidate pair, clustering):")
    head = f"{'persons':>8} {'candidate pairs':>16} {'pairs/person':>13} {'seconds':>8} {'s per 1k':>9}"
    print(f"  {head}  share of n(n-1)/2")
    linker = Linker(th)
    for n in sizes:
        names = synthetic(n, entities.values(), random.Random(n))
        start = time.perf_counter()
        pairs = candidate_pairs((i, m.name) for i, m in names.items())
        linker.cluster(names)
        seconds = time.perf_counter() - start
        share = len(pairs) / (n * (n - 1) / 2)
        row = f"{n:>8,} {len(pairs):>16,} {len(pairs) / n:>13.1f} {seconds:>8.1f} {seconds / n * 1000:>9.3f}"
        print(f"  {row}  {share:.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--auto", type=float)
    parser.add_argument("--suggest", type=float)
    args = parser.parse_args()
    variants, entities = load()

    def half(v: Variant) -> int:
        base = entities[v.entity]["hard_negative_of"] or v.entity
        return int(str(base)[1:]) % 2

    tune = score_set([v for v in variants if half(v) == 0])
    held = score_set([v for v in variants if half(v) == 1])
    if args.auto and args.suggest:
        th = Thresholds(auto=args.auto, suggest=args.suggest)
    else:
        th = pick_thresholds(tune)
    print(f"{len(variants):,} variants of {len(entities)} people")
    print(f"thresholds: auto {th.auto:.2f}, suggest {th.suggest:.2f}")
    print(f"(picked on the even half: auto = lowest with precision >= {AUTO_PRECISION}, suggest = best F1)")
    report("tuning half (even ids)", tune, th)
    report("held-out half (odd ids)", held, th)
    whole = score_set(variants)
    report("whole set", whole, th)
    report("two full names (no initials, no surname alone)", full_only(whole, variants), th)
    hard_negatives(variants, entities, th)
    timing(variants)
    scaling(entities, [int(x) for x in args.sizes.split(",") if x], th)


if __name__ == "__main__":
    main()
