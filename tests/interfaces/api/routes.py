"""Every route of the whole app (pages, API, health check), and how to call each one for real:
path parameters from the seeded database and a small valid body for each change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import create_engine

from hrdwatch.config import Settings
from hrdwatch.interfaces.app import create_app
from hrdwatch.interfaces.http.deps import declared_action
from hrdwatch.security import totp
from hrdwatch.security.permissions import Action

from .fixtures import API, PASSWORD, USERNAMES, Api

SAFE = ("GET", "HEAD", "OPTIONS")
TINY_REPORT = b"On 2 July 2025 police arrested the fictional organiser Brisa Calder in Tela, Honduras.\n"


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    action: Action | None

    @property
    def is_api(self) -> bool:
        return self.path.startswith(API + "/")

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


def collect(app: FastAPI) -> list[Route]:
    """Each (method, path) of every APIRoute, included routers flattened."""
    found = []
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        action = declared_action(context)  # type: ignore[arg-type]
        for method in sorted(context.methods or ()):
            found.append(Route(method, str(context.path), action))
    return found


def all_routes() -> list[Route]:
    """The routes, read from an app on an empty in-memory database (nothing is called)."""
    return collect(create_app(Settings(db="sqlite://"), engine=create_engine("sqlite://")))


def path_values(api: Api, role: str | None) -> dict[str, str]:
    marks = api.marks
    return {
        "source_id": marks.source_id,
        "incident_id": marks.verified_id,
        "person_id": marks.person_id,
        "organisation_id": marks.organisation_id,
        "org_id": marks.organisation_id,
        "table": "incidents",
        "fact_id": marks.unverified_id,
        "token_id": api.token_ids[role or "viewer"],
        "username": USERNAMES["viewer"],
        "name": "init.js",
    }


def url_of(route: Route, api: Api, role: str | None) -> str:
    values = path_values(api, role)

    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        assert name in values, f"{route.name}: no test value for the path parameter {name!r}"
        return values[name]

    return re.sub(r"\{([^}]+)\}", value, route.path)


def _json_bodies(api: Api) -> dict[str, Any]:
    marks = api.marks
    return {
        "PUT /api/v1/incidents/{incident_id}/confidential": {"confidential": False},
        "PUT /api/v1/persons/{person_id}/confidential": {"confidential": False},
        "POST /api/v1/review/decisions": {"table": "acts", "fact_id": "0" * 32, "decision": "accept"},
        "PATCH /api/v1/review/facts/{table}/{fact_id}": {"values": {"site": "river ford"}},
        "POST /api/v1/review/facts": {
            "source_id": marks.source_id,
            "incident_id": marks.unverified_id,
            "kind": "demand",
            "start": 0,
            "end": 8,
            "values": {"text": "Honduras"},
        },
        "POST /api/v1/review/undo": {"event_id": 1},
        "POST /api/v1/tokens": {"name": "matrix"},
    }


def _forms(api: Api) -> dict[str, dict[str, str]]:
    marks = api.marks
    secret = totp.new_secret()
    return {
        "POST /login": {"username": USERNAMES["viewer"], "password": PASSWORD, "next": "/"},
        "POST /login/totp": {"code": totp.code_at(secret), "enrol_secret": secret, "next": "/"},
        "POST /account/totp": {"secret": secret, "code": totp.code_at(secret)},
        "POST /account/tokens": {"name": "matrix"},
        "POST /admin/users": {"username": "noor.new", "password": PASSWORD, "role": "viewer"},
        "POST /admin/users/{username}": {"role": "viewer"},
        "POST /review/decide": {"table": "acts", "fact_id": "0" * 32, "decision": "accept"},
        "POST /review/edit": {"table": "incidents", "fact_id": marks.unverified_id, "field.site": "ford"},
        "POST /review/add": {
            "source_id": marks.source_id,
            "incident_id": marks.unverified_id,
            "kind": "demand",
            "start": "0",
            "end": "8",
            "field.text": "Honduras",
        },
        "POST /review/undo": {"event_id": "1"},
        "POST /review/verify/{incident_id}": {"source_id": marks.source_id},
    }


UPLOADS = ("POST /api/v1/sources", "POST /upload")


def request_args(route: Route, api: Api) -> dict[str, Any]:
    """A minimal valid body for ``route`` (nothing for a safe method)."""
    if route.method in SAFE:
        return {}
    if route.name in UPLOADS:
        return {"files": [("files", ("calder.txt", TINY_REPORT, "text/plain"))]}
    if route.name in (bodies := _json_bodies(api)):
        return {"json": bodies[route.name]}
    return {"data": _forms(api).get(route.name, {})}
