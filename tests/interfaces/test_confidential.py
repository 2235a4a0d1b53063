"""A viewer never receives anything confidential, from any GET route they may call, pages and API.

Confidential here means: a confidential incident's id, any unverified incident's id (in full or
as the 8-character prefix pages show), a confidential person's name and id, and the value of a
field an incident lists in ``confidential_fields`` (a value the viewer sent in the URL aside).
Each route is called with every seeded id its path takes (the hidden ones too) and with searches
aimed at the hidden values. An editor calling the same URLs does get every one of those values
somewhere, so the check is not vacuous.
"""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

import pytest
from api.fixtures import Api, api_fixture, extractor_fixture, template_fixture  # noqa: F401
from api.routes import Route, all_routes
from api.seed import CONFIDENTIAL_PERSON, HIDDEN_PLACE
from sqlalchemy import select
from sqlalchemy.orm import Session

from hrdwatch.domain.users import Principal, Role
from hrdwatch.security.permissions import can
from hrdwatch.store import tables as t

VIEWER = Principal(id="confidential-test", username="viewer", role=Role.VIEWER)
GET_ROUTES = [r for r in all_routes() if r.method == "GET" and r.action is not None and can(VIEWER, r.action)]
SEARCHES = [
    {},
    {"q": "Quintaval"},
    {"q": "Mirela"},
    {"q": "Quarry Lane"},
    {"q": "Honduras", "per_page": "100"},
    {"q": "Tegucigalpa", "per_page": "100", "sort": "created", "order": "asc"},
    {"status": "extracted"},
    {"verified_only": "false", "per_page": "100"},
]
CASES = [
    pytest.param(route, via, id=f"{route.name} by {via}")
    for route in GET_ROUTES
    for via in (("session", "token") if route.is_api else ("session",))
]


def secrets(api: Api) -> dict[str, str]:
    """What a viewer must never see, named for the failure message."""
    with Session(api.engine) as session:
        unverified = session.scalars(select(t.Incident.id).where(t.Incident.status != "verified")).all()
    found = {
        "confidential person's name": CONFIDENTIAL_PERSON,
        "confidential person's id": api.marks.confidential_person_id,
        "confidential field value": HIDDEN_PLACE,
        "confidential incident id": api.marks.confidential_id,
        "confidential incident id prefix": api.marks.confidential_id[:8],
    }
    for ident in unverified:
        found[f"unverified incident id {ident}"] = ident
        found[f"unverified incident id prefix {ident[:8]}"] = ident[:8]
    return found


def path_choices(api: Api) -> dict[str, list[str]]:
    marks = api.marks
    incidents = [marks.verified_id, marks.threat_id, marks.confidential_id, marks.unverified_id]
    return {
        "incident_id": incidents,
        "person_id": [marks.person_id, marks.confidential_person_id],
        "organisation_id": [marks.organisation_id],
        "org_id": [marks.organisation_id],
        "name": ["init.js"],
    }


def urls(route: Route, api: Api) -> list[str]:
    """Every seeded value for each path parameter; the searches for routes without one."""
    choices = path_choices(api)
    names = [part[1:-1] for part in route.path.split("/") if part.startswith("{")]
    if not names:
        return [route.path + ("?" + urlencode(q) if q else "") for q in SEARCHES]
    found = []
    for values in itertools.product(*(choices[n] for n in names)):
        path = route.path
        for name, value in zip(names, values, strict=True):
            path = path.replace("{" + name + "}", value)
        found.append(path)
    return found


@pytest.mark.parametrize("route, via", CASES)
def test_viewer_never_receives_a_confidential_value(api: Api, route: Route, via: str) -> None:
    client = api.client("viewer", via=via, raise_errors=False)
    hidden = secrets(api)
    for url in urls(route, api):
        response = client.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        seen = response.text + " ".join(f"{k}: {v}" for k, v in response.headers.items())
        leaked = [what for what, value in hidden.items() if value in seen and value not in url]
        assert not leaked, f"GET {url} gave a viewer {leaked}"


@pytest.mark.parametrize("route", [r for r in GET_ROUTES if "_id}" in r.path], ids=lambda r: r.name)
def test_hidden_records_look_absent(api: Api, route: Route) -> None:
    """A hidden incident or person answers exactly like an id that does not exist."""
    client = api.client("viewer", via="session", raise_errors=False)
    marks = api.marks
    for hidden in (marks.confidential_id, marks.unverified_id, marks.confidential_person_id):
        param = route.path[route.path.index("{") : route.path.index("}") + 1]
        seen, absent = (client.get(route.path.replace(param, v)) for v in (hidden, "0" * 32))
        assert seen.status_code == absent.status_code == 404, route.name
        assert seen.text.replace(hidden, "0" * 32) == absent.text, route.name


def test_an_editor_sees_every_one_of_them(api: Api) -> None:
    client = api.client("editor", via="session", raise_errors=False)
    seen = "".join(client.get(url).text for route in GET_ROUTES for url in urls(route, api))
    missing = [what for what, value in secrets(api).items() if value not in seen]
    assert not missing, f"an editor never saw {missing}: the check above proves nothing for these"
