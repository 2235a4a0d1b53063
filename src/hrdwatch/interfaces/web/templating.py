"""The pages' Jinja templates (with the filters and globals they use) and the web's static files.

Every page renders through :data:`templates`; the app factory mounts :data:`STATIC_DIR`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from hrdwatch.security.permissions import Action, can

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["can"] = lambda user, action: can(user, Action(action))


def amount(value: float | int | str | None) -> str:
    """A sum of money as people write it: ``78,000`` (not ``78000.0``), ``1,250.50``."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}"


templates.env.filters["amount"] = amount
