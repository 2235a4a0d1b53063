"""``hrdwatch link --rebuild``: re-link every person mention of the database, then file the
incidents no case holds.

The matcher's :meth:`~hrdwatch.services.linking.matcher.Linker.cluster` groups all person mentions
(blocked, never all pairs). In each group, the entity most of its mentions already belong to is
the group's; a mention with no entity joins it (``auto``), or the group gets a new entity. A
mention that belongs to another entity is not moved: moving it would merge two people, which an
analyst decides, so it gets a ``suggested`` link to the group's entity instead. A mention with a
``confirmed`` link, or any stored link to the group's entity (a ``rejected`` one too), is left
as it is. So a second run changes nothing, and no analyst's decision is ever overridden.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require
from hrdwatch.services.audit import record as record_event
from hrdwatch.services.filing import FilingReport, file_incidents
from hrdwatch.services.linking.matcher import Candidate, Linker
from hrdwatch.services.linking.similarity import Mention
from hrdwatch.services.mention_links import ORGANISATIONS, contexts, link_organisations, own_entity
from hrdwatch.store import case_queries as q
from hrdwatch.store.case_views import MentionView
from hrdwatch.store.entities import mention_links, mentions, save_link, set_mention_entity
from hrdwatch.store.uow import UnitOfWork

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RebuildReport:
    entities_before: int  # person entities not merged into another
    entities_after: int
    links_added: int  # mentions that had no entity and got one
    suggestions_added: int  # "this person may be X" for an analyst
    cases_opened: tuple[str, ...]
    followups: int  # incidents proposed to (or added to) an open case

    @property
    def changed(self) -> bool:
        return bool(
            self.entities_before != self.entities_after
            or self.links_added
            or self.suggestions_added
            or self.cases_opened
            or self.followups
        )


@dataclass(slots=True)
class _Counts:
    links: int = 0
    suggestions: int = 0


def rebuild_links(
    engine: Engine, user: Principal | None, *, linker: Linker, progress: Progress | None = None
) -> RebuildReport:
    """Re-link and re-file the whole database in one transaction (module docstring); audited
    when it changed something."""
    me = require(user, Action.CASE_MANAGE)
    with UnitOfWork(engine) as uow:
        session = uow.session
        before = q.entity_count(session, "person")
        counts = _relink_all(session, linker, progress)
        for source_id in dict.fromkeys(m.source_id for m in mentions(session, ORGANISATIONS)):
            orgs = link_organisations(session, source_id)
            counts.links += orgs.entities + orgs.auto
        filed = FilingReport()
        file_incidents(uow, q.unfiled_incidents(session), actor=me.username, report=filed)
        report = RebuildReport(
            before,
            q.entity_count(session, "person"),
            counts.links,
            counts.suggestions,
            tuple(filed.cases_opened),
            filed.followups,
        )
        if report.changed:
            record_event(uow, AuditRecord(AuditAction.LINKS_REBUILT, me.username, after=asdict(report)))
        uow.commit()
    return report


def _relink_all(session: Session, linker: Linker, progress: Progress | None) -> _Counts:
    found = [m for m in q.all_person_mentions(session) if m.review_status != q.REJECTED]
    seen = contexts(session, found)
    by_id = {m.id: m for m in found}
    order = {ident: n for n, ident in enumerate(by_id)}
    groups = [sorted(group, key=order.__getitem__) for group in linker.cluster(seen)]
    counts = _Counts()
    for done, group in enumerate(groups, start=1):
        _relink(session, linker, [by_id[i] for i in group], seen, counts)
        if progress is not None:
            progress(done, len(groups))
    return counts


def _relink(
    session: Session, linker: Linker, group: Sequence[MentionView], seen: dict[str, Mention], counts: _Counts
) -> None:
    held = Counter(m.entity_id for m in group if m.entity_id is not None)
    main = held.most_common(1)[0][0] if held else None
    known = [seen[m.id] for m in group if main is not None and m.entity_id == main]
    for m in group:
        if m.entity_id is None and main is None:
            main = own_entity(session, m, seen[m.id].country)
            known.append(seen[m.id])
            counts.links += 1
        elif m.entity_id is None and main is not None:
            sim = linker.score(seen[m.id], Candidate(main, tuple(known)))
            set_mention_entity(session, m.table, m.id, main)
            _save(session, m, main, sim.score, sim.reasons, "auto")
            known.append(seen[m.id])
            counts.links += 1
        elif main is not None and m.entity_id != main and _undecided(session, m, main):
            sim = linker.score(seen[m.id], Candidate(main, tuple(known)))
            _save(
                session,
                m,
                main,
                sim.score,
                ("grouped with this person by a rebuild", *sim.reasons),
                "suggested",
            )
            counts.suggestions += 1


def _save(
    session: Session, m: MentionView, entity_id: str, score: float, reasons: Sequence[str], decision: str
) -> None:
    save_link(
        session, mention=(m.table, m.id), entity_id=entity_id, score=score, reasons=reasons, decision=decision
    )


def _undecided(session: Session, m: MentionView, entity_id: str) -> bool:
    """No analyst confirmed the mention's entity, and nothing was said yet about this one."""
    links = mention_links(session, m.table, m.id)
    return not any(link.decision == "confirmed" or link.entity_id == entity_id for link in links)
