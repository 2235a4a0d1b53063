"""One error body for every failure: ``{"error": {"code", "message", "status"}}``, and its HTTP status.

Pages get the same status with a generic HTML page (no stack trace); an expired or missing login on
a page redirects to the login form instead.
"""

from __future__ import annotations

from typing import Any

from hrdwatch.domain.queries import InvalidQuery
from hrdwatch.errors import Errors, HrdwatchError, ReviewError

STATUS: dict[str, int] = {
    "E102": 413,
    "E305": 404,
    "E309": 409,
    "E310": 409,
    "E501": 401,
    "E502": 429,
    "E503": 403,
    "E504": 401,
    "E505": 401,
    "E506": 409,
    "E507": 404,
    "E510": 403,
    "E511": 404,
    "E514": 409,
    "E515": 409,
    "E517": 401,
    "E519": 409,
    "E520": 429,
    "E521": 429,
    "E522": 404,
    "E523": 404,
    "E524": 404,
    "E532": 409,
    "E533": 409,
    "E534": 409,
    "E535": 409,
    "E536": 409,
}
RETRY_AFTER_SECONDS = 15 * 60
INTERNAL_ERROR = "Something went wrong on our side. It has been logged."  # all a crash says


def status_of(error: HrdwatchError) -> int:
    """The HTTP status for a coded error: listed ones as above, other input errors 422."""
    return STATUS.get(error.code, 422)


def query_error(error: InvalidQuery) -> ReviewError:
    """A search filter the domain refused, as the coded error both sides answer with (E513)."""
    return ReviewError(Errors.E513, field=error.field, reason=error.reason)


def error_body(code: str, message: str, status: int) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status}}
