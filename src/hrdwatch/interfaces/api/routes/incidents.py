"""Incidents: search with filters, one incident in full, its acts; verify it, mark it confidential.

A viewer only ever finds verified, non-confidential incidents, with confidential fields and people
left out (the browse service redacts; an incident they may not see is a 404, as if absent).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BeforeValidator, StringConstraints

from hrdwatch.domain.queries import IncidentQuery, IncidentSort
from hrdwatch.domain.review import IncidentStatus
from hrdwatch.interfaces.api.routes.common import (
    ClientIp,
    ConfidentialSetter,
    Db,
    Paging,
    RecordReader,
    Reviewer,
)
from hrdwatch.interfaces.api.schemas import (
    CONFLICT,
    NOT_FOUND,
    ActPublic,
    ConfidentialMarkPublic,
    ConfidentialUpdate,
    FacetsPublic,
    IncidentPublic,
    IncidentSummaryPublic,
    Page,
    VerificationPublic,
)
from hrdwatch.services import browse, review

router = APIRouter(prefix="/incidents", tags=["incidents"])
Text = Annotated[str | None, Query(max_length=200)]
#: a year (1000-9999), a month of it, or a whole date: what PartialDate reads
PartialIso = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{3}(-(0[1-9]|1[0-2]))?$")]


def _date_text(value: object) -> object:
    """A whole date only as YYYY-MM-DD text (not a number read as a timestamp)."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("give a date as YYYY-MM-DD")
    return value


WholeDate = Annotated[date, BeforeValidator(_date_text)]
Date = Annotated[WholeDate | PartialIso | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")]


def incident_query(
    paging: Paging,
    q: Annotated[str | None, Query(max_length=200, description="Words in names, places, titles")] = None,
    country: Annotated[str | None, Query(max_length=2, description="ISO 3166 code, e.g. HN")] = None,
    act_type: Text = None,
    date_from: Date = None,
    date_to: Date = None,
    status: Annotated[IncidentStatus | None, Query()] = None,
    perpetrator_kind: Text = None,
    verified_only: bool = False,
    sort: IncidentSort = IncidentSort.DATE,
    order: Literal["asc", "desc"] = "desc",
) -> IncidentQuery:
    """The filters of ``GET /incidents`` (those of the search page), as the browse service takes them."""
    return IncidentQuery(
        q=q,
        country=country.upper() if country else None,
        act_type=act_type,
        date_from=_iso(date_from),
        date_to=_iso(date_to),
        status=status,
        perpetrator_kind=perpetrator_kind,
        verified_only=verified_only,
        sort=sort,
        descending=order == "desc",
        page=paging.page,
        per_page=paging.per_page,
    )


def _iso(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


Filters = Annotated[IncidentQuery, Depends(incident_query)]


def summaries(page: browse.Page[browse.IncidentSummary]) -> Page[IncidentSummaryPublic]:
    return Page[IncidentSummaryPublic](
        items=[IncidentSummaryPublic.model_validate(item) for item in page.items],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
    )


@router.get("", response_model=Page[IncidentSummaryPublic])
def search_incidents(query: Filters, db: Db, user: RecordReader) -> Page[IncidentSummaryPublic]:
    return summaries(browse.search(db, user, query))


@router.get("/facets", response_model=FacetsPublic)
def facets(db: Db, user: RecordReader) -> FacetsPublic:
    """The countries, act types, perpetrator kinds and statuses present, for filter choices."""
    return FacetsPublic.model_validate(browse.facets(db, user))


@router.get("/{incident_id}", response_model=IncidentPublic, responses=NOT_FOUND)
def read_incident(incident_id: str, db: Db, user: RecordReader) -> IncidentPublic:
    """One incident by id (or a unique prefix of one), with its facts and their evidence."""
    return IncidentPublic.model_validate(browse.incident(db, user, incident_id))


@router.get("/{incident_id}/acts", response_model=list[ActPublic], responses=NOT_FOUND)
def read_acts(incident_id: str, db: Db, user: RecordReader) -> list[ActPublic]:
    return [ActPublic.model_validate(act) for act in browse.incident(db, user, incident_id).acts]


@router.post("/{incident_id}/verify", response_model=VerificationPublic, responses={**NOT_FOUND, **CONFLICT})
def verify(incident_id: str, db: Db, ip: ClientIp, user: Reviewer) -> VerificationPublic:
    """Mark the incident verified once every one of its facts is decided (409 E514 before)."""
    return VerificationPublic.model_validate(review.verify(db, user, incident_id=incident_id, ip=ip))


@router.put("/{incident_id}/confidential", response_model=ConfidentialMarkPublic, responses=NOT_FOUND)
def set_confidential(
    incident_id: str,
    body: ConfidentialUpdate,
    db: Db,
    ip: ClientIp,
    user: ConfidentialSetter,
) -> ConfidentialMarkPublic:
    """Hide the whole incident from viewers, or only some of its fields (``fields``)."""
    mark = review.set_confidential(
        db,
        user,
        table="incidents",
        ident=incident_id,
        confidential=body.confidential,
        fields=None if body.fields is None else [str(f) for f in body.fields],
        ip=ip,
    )
    return ConfidentialMarkPublic.model_validate(mark)
