"""``hrdwatch merge KIND SURVIVOR ABSORBED`` and ``hrdwatch split MERGE_ID``: join two records
that are one (a person or organisation under two entities, an incident told by two sources, a
case opened twice), and undo such a join exactly.

A merge prints its id: ``hrdwatch split`` takes it back. The operator acts as the database's
administrator, as for every command (the audit log names ``cli:<login>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated

import typer

from hrdwatch.interfaces.cli import render
from hrdwatch.interfaces.cli.common import (
    AskKey,
    DbOption,
    JsonFlag,
    err,
    load_settings,
    open_engine,
    operator,
    print_json,
)


class Kind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    INCIDENT = "incident"
    CASE = "case"


Confirm = Annotated[
    bool,
    typer.Option(
        "--confirm",
        help="Merge even though one side is confidential (or has a confidential person) and the other not.",
    ),
]


def merge(
    kind: Annotated[Kind, typer.Argument(help="person, organisation, incident or case.")],
    survivor: Annotated[
        str, typer.Argument(help="The one that stays: entity or incident id, or case reference.")
    ],
    absorbed: Annotated[
        str, typer.Argument(help="The one merged into it (kept, marked, restored by split).")
    ],
    confirm: Confirm = False,
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """Merge two people, organisations, incidents or cases that are one; prints the merge id for split."""
    from hrdwatch.services import merging

    engine, user = open_engine(load_settings(db, ask_key)), operator()
    if kind is Kind.INCIDENT:
        result = merging.merge_incidents(engine, user, survivor, absorbed, confirm=confirm)
    elif kind is Kind.CASE:
        result = merging.merge_cases(engine, user, survivor, absorbed, confirm=confirm)
    else:
        result = merging.merge_entities(engine, user, survivor, absorbed, confirm=confirm, kind=kind.value)
    if as_json:
        print_json(render.asdict(result))
        return
    err.print(f"merged {kind.value} {absorbed} into {survivor}: merge {result.id}", markup=False)
    _counts(("moved", result.moved), ("dropped as duplicates", result.dropped), ("added", result.added))
    err.print(f"undo with: hrdwatch split {result.id}", markup=False)


def split(
    merge_id: Annotated[str, typer.Argument(help="The id a merge printed.")],
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """Undo one merge exactly; refused if a row it changed has changed since."""
    from hrdwatch.services import merging

    result = merging.split(open_engine(load_settings(db, ask_key)), operator(), merge_id)
    if as_json:
        print_json(render.asdict(result))
        return
    err.print(
        f"split merge {result.id}: {result.kind} {result.absorbed_id} is apart from {result.survivor_id}",
        markup=False,
    )
    _counts(("moved back", result.moved), ("put back", result.dropped), ("removed", result.added))


def _counts(*lines: tuple[str, Mapping[str, int]]) -> None:
    """One line per kind of change that happened: ``moved: 1 case_entities, 2 people``."""
    for label, counts in lines:
        if counts:
            text = ", ".join(f"{n} {table}" for table, n in sorted(counts.items()))
            err.print(f"{label}: {text}", markup=False)
