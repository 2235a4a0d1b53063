"""The API's own documentation, for logged-in users only: the OpenAPI document and Swagger UI.

Everything is served from here (no CDN): Swagger UI's files come from the installed
``fastapi_offline`` package (Swagger UI 5, which reads OpenAPI 3.1), and the page starts it from a
script of ours, because the Content-Security-Policy forbids inline scripts and styles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.routing import APIRoute, iter_route_contexts

from hrdwatch import __version__
from hrdwatch.errors import AccessError, Errors
from hrdwatch.interfaces.http.deps import requires
from hrdwatch.security.permissions import Action

router = APIRouter(tags=["docs"], include_in_schema=False, dependencies=[requires(Action.API_DOCS)])

PREFIX = "/api/v1"
STATIC = f"{PREFIX}/docs/static"
SWAGGER_DIR = Path(fastapi_offline.__file__).parent / "static"
SWAGGER_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
}
INIT_JS = f"""\
window.addEventListener("load", function () {{
  window.ui = SwaggerUIBundle({{
    url: "{PREFIX}/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true
  }});
}});
"""
PAGE = f"""\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>hrdwatch API</title>
<link rel="stylesheet" href="{STATIC}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{STATIC}/swagger-ui-bundle.js"></script>
<script src="{STATIC}/init.js"></script>
</body>
</html>
"""
DESCRIPTION = (
    "Case records of attacks on human rights defenders, with the evidence behind every fact. "
    "Authenticate with `Authorization: Bearer <token>` (create one with `POST /api/v1/tokens`). "
    'Every error has the body `{"error": {"code", "message", "status"}}`.'
)


def api_schema(routes: list[Any]) -> dict[str, Any]:
    """The OpenAPI document of the API routes among ``routes`` (pages and static files left out)."""
    api = [
        c
        for c in iter_route_contexts(routes)
        if isinstance(c.original_route, APIRoute) and (c.path or "").startswith(PREFIX + "/")
    ]
    schema = get_openapi(title="hrdwatch API", version=__version__, description=DESCRIPTION, routes=api)
    components = schema.setdefault("components", {})
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    schema["security"] = [{"bearer": []}]
    _closed_forms(schema)
    return schema


def _closed_forms(schema: dict[str, Any]) -> None:
    """A multipart form takes only its declared parts (an upload refuses any other field, 400)."""
    forms = schema.get("components", {}).get("schemas", {})
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("multipart/form-data", {}).get("schema", {}).get("$ref", "")
            form = forms.get(ref.rsplit("/", 1)[-1])
            if form is not None:
                form["additionalProperties"] = False


@router.get("/openapi.json")
def openapi(request: Request) -> dict[str, Any]:
    return api_schema(request.app.routes)


@router.get("/docs", response_class=HTMLResponse)
def docs_page() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.get("/docs/static/{name}")
def docs_asset(name: str) -> Response:
    """Swagger UI's script and stylesheet, and ours that starts it."""
    if name == "init.js":
        return Response(INIT_JS, media_type="text/javascript")
    if name not in SWAGGER_FILES:
        raise AccessError(Errors.E511, kind="file", ident=name)
    return FileResponse(SWAGGER_DIR / name, media_type=SWAGGER_FILES[name])
