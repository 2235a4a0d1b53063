"""The linking benchmark's own arithmetic: pairwise precision and recall, the threshold picking,
the synthetic persons. Its figures are in benchmarks/README.md; this keeps the script honest."""

from __future__ import annotations

import importlib
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # benchmarks/ is a folder of scripts, imported here as a namespace
bench = importlib.import_module("benchmarks.linking")


def test_pairwise_precision_recall_f1() -> None:
    scores = bench.Scores({("a", "b"): 0.95, ("a", "c"): 0.8, ("c", "d"): 0.5}, {("a", "b"), ("d", "c")})
    assert bench.prf(scores, 0.9) == (1.0, 0.5, 2 / 3, 1, 0)
    precision, recall, _, tp, fp = bench.prf(scores, 0.5)
    assert (precision, recall, tp, fp) == (2 / 3, 1.0, 2, 1)


def test_thresholds_are_picked_on_the_scores_given() -> None:
    scores = bench.Scores({("a", "b"): 0.95, ("a", "c"): 0.8, ("c", "d"): 0.6}, {("a", "b"), ("c", "d")})
    th = bench.pick_thresholds(scores)
    assert th.auto == 0.81  # the lowest with no wrong link
    assert th.suggest <= 0.6  # reaches the last true pair


def test_variant_set_loads_and_only_its_own_pairs_are_scored() -> None:
    variants, entities = bench.load()
    assert len(variants) > 1000 and len(entities) > 300
    small = [v for v in variants if v.entity in ("e0001", "e0002")]
    scores = bench.score_set(small)
    assert scores.truth and set(scores.scores) <= {(a.id, b.id) for a in small for b in small}


def test_synthetic_persons_combine_names_of_one_language() -> None:
    _, entities = bench.load()
    persons = bench.synthetic(50, entities.values(), random.Random(1))
    assert len(persons) == 50
    assert all(len(m.name.split()) == 2 for m in persons.values())
