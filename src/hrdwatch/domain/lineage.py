"""The lineage of proceedings: the procedural steps a case went through (arrest -> detention ->
charge -> hearing -> conviction / sentence -> appeal -> release / acquittal), in order, derived from
the acts and sanctions of its incidents, and the situation they leave the defender in.

Which act code is which step, and what each step does to the defender's situation, is data
(``taxonomies/lineage.json``); this module only gathers, orders and folds. Decisions kept here:

- A fine (or another sentence without prison) is not "sentenced": it ends the proceedings it
  concludes, so a defender who was not held is at large again; a later charge or hearing makes
  them under investigation again. A defender who is held stays held: no release is assumed that
  no report states.
- A conviction without a known sentence leaves a held defender held and makes one at large
  under investigation (the sentence is still to come); only a prison sentence makes "sentenced".
- Steps are ordered by date. A vaguer date (``2025`` or ``2025-03``) is placed among the more
  precise dates it covers by the natural order of the steps, and an undated step among all the
  dated ones likewise: just after the last step of the same or an earlier natural rank (a
  conviction "in 2025" comes after a hearing in May 2025 even if a release on bail in February
  lies between). Steps on the same date follow the natural order (the order of ``steps`` in the
  data).
- A vaguer mention of a step (``arrested in March``) is the same step as the one more precise
  step of that kind it can mean (``arrested on 4 March``), when there is exactly one; otherwise
  it stays a step of its own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, cast

from hrdwatch.domain.cases import Situation
from hrdwatch.domain.dates import PartialDate

#: sanctions (``sanctions.type``: prison, fine, other) take part in the lineage under this prefix
SANCTION_PREFIX = "sanction:"


class StepKind(StrEnum):
    """The procedural steps, in their natural order (checked against the data when it is read)."""

    ARREST = "arrest"
    DETENTION = "detention"
    DISAPPEARANCE = "disappearance"
    CHARGE = "charge"
    RESTRICTION = "restriction"
    HEARING = "hearing"
    CONVICTION = "conviction"
    SENTENCE = "sentence"  # without prison: a fine or another penalty
    PRISON_SENTENCE = "prison_sentence"
    APPEAL = "appeal"
    RELEASE = "release"
    ACQUITTAL = "acquittal"
    DEPORTATION = "deportation"
    KILLING = "killing"

    @property
    def label(self) -> str:
        return _steps()[self].label

    @property
    def rank(self) -> int:
        """Place in the natural order of the proceedings."""
        return _steps()[self].rank


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One act or sanction of one incident, as the store gives it. ``code`` is an act code
    (``acts.json``) or ``sanction_code(type)``; ``date`` is ISO text of any precision, or None."""

    incident_id: str
    code: str
    date: str | None = None
    evidence_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the proceedings with the incidents and evidence that state it."""

    kind: StepKind
    date: str | None
    codes: tuple[str, ...]
    incident_ids: tuple[str, ...]
    evidence_ids: tuple[str, ...]

    @property
    def when(self) -> PartialDate | None:
        return PartialDate.from_iso(self.date) if self.date else None


@dataclass(frozen=True, slots=True)
class _Rule:
    """``to`` when the current situation is in ``only`` (any when None) and not in ``unless``."""

    to: Situation
    only: frozenset[Situation] | None
    unless: frozenset[Situation]

    def applies(self, current: Situation) -> bool:
        return (self.only is None or current in self.only) and current not in self.unless


@dataclass(frozen=True, slots=True)
class _StepType:
    rank: int
    label: str
    rules: tuple[_Rule, ...]


def sanction_code(sanction_type: str) -> str:
    """The lineage code of a sanction type: ``sanction_code("prison") == "sanction:prison"``."""
    return SANCTION_PREFIX + sanction_type


@cache
def _data() -> dict[str, Any]:
    raw = resources.files("hrdwatch.domain").joinpath("taxonomies/lineage.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(raw))


def _situations(names: list[str] | None) -> frozenset[Situation] | None:
    return None if names is None else frozenset(Situation(n) for n in names)


def _rule(effect: dict[str, Any]) -> _Rule:
    unless = _situations(effect.get("except")) or frozenset()
    return _Rule(Situation(effect["to"]), _situations(effect.get("from")), unless)


@cache
def _steps() -> dict[StepKind, _StepType]:
    rows: list[dict[str, Any]] = _data()["steps"]
    if [row["step"] for row in rows] != [kind.value for kind in StepKind]:
        raise ValueError("lineage.json: 'steps' must list every StepKind, in its natural order")
    return {
        StepKind(row["step"]): _StepType(rank, row["label"], tuple(_rule(e) for e in row["effects"]))
        for rank, row in enumerate(rows)
    }


@cache
def step_codes() -> dict[str, StepKind]:
    """Act codes and sanction codes -> the step they are; codes not listed are not steps."""
    codes: dict[str, str] = _data()["codes"]
    return {code: StepKind(step) for code, step in codes.items()}


def lineage(occurrences: Iterable[Occurrence]) -> list[Step]:
    """The ordered chain of steps the occurrences state (see the module's docstring for the rules)."""
    return _arrange(_fold(_gather(occurrences)), 0)


def situation(steps: Iterable[Step], start: Situation = Situation.UNKNOWN) -> Situation:
    """The defender's situation after ``steps`` (in lineage order), starting from ``start``."""
    current = start
    for step in steps:
        current = next_situation(current, step.kind)
    return current


def next_situation(current: Situation, kind: StepKind) -> Situation:
    """What one step does to the situation: the first rule that applies; none leaves it as it is."""
    if current.final:
        return current
    rule = next((r for r in _steps()[kind].rules if r.applies(current)), None)
    return current if rule is None else rule.to


@dataclass(frozen=True, slots=True)
class NewInformation:
    """What a new report adds to a case, for the analyst to confirm."""

    new_steps: tuple[Step, ...]  # steps no earlier incident stated
    corroborated: tuple[Step, ...]  # known steps that gained an incident or a piece of evidence
    situation_before: Situation
    situation_after: Situation

    @property
    def situation_changed(self) -> bool:
        return self.situation_before is not self.situation_after

    def __bool__(self) -> bool:
        return bool(self.new_steps or self.corroborated or self.situation_changed)


def status_changes(before: Sequence[Step], after: Sequence[Step]) -> NewInformation:
    """Compare a case's lineage before and after a report was added. A step after is the same as a
    step before when both are of the same kind and share an incident."""
    new: list[Step] = []
    corroborated: list[Step] = []
    for step in after:
        known = [b for b in before if b.kind is step.kind and set(b.incident_ids) & set(step.incident_ids)]
        if not known:
            new.append(step)
        elif _adds_sources(step, known):
            corroborated.append(step)
    return NewInformation(tuple(new), tuple(corroborated), situation(before), situation(after))


def _adds_sources(step: Step, known: list[Step]) -> bool:
    incidents = {i for b in known for i in b.incident_ids}
    evidence = {e for b in known for e in b.evidence_ids}
    return bool(set(step.incident_ids) - incidents or set(step.evidence_ids) - evidence)


def _gather(occurrences: Iterable[Occurrence]) -> list[Step]:
    """One step per (kind, date), in the order first seen; occurrences that are no step are left."""
    found: dict[tuple[StepKind, str | None], Step] = {}
    for occ in occurrences:
        kind = step_codes().get(occ.code)
        if kind is None:
            continue
        date = PartialDate.from_iso(occ.date).iso if occ.date else None  # checks and normalises
        step = Step(kind, date, (occ.code,), (occ.incident_id,), occ.evidence_ids)
        key = (kind, date)
        found[key] = _join(found[key], step) if key in found else step
    return list(found.values())


def _join(into: Step, other: Step) -> Step:
    """``into`` (keeping its date) stated also by what states ``other``."""
    return Step(
        into.kind,
        into.date,
        _union(into.codes, other.codes),
        _union(into.incident_ids, other.incident_ids),
        _union(into.evidence_ids, other.evidence_ids),
    )


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def _fold(steps: list[Step]) -> list[Step]:
    """Fold each vaguer step into the one more precise step of its kind it can mean, if only one."""
    result = list(steps)
    for step in sorted(steps, key=_precision, reverse=True):
        matches = [i for i, s in enumerate(result) if s.kind is step.kind and _covers(step.when, s.when)]
        if len(matches) == 1:
            result[matches[0]] = _join(result[matches[0]], step)
            result.remove(step)
    return result


def _precision(step: Step) -> int:
    """0 undated, 1 year, 2 month, 3 day."""
    when = step.when
    return 0 if when is None else 1 + (when.month is not None) + (when.day is not None)


def _covers(vague: PartialDate | None, precise: PartialDate | None) -> bool:
    """Whether ``precise`` is a strictly more precise date within ``vague``."""
    if precise is None:
        return False
    if vague is None:
        return True
    parts, within = _parts(vague), _parts(precise)
    depth = sum(p is not None for p in parts)
    return depth < 3 and within[depth] is not None and within[:depth] == parts[:depth]


def _parts(when: PartialDate | None) -> tuple[int | None, int | None, int | None]:
    return (None, None, None) if when is None else (when.year, when.month, when.day)


def _arrange(steps: list[Step], depth: int) -> list[Step]:
    """Order by year, then month, then day (``depth`` 0, 1, 2); the steps not known at this depth
    are placed among the others by their natural order; same date: natural order."""
    if depth == 3:
        return sorted(steps, key=lambda s: s.kind.rank)
    groups: dict[int, list[Step]] = defaultdict(list)
    vague: list[Step] = []
    for step in steps:
        part = _parts(step.when)[depth]
        if part is None:
            vague.append(step)
        else:
            groups[part].append(step)
    ordered = [s for part in sorted(groups) for s in _arrange(groups[part], depth + 1)]
    return _place(ordered, sorted(vague, key=lambda s: s.kind.rank))


def _place(ordered: list[Step], vague: list[Step]) -> list[Step]:
    """Each vague step (sorted by rank) just after the last step of the same or an earlier rank."""
    result = list(ordered)
    for step in vague:
        earlier = [i for i, s in enumerate(result) if s.kind.rank <= step.kind.rank]
        result.insert(earlier[-1] + 1 if earlier else 0, step)
    return result
