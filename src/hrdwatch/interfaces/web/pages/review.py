"""Reviewing a report: the queue, the review page, and the forms that decide, edit, add, undo, verify.

The page shows the report's text on the left, each fact's evidence wrapped in
``<mark class="hl" data-fact="table:id">``, and the facts on the right by incident and group. The
text is cut into :class:`Segment` objects here, at every span boundary, so overlapping spans nest
cleanly; the template escapes every segment (report text is never trusted).

Every form works as a plain POST (answered with a redirect back to the page). ``review.js`` sends
the same forms with ``HX-Request: true`` and gets the page's body back as a fragment, with the
audit event id in ``X-Event-Id`` for undo; ``Accept: application/json`` gets JSON instead. Errors
go to such requests as the API's JSON error body with its status (422 for a bad value).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hrdwatch.domain.taxonomy import act_codes, perpetrator_kinds
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, HrdwatchError, ReviewError
from hrdwatch.interfaces.http.deps import client_ip, engine_of, requires
from hrdwatch.interfaces.http.errors import error_body, status_of
from hrdwatch.interfaces.web.templating import templates
from hrdwatch.security.permissions import Action
from hrdwatch.services import review
from hrdwatch.services.review.values import ADDABLE, SANCTION_TYPES

router = APIRouter()
FIELD = "field."  # form inputs named ``field.<name>`` carry a fact's values
EVENT_HEADER = "X-Event-Id"
FACT_HEADER = "X-Fact"
T = TypeVar("T")
READER = requires(Action.SOURCE_READ)  # the queue and the review page
REVIEWER = requires(Action.REVIEW)  # every change


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the source text between two span boundaries, and the facts whose spans cover it."""

    start: int
    text: str
    facts: tuple[str, ...]  # "table:id", outermost span first


def segments(text: str, spans: Iterable[tuple[int, int, str, str]]) -> list[Segment]:
    """``text`` cut at every boundary of ``spans`` ((start, end, table, id)); spans outside the text
    are clipped, empty ones dropped. The segments' texts join back into ``text``."""
    marks = sorted(
        {(max(0, s), min(len(text), e), f"{table}:{ident}") for s, e, table, ident in spans},
        key=lambda m: (m[0], -m[1], m[2]),
    )
    marks = [m for m in marks if m[0] < m[1]]
    opening: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for mark in marks:
        opening[mark[0]].append(mark)
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    found: list[Segment] = []
    active: list[tuple[int, int, str]] = []
    for start, end in pairwise(cuts):
        active = [m for m in active if m[1] > start] + opening.get(start, [])
        found.append(Segment(start, text[start:end], tuple(dict.fromkeys(m[2] for m in active))))
    return found


def choices() -> dict[str, tuple[str, ...]]:
    """Suggested values for the fields that take a fixed vocabulary."""
    return {"act_type": act_codes(), "kind": perpetrator_kinds(), "type": SANCTION_TYPES}


# -- requests and answers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Payload:
    params: dict[str, str]  # table, fact_id, source_id, decision, ...
    fields: dict[str, str | None]  # a fact's values: ``field.<name>`` inputs, or JSON changes/values

    def get(self, name: str) -> str:
        value = self.params.get(name, "").strip()
        if not value:
            raise ReviewError(Errors.E513, field=name, reason="missing")
        return value

    def number(self, name: str) -> int:
        value = self.get(name)
        try:
            return int(value)
        except ValueError as e:
            raise ReviewError(Errors.E513, field=name, reason=f"{value!r} is not a whole number") from e


def _text(value: object) -> str | None:
    return None if value is None else str(value)


async def _payload(request: Request) -> Payload:
    """The form (urlencoded or multipart) or JSON object sent, in one shape."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError as e:
            raise ReviewError(Errors.E513, field="body", reason="not valid JSON") from e
        if not isinstance(body, dict):
            raise ReviewError(Errors.E513, field="body", reason="send a JSON object")
        nested = body.get("changes") or body.get("values") or {}
        if not isinstance(nested, dict):
            raise ReviewError(Errors.E513, field="changes", reason="send an object of field names")
        params = {
            k: str(v) for k, v in body.items() if isinstance(v, str | int) and k not in ("changes", "values")
        }
        return Payload(params, {str(k): _text(v) for k, v in nested.items()})
    form = await request.form()
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    params = {k: v for k, v in items if not k.startswith(FIELD)}
    return Payload(params, {k.removeprefix(FIELD): v for k, v in items if k.startswith(FIELD)})


def _wants_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _page_url(source_id: str | None, *, last: int | None = None, anchor: str = "") -> str:
    if not source_id:
        return "/review"
    url = f"/review/{quote(source_id, safe='')}"
    return url + (f"?last={last}" if last is not None else "") + (f"#{anchor}" if anchor else "")


def _page_context(user: Principal, page: review.ReviewPage, last: int | None = None) -> dict[str, Any]:
    people = [
        (item.id, item.label)
        for incident in page.incidents
        for group in incident.groups
        for item in group.items
        if item.table == "people"
    ]
    return {
        "user": user,
        "page": page,
        "segments": segments(page.source.text, page.all_spans),
        "addable": ADDABLE,
        "choices": choices(),
        "people": list(dict.fromkeys(people)),
        "last": last,
    }


async def _run(request: Request, call: Callable[[], T]) -> T | Response:
    """The service's answer, or for a script's request its coded error as JSON (plain forms get
    the app's error page)."""
    try:
        return await run_in_threadpool(call)
    except HrdwatchError as e:
        if not (_wants_fragment(request) or _wants_json(request)):
            raise
        status = status_of(e)
        return JSONResponse(error_body(e.code, e.detail, status), status_code=status)


async def _answer(
    request: Request,
    user: Principal,
    source_id: str | None,
    body: dict[str, Any],
    *,
    url: str,
    fact: str = "",
) -> Response:
    """A change answered: the page's body as a fragment, JSON, or a redirect to ``url``. The
    fragment carries the audit event id (``X-Event-Id``) and the fact changed (``X-Fact``)."""
    headers = {EVENT_HEADER: str(body["event_id"]), FACT_HEADER: fact}
    if _wants_fragment(request) and source_id:
        page = await _run(request, lambda: review.review_page(engine_of(request), user, source_id))
        if isinstance(page, Response):
            return page
        context = _page_context(user, page)
        return templates.TemplateResponse(request, "_review_body.html", context, headers=headers)
    if _wants_json(request) or _wants_fragment(request):
        return JSONResponse(body, headers=headers)
    return RedirectResponse(url, status_code=303)


# -- pages ----------------------------------------------------------------------------------------


@router.get("/review")
def review_queue(request: Request, user: Principal = READER) -> Response:
    items = review.review_queue(engine_of(request), user)
    return templates.TemplateResponse(request, "review_queue.html", {"user": user, "items": items})


@router.get("/review/{source_id}")
def review_source(
    request: Request, source_id: str, last: int | None = None, user: Principal = READER
) -> Response:
    page = review.review_page(engine_of(request), user, source_id)
    return templates.TemplateResponse(request, "review.html", _page_context(user, page, last))


# -- changes --------------------------------------------------------------------------------------


@router.post("/review/decide")
async def decide(request: Request, user: Principal = REVIEWER) -> Response:
    payload = await _payload(request)

    def call() -> review.Decision:
        return review.decide(
            engine_of(request),
            user,
            table=payload.get("table"),
            fact_id=payload.get("fact_id"),
            decision=payload.get("decision"),
            ip=client_ip(request),
        )

    return await _change(request, user, payload, call)


@router.post("/review/edit")
async def edit(request: Request, user: Principal = REVIEWER) -> Response:
    payload = await _payload(request)

    def call() -> review.Decision:
        return review.edit(
            engine_of(request),
            user,
            table=payload.get("table"),
            fact_id=payload.get("fact_id"),
            changes=payload.fields,
            ip=client_ip(request),
        )

    return await _change(request, user, payload, call)


@router.post("/review/add")
async def add(request: Request, user: Principal = REVIEWER) -> Response:
    payload = await _payload(request)

    def call() -> review.Decision:
        return review.add_fact(
            engine_of(request),
            user,
            source_id=payload.get("source_id"),
            incident_id=payload.get("incident_id"),
            kind=payload.get("kind"),
            start=payload.number("start"),
            end=payload.number("end"),
            values={k: v for k, v in payload.fields.items() if v and v.strip()},
            ip=client_ip(request),
        )

    return await _change(request, user, payload, call)


@router.post("/review/undo")
async def undo(request: Request, user: Principal = REVIEWER) -> Response:
    payload = await _payload(request)

    def call() -> review.Decision:
        return review.undo(
            engine_of(request), user, event_id=payload.number("event_id"), ip=client_ip(request)
        )

    return await _change(request, user, payload, call, undoable=False)


@router.post("/review/verify/{incident_id}")
async def verify(request: Request, incident_id: str, user: Principal = REVIEWER) -> Response:
    payload = await _payload(request)

    def call() -> review.Verification:
        return review.verify(engine_of(request), user, incident_id=incident_id, ip=client_ip(request))

    done = await _run(request, call)
    if isinstance(done, Response):
        return done
    body = {**asdict(done), "verified_at": done.verified_at.isoformat()}
    source_id = payload.params.get("source_id")
    url = _page_url(source_id, anchor=f"incident-{done.incident_id}")
    return await _answer(request, user, source_id, body, url=url)


async def _change(
    request: Request,
    user: Principal,
    payload: Payload,
    call: Callable[[], review.Decision],
    *,
    undoable: bool = True,
) -> Response:
    done = await _run(request, call)
    if isinstance(done, Response):
        return done
    source_id = payload.params.get("source_id")
    anchor = f"incident-{done.incident_ids[0]}" if done.incident_ids else ""
    url = _page_url(source_id, last=done.event_id if undoable else None, anchor=anchor)
    body = {**asdict(done), "incident_ids": list(done.incident_ids)}
    return await _answer(request, user, source_id, body, url=url, fact=f"{done.table}:{done.fact_id}")
