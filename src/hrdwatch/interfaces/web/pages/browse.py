"""Browsing: the dashboard, the incidents list (search, filters, sorting, pages), one incident, and
the pages of a person and of an organisation.

The list answers an htmx request (``HX-Request``) with the results table alone, so only the table
is swapped and the URL pushed; a plain request (or htmx restoring history) gets the whole page.
What a viewer may see is decided by :mod:`hrdwatch.services.browse`, never here.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

import pycountry
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from hrdwatch.domain.queries import IncidentQuery, IncidentSort, InvalidQuery
from hrdwatch.domain.review import IncidentStatus
from hrdwatch.domain.taxonomy import act_types
from hrdwatch.domain.users import Principal
from hrdwatch.interfaces.http.deps import client_ip, engine_of, requires
from hrdwatch.interfaces.http.errors import query_error
from hrdwatch.interfaces.web.templating import templates
from hrdwatch.security.permissions import Action, can, sees_confidential
from hrdwatch.services import browse, review

FACETS_MAX_AGE = 30.0  # seconds the filter drop-downs may lag behind new uploads

router = APIRouter()
Reader = Annotated[Principal, requires(Action.RECORD_READ)]
Marker = Annotated[Principal, requires(Action.CONFIDENTIAL_SET)]
#: the incident fields an editor may hide from viewers, with their labels
HIDEABLE = (
    ("date", "Date"),
    ("end_date", "End date"),
    ("city", "City"),
    ("country", "Country"),
    ("site", "Site"),
    ("detention_place", "Held at"),
)
RECENT = 5


@cache
def country_name(code: str | None) -> str:
    """``ZM`` -> ``Zambia``; the code itself when unknown, an empty string for None."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    return str(getattr(country, "common_name", None) or getattr(country, "name", code)) if country else code


def act_label(code: str) -> str:
    act = act_types().get(code)
    return act.label if act else code.replace("_", " ")


templates.env.filters["country_name"] = country_name
templates.env.filters["act_label"] = act_label


def _wants_fragment(request: Request) -> bool:
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"


def _status_counts(request: Request, user: Principal) -> dict[str, int]:
    engine = engine_of(request)
    return {
        status: browse.search(engine, user, IncidentQuery(status=status, per_page=1)).total
        for status in IncidentStatus
    }


@router.get("/")
def dashboard(request: Request, user: Reader) -> Response:
    engine = engine_of(request)
    recent = browse.search(engine, user, IncidentQuery(sort=IncidentSort.CREATED, per_page=RECENT))
    context: dict[str, Any] = {
        "user": user,
        "total": recent.total,
        "recent": recent.items,
        "counts": _status_counts(request, user) if sees_confidential(user) else None,
        "facets": browse.facets(engine, user),
    }
    return templates.TemplateResponse(request, "dashboard.html", context)


def _query(filters: dict[str, str], sort: str, order: str, page: int) -> IncidentQuery:
    def get(name: str) -> str | None:
        return filters.get(name) or None

    return IncidentQuery(
        q=get("q"),
        country=get("country"),
        act_type=get("act_type"),
        date_from=get("date_from"),
        date_to=get("date_to"),
        status=get("status"),
        perpetrator_kind=get("perpetrator_kind"),
        sort=sort,
        descending=order != "asc",
        page=page,
    )


@router.get("/incidents")
def incidents(
    request: Request,
    user: Reader,
    q: str = Query("", max_length=200),
    country: str = Query("", max_length=2),
    act_type: str = Query("", max_length=60),
    date_from: str = Query("", max_length=10),
    date_to: str = Query("", max_length=10),
    status: str = Query("", max_length=20),
    perpetrator_kind: str = Query("", max_length=40),
    sort: str = Query("date", max_length=20),
    order: str = Query("desc", pattern="^(asc|desc)$"),
    page: int = Query(1, ge=1, le=100_000),
) -> Response:
    given = {
        "q": q.strip(),
        "country": country.upper(),
        "act_type": act_type,
        "date_from": date_from,
        "date_to": date_to,
        "status": status,
        "perpetrator_kind": perpetrator_kind,
    }
    filters = {name: value for name, value in given.items() if value}
    fragment = _wants_fragment(request)
    context: dict[str, Any] = {"user": user, "filters": filters, "sort": sort, "order": order}
    context |= {"params": {**filters, "sort": sort, "order": order}, "error": None}
    try:
        context["results"] = browse.search(engine_of(request), user, _query(filters, sort, order, page))
    except InvalidQuery as e:
        context["results"], context["error"] = None, query_error(e).detail
    if not fragment:
        context["facets"] = browse.facets(engine_of(request), user, max_age=FACETS_MAX_AGE)
    name = "_incident_rows.html" if fragment else "incidents.html"
    response = templates.TemplateResponse(
        request, name, context, status_code=422 if context["error"] else 200
    )
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/incidents/{incident_id}")
def incident(request: Request, incident_id: str, user: Reader) -> Response:
    engine = engine_of(request)
    detail = browse.incident(engine, user, incident_id)
    context: dict[str, Any] = {"user": user, "incident": detail, "hideable": HIDEABLE}
    if can(user, Action.CONFIDENTIAL_SET):
        context["confidential"], context["hidden"] = browse.confidentiality(engine, user, detail.id)
    return templates.TemplateResponse(request, "incident.html", context)


@router.post("/incidents/{incident_id}/confidential")
def incident_confidential(
    request: Request,
    incident_id: str,
    user: Marker,
    confidential: Annotated[str | None, Form()] = None,
    fields: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Hide the incident, or some of its fields, from viewers (audited as ``confidential.set``)."""
    mark = review.set_confidential(
        engine_of(request),
        user,
        table="incidents",
        ident=incident_id,
        confidential=confidential is not None,
        fields=fields or [],
        ip=client_ip(request),
    )
    return RedirectResponse(f"/incidents/{mark.id}", status_code=303)


@router.get("/people/{person_id}")
def person(request: Request, person_id: str, user: Reader) -> Response:
    page = browse.person(engine_of(request), user, person_id)
    return templates.TemplateResponse(request, "person.html", {"user": user, "person": page})


@router.post("/people/{person_id}/confidential")
def person_confidential(
    request: Request, person_id: str, user: Marker, confidential: Annotated[str | None, Form()] = None
) -> Response:
    """Hide a person (name and page) from viewers, or show them again (audited)."""
    mark = review.set_confidential(
        engine_of(request),
        user,
        table="people",
        ident=person_id,
        confidential=confidential is not None,
        ip=client_ip(request),
    )
    return RedirectResponse(f"/people/{mark.id}", status_code=303)


@router.get("/organisations/{org_id}")
def organisation(request: Request, org_id: str, user: Reader) -> Response:
    page = browse.organisation(engine_of(request), user, org_id)
    return templates.TemplateResponse(request, "organisation.html", {"user": user, "organisation": page})
