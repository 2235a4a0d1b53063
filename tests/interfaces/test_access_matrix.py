"""Every route of the app declares the action it needs, and gets exactly the answer ``can`` gives.

For each route and each identity (nobody, viewer, editor, admin; by session cookie for every route
and by API token for the API), the route is called for real on the seeded database. When ``can``
says no, nobody gets 401 (a page GET: a 303 to the login form) and a logged-in user 403; when it
says yes, the answer is neither 401 nor 403 (nor a server error).
"""

from __future__ import annotations

import pytest
from api.fixtures import ROLES, Api, api_fixture, extractor_fixture, template_fixture  # noqa: F401  (fixtures)
from api.routes import Route, all_routes, request_args, url_of

from hrdwatch.domain.users import Principal, Role
from hrdwatch.security.permissions import can

ROUTES = all_routes()
IDENTITIES = [(None, "anonymous")] + [(role, via) for via in ("session", "token") for role in ROLES]
CASES = [
    pytest.param(route, role, via, id=f"{route.name} as {role or 'nobody'} by {via}")
    for route in ROUTES
    for role, via in IDENTITIES
    if via != "token" or route.is_api
]


def principal(role: str | None) -> Principal | None:
    return None if role is None else Principal(id="matrix", username=f"matrix-{role}", role=Role(role))


def test_the_app_has_routes_to_check() -> None:
    names = {route.name for route in ROUTES}
    assert {"GET /api/v1/incidents", "POST /api/v1/sources", "GET /api/v1/openapi.json"} <= names
    assert len(CASES) > 3 * len(ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_route_declares_its_action(route: Route) -> None:
    assert route.action is not None, f"{route.name} declares no action: add requires(Action.X)"


@pytest.mark.parametrize("route, role, via", CASES)
def test_access(api: Api, route: Route, role: str | None, via: str) -> None:
    assert route.action is not None
    client = api.client(role, via=via, raise_errors=False)
    response = client.request(route.method, url_of(route, api, role), **request_args(route, api))
    status = response.status_code
    allowed = can(principal(role), route.action)
    if allowed:
        assert status not in (401, 403), (
            f"{route.name} refused a {role} ({route.action}): {response.text[:300]}"
        )
        assert status < 500, f"{route.name} failed for a {role}: {status}"
    elif role is None and not route.is_api and route.method == "GET":
        assert status == 303 and response.headers["location"].startswith("/login"), status
    elif role is None:
        assert status == 401, f"{route.name}: {status} for nobody, {response.text[:200]}"
    else:
        assert status == 403, f"{route.name}: {status} for a {role}, {response.text[:200]}"
    if route.is_api and status >= 400:
        assert set(response.json()["error"]) == {"code", "message", "status"}
