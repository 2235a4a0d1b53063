"""The page a browser gets for a failure: the API's status with a generic message, never a stack
trace; a page that needs a login redirects to the login form instead."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from hrdwatch.interfaces.http.errors import INTERNAL_ERROR
from hrdwatch.interfaces.web.templating import templates

GENERIC = {
    400: "The request could not be understood.",
    401: "Please log in.",
    403: "You may not do this.",
    404: "Nothing is here.",
    405: "This method is not allowed here.",
    409: "This conflicts with the current state; reload and try again.",
    413: "The upload is too large.",
    422: "Some of what was sent is not valid.",
    429: "Too many attempts; wait and try again.",
    500: INTERNAL_ERROR,
}


def error_page(request: Request, status: int, code: str, message: str, headers: dict[str, str]) -> Response:
    """The error page, or for a GET that needs a login the login form (coming back here after it).

    A coded error (``E...``) shows its own message, anything else the generic one for its status."""
    if status == 401 and request.method in ("GET", "HEAD"):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    shown = message if code.startswith("E") else GENERIC.get(status, GENERIC[400])
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": shown, "user": getattr(request.state, "principal", None)},
        status_code=status,
        headers=headers,
    )
