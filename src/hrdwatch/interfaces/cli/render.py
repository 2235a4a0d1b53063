"""Rich rendering of incidents and summaries. Only this layer prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from hrdwatch.domain.audit import AuditEntry
from hrdwatch.services.accounts import UserPublic
from hrdwatch.services.incidents import IncidentDetail, IncidentSummary
from hrdwatch.services.ingest import IngestResult, Outcome


def incidents_table(rows: Sequence[IncidentSummary]) -> Table:
    table = Table(title=f"{len(rows)} incident(s)", show_lines=False)
    for name in ("id", "date", "country", "victims", "acts", "source", "status"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(
            row.id[:8],
            row.date or "-",
            row.country or "-",
            ", ".join(row.victims) or "-",
            ", ".join(row.acts),
            row.source_title or row.source_name,
            row.status,
        )
    return table


def _facts_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(title=title, title_justify="left", expand=True)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*r)
    return table


def show_incident(console: Console, detail: IncidentDetail) -> None:
    where = ", ".join(x for x in (detail.site, detail.city, detail.country) if x) or "place unknown"
    when = detail.date or "date unknown"
    if detail.end_date:
        when += f" to {detail.end_date}"
    head = Text.assemble(
        (f"Incident {detail.id[:8]}", "bold"),
        f"  {when}  {where}  [{detail.status}]\n",
        f"Source: {detail.source.title or detail.source.name}  sha256 {detail.source.sha256[:12]}",
    )
    console.print(Panel(head))
    acts = [
        (
            a.date or "-",
            a.act_type,
            a.victim or "(no named victim)",
            ", ".join(a.perpetrators) or "-",
            a.review_status,
        )
        for a in sorted(detail.acts, key=lambda a: (a.date or "", a.act_type))
    ]
    console.print(_facts_table("Timeline of acts", ("date", "act", "victim", "by", "review"), acts))
    people = [
        (p.name, ", ".join(p.aliases) or "-", p.description or "-", ", ".join(p.affiliations) or "-")
        for p in detail.people
    ]
    console.print(_facts_table("People and roles", ("name", "also written", "role", "affiliations"), people))
    if detail.perpetrators:
        console.print(
            _facts_table("Perpetrators", ("actor", "kind"), [(p.label, p.kind) for p in detail.perpetrators])
        )
    if detail.charges:
        console.print(
            _facts_table(
                "Charges",
                ("offence", "law", "article"),
                [(c.offence or "-", c.law or "-", c.article or "-") for c in detail.charges],
            )
        )
    if detail.sanctions:
        console.print(
            _facts_table("Sanctions", ("type", "detail"), [(s.type, _sanction(s)) for s in detail.sanctions])
        )
    evidence = [(e.field, f"[{e.start}:{e.end}] {e.quote}", e.sentence) for e in detail.evidence]
    console.print(_facts_table("Evidence (quoted source sentence)", ("fact", "quote", "sentence"), evidence))


def _sanction(s: object) -> str:
    months = getattr(s, "months", None)
    if months is not None:
        return f"{months:g} months"
    amount = getattr(s, "amount", None)
    if amount is not None:
        high = getattr(s, "amount_max", None)
        span = f"{amount:,.0f}" + (f"-{high:,.0f}" if high else "")
        return f"{span} {getattr(s, 'currency', '') or ''}".strip()
    return str(getattr(s, "description", None) or "-")


def summary(console: Console, results: Sequence[IngestResult]) -> None:
    counts = Counter(r.outcome for r in results)
    console.print(
        f"ingested {counts[Outcome.INGESTED]}, skipped as duplicate {counts[Outcome.DUPLICATE]}, "
        f"failed {counts[Outcome.FAILED]}"
    )
    for r in results:
        if r.outcome is Outcome.FAILED:
            console.print(f"  failed: {r.reason}", markup=False)
        elif r.outcome is Outcome.DUPLICATE:
            console.print(f"  skipped: {r.name}: {r.reason}", markup=False)
        for w in r.warnings:
            console.print(f"  warning: {r.name}: {w}", markup=False)


def asdict(obj: object) -> object:
    """A dataclass as a dict (for --json); anything else unchanged."""
    from dataclasses import asdict as _asdict
    from dataclasses import is_dataclass

    return _asdict(obj) if is_dataclass(obj) and not isinstance(obj, type) else obj


def users_table(users: Sequence[UserPublic]) -> Table:
    table = Table(title=f"{len(users)} user(s)")
    for name in ("user", "role", "TOTP", "disabled", "created (UTC)"):
        table.add_column(name)
    for u in users:
        totp = "enrolled" if u.totp_enrolled else ("required" if u.totp_required else "-")
        table.add_row(
            Text(u.username),
            u.role,
            totp,
            "yes" if u.disabled else "",
            u.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    return table


def audit_table(entries: Sequence[AuditEntry]) -> Table:
    table = Table(title=f"{len(entries)} event(s), newest first")
    for name in ("#", "when (UTC)", "actor", "action", "about", "change"):
        table.add_column(name, overflow="fold")
    for e in entries:
        about = e.subject or (f"{e.target_table}:{e.target_id[:8]}" if e.target_table and e.target_id else "")
        change = " -> ".join(str(v) for v in (e.before, e.after) if v) or (e.detail or "")
        table.add_row(
            str(e.id),
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            Text(e.actor or "-"),
            e.action,
            Text(about),
            Text(change),
        )
    return table
