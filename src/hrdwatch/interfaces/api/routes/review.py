"""Review: the queue, one report's facts beside its text, and each change a reviewer makes.

Every change is one audit event; its ``event_id`` is what ``POST /review/undo`` takes back.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from hrdwatch.interfaces.api.routes.common import ClientIp, Db, Paging, Reviewer, SourceReader
from hrdwatch.interfaces.api.schemas import (
    CONFLICT,
    NOT_FOUND,
    DecisionPublic,
    FactCreate,
    FactEdit,
    Page,
    ReviewDecisionCreate,
    ReviewIncidentPublic,
    ReviewPagePublic,
    SourcePublic,
    SourceTextPublic,
    SpanPublic,
    UndoCreate,
)
from hrdwatch.interfaces.api.schemas.review import FactTable
from hrdwatch.services import review

router = APIRouter(prefix="/review", tags=["review"])


@router.get("/queue", response_model=Page[SourcePublic])
def queue(paging: Paging, db: Db, user: SourceReader) -> Page[SourcePublic]:
    """Reports with an incident not yet verified, newest first."""
    items = review.review_queue(db, user)
    window = [SourcePublic.model_validate(i) for i in items[paging.offset : paging.offset + paging.per_page]]
    return Page[SourcePublic].of(window, total=len(items), page=paging.page, per_page=paging.per_page)


@router.get("/sources/{source_id}", response_model=ReviewPagePublic, responses=NOT_FOUND)
def review_source(source_id: str, db: Db, user: SourceReader) -> ReviewPagePublic:
    """A report's text and its incidents' facts in groups, each with its spans in the text."""
    page = review.review_page(db, user, source_id)
    return ReviewPagePublic(
        source=SourceTextPublic.model_validate(page.source),
        incidents=[ReviewIncidentPublic.model_validate(i) for i in page.incidents],
        spans=[SpanPublic(start=s, end=e, table=t, id=i) for s, e, t, i in page.all_spans],
    )


@router.post(
    "/decisions", response_model=DecisionPublic, status_code=status.HTTP_201_CREATED, responses=NOT_FOUND
)
def decide(body: ReviewDecisionCreate, db: Db, ip: ClientIp, user: Reviewer) -> DecisionPublic:
    """Accept or reject one fact."""
    decision = review.decide(db, user, table=body.table, fact_id=body.fact_id, decision=body.decision, ip=ip)
    return DecisionPublic.model_validate(decision)


@router.patch("/facts/{table}/{fact_id}", response_model=DecisionPublic, responses=NOT_FOUND)
def edit_fact(
    table: FactTable,
    fact_id: str,
    body: FactEdit,
    db: Db,
    ip: ClientIp,
    user: Reviewer,
) -> DecisionPublic:
    """Correct some of a fact's fields (422 with E512 or E513 for a field or value refused)."""
    decision = review.edit(db, user, table=table, fact_id=fact_id, changes=body.values, ip=ip)
    return DecisionPublic.model_validate(decision)


@router.post(
    "/facts", response_model=DecisionPublic, status_code=status.HTTP_201_CREATED, responses=NOT_FOUND
)
def add_fact(body: FactCreate, db: Db, ip: ClientIp, user: Reviewer) -> DecisionPublic:
    """Add a fact the pipeline missed, from a span of the report's text."""
    decision = review.add_fact(
        db,
        user,
        source_id=body.source_id,
        incident_id=body.incident_id,
        kind=body.kind,
        start=body.start,
        end=body.end,
        values=body.values,
        ip=ip,
    )
    return DecisionPublic.model_validate(decision)


@router.post("/undo", response_model=DecisionPublic, responses={**NOT_FOUND, **CONFLICT})
def undo(body: UndoCreate, db: Db, ip: ClientIp, user: Reviewer) -> DecisionPublic:
    """Take back a decision, edit or addition (409 E515 if the fact changed since)."""
    return DecisionPublic.model_validate(review.undo(db, user, event_id=body.event_id, ip=ip))
