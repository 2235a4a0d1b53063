"""``hrdwatch cases``, ``hrdwatch case show REF`` and ``hrdwatch link --rebuild``: case files
(issue 9). Thin: parse, call :mod:`hrdwatch.services.cases`, format."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from hrdwatch.domain.cases import CaseStatus
from hrdwatch.domain.lineage import Step
from hrdwatch.interfaces.cli.common import (
    AskKey,
    DbOption,
    JsonFlag,
    err,
    load_settings,
    open_engine,
    operator,
    out,
    print_json,
)

if TYPE_CHECKING:
    from hrdwatch.services.case_file import CaseFile

case_app = typer.Typer(help="One case file: its defenders, timeline and lineage.", no_args_is_help=True)


def cases(
    status: Annotated[CaseStatus | None, typer.Option(help="Only open or only closed cases.")] = None,
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """Case files: reference, status, the defenders' situation, defenders, incidents, last date."""
    from hrdwatch.services.cases import list_cases

    found = list_cases(open_engine(load_settings(db, ask_key)), operator(), status=status)
    if as_json:
        print_json([asdict(c) for c in found])
        return
    for c in found:
        out.print(
            f"{c.ref}  {c.status:<6}  {c.situation:<20}  {', '.join(c.entity_names) or '-'}  "
            f"{c.incidents} incident(s), last {c.last_date or '-'}",
            markup=False,
        )
    err.print(f"{len(found)} case(s)", markup=False)


@case_app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="The case reference, e.g. 'KAZ 001 / 1125'.")],
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """The case: status, situation, defenders and their spellings, timeline, lineage, pending follow-ups."""
    from hrdwatch.services.cases import case_file

    file = case_file(open_engine(load_settings(db, ask_key)), operator(), ref)
    if as_json:
        print_json(_file_json(file))
        return
    case = file.case
    out.print(f"{case.ref}  {case.status}, situation: {case.situation}", markup=False)
    for d in file.defenders:
        out.print(f"  defender: {d.entity.name} ({'; '.join(d.spellings)})", markup=False)
    out.print("timeline:")
    for i in file.timeline:
        acts = ", ".join(dict.fromkeys(a.act_type for a in i.acts)) or "-"
        place = ", ".join(p for p in (i.city, i.country) if p) or "-"
        out.print(
            f"  {i.date or 'undated':<10}  {place}  {acts}  [{file.sources.get(i.source_id, i.source_id)}]",
            markup=False,
        )
    out.print(f"lineage: {chain(file.lineage, _sources(file))}", markup=False)
    for p in file.pending:
        out.print(f"  proposed follow-up {p.incident_id}: {'; '.join(p.reasons)}", markup=False)


def chain(steps: tuple[Step, ...], sources: dict[str, str]) -> str:
    """``arrest (2025-01-10) -> detention -> ...``, each step with the reports that state it."""
    return " -> ".join(_step(s, sources) for s in steps) or "-"


def _step(step: Step, sources: dict[str, str]) -> str:
    when = f" ({step.date})" if step.date else ""
    said = sorted({sources[i] for i in step.incident_ids if i in sources})
    return f"{step.kind.value}{when} [{', '.join(said)}]" if said else f"{step.kind.value}{when}"


def _sources(file: CaseFile) -> dict[str, str]:
    """Incident id -> the label of its report."""
    return {i.incident_id: file.sources.get(i.source_id, i.source_id) for i in file.timeline}


def _file_json(file: CaseFile) -> dict[str, Any]:
    return {
        "case": asdict(file.case),
        "defenders": [
            {
                "id": d.entity.id,
                "name": d.entity.name,
                "country": d.entity.country,
                "spellings": list(d.spellings),
            }
            for d in file.defenders
        ],
        "timeline": [asdict(i) for i in file.timeline],
        "pending": [asdict(i) for i in file.pending],
        "lineage": [
            {
                "step": s.kind.value,
                "date": s.date,
                "codes": list(s.codes),
                "incident_ids": list(s.incident_ids),
                "evidence_ids": list(s.evidence_ids),
            }
            for s in file.lineage
        ],
        "chain": [asdict(c) for c in file.chain],
        "sources": file.sources,
    }


def link(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Re-link every person, then file unfiled incidents.")
    ] = False,
    db: DbOption = None,
    ask_key: AskKey = False,
    as_json: JsonFlag = False,
) -> None:
    """Link people across reports: ``--rebuild`` re-links the whole database (idempotent)."""
    from hrdwatch.services.cases import rebuild_links
    from hrdwatch.services.filing import linker_from

    if not rebuild:
        raise typer.BadParameter("say what to do: --rebuild", param_hint="--rebuild")
    settings = load_settings(db, ask_key)
    engine = open_engine(settings)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task("linking", total=None)
        report = rebuild_links(
            engine,
            operator(),
            linker=linker_from(settings),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        print_json(asdict(report))
        return
    out.print(
        f"people: {report.entities_before} -> {report.entities_after} entities; "
        f"{report.links_added} mention(s) linked, {report.suggestions_added} suggestion(s) for review; "
        f"{len(report.cases_opened)} case(s) opened, {report.followups} follow-up(s) proposed",
        markup=False,
    )
