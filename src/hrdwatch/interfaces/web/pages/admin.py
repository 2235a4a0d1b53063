"""Administration: users (create, change role, require TOTP, disable) and the audit log."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import HrdwatchError
from hrdwatch.interfaces.http.deps import client_ip, engine_of, requires, settings_of
from hrdwatch.interfaces.http.errors import status_of
from hrdwatch.interfaces.web.templating import templates
from hrdwatch.security.permissions import Action
from hrdwatch.services import accounts, audit, system

router = APIRouter()
UserManager = Annotated[Principal, requires(Action.USER_MANAGE)]
Auditor = Annotated[Principal, requires(Action.AUDIT_READ)]
SettingsReader = Annotated[Principal, requires(Action.SETTINGS_READ)]
AUDIT_PAGE_SIZE = 50
ROLES = [role.value for role in Role]


def _users_page(request: Request, user: Principal, *, status: int = 200, **extra: Any) -> Response:
    context: dict[str, Any] = {
        "user": user,
        "users": accounts.list_users(engine_of(request), user),
        "roles": ROLES,
        "form": {"username": "", "role": Role.VIEWER.value},
        **extra,
    }
    return templates.TemplateResponse(request, "admin_users.html", context, status_code=status)


def _flashes(created: str | None, updated: str | None) -> list[str]:
    flashes = []
    if created:
        flashes.append(f"User {created} created.")
    if updated:
        flashes.append(f"User {updated} updated.")
    return flashes


@router.get("/admin/users")
def users(
    request: Request, user: UserManager, created: str | None = None, updated: str | None = None
) -> Response:
    return _users_page(request, user, flashes=_flashes(created, updated))


@router.post("/admin/users")
def create_user(
    request: Request,
    user: UserManager,
    username: str = Form(""),
    password: str = Form(""),
    role: str = Form(Role.VIEWER.value),
) -> Response:
    try:
        accounts.create_user(
            engine_of(request), user, username=username, password=password, role=role, ip=client_ip(request)
        )
    except HrdwatchError as e:
        form = {"username": username, "role": role}
        return _users_page(request, user, status=status_of(e), error=e.detail, form=form)
    return RedirectResponse(f"/admin/users?created={quote(username, safe='')}", status_code=303)


def _flag(value: str | None) -> bool | None:
    return None if value is None else value in ("1", "true", "on", "yes")


@router.post("/admin/users/{username}")
def update_user(
    request: Request,
    username: str,
    user: UserManager,
    role: str | None = Form(None),
    totp_required: str | None = Form(None),
    disabled: str | None = Form(None),
    reset_totp: str | None = Form(None),
) -> Response:
    """Each form on the users page sends one field: the change it names, and nothing else."""
    accounts.update_user(
        engine_of(request),
        user,
        username=username,
        role=role or None,
        totp_required=_flag(totp_required),
        disabled=_flag(disabled),
        reset_totp=bool(_flag(reset_totp)),
        ip=client_ip(request),
    )
    return RedirectResponse(f"/admin/users?updated={quote(username, safe='')}", status_code=303)


@router.get("/admin/audit")
def audit_log(
    request: Request,
    user: Auditor,
    actor: str | None = None,
    action: str | None = None,
    page: int = Query(1, ge=1, le=100_000),
) -> Response:
    actor, action = (actor or "").strip() or None, (action or "").strip() or None
    entries = audit.read_log(
        engine_of(request),
        user,
        actor=actor,
        action=action,
        limit=AUDIT_PAGE_SIZE + 1,
        offset=(page - 1) * AUDIT_PAGE_SIZE,
    )
    context = {
        "user": user,
        "entries": entries[:AUDIT_PAGE_SIZE],
        "filters": {"actor": actor or "", "action": action or ""},
        "page": page,
        "has_next": len(entries) > AUDIT_PAGE_SIZE,
    }
    return templates.TemplateResponse(request, "audit.html", context)


@router.get("/admin/settings")
def settings_page(request: Request, user: SettingsReader) -> Response:
    """The configuration in force, secrets masked; it is changed in the environment, not here."""
    rows = system.describe_settings(settings_of(request), user)
    return templates.TemplateResponse(request, "admin_settings.html", {"user": user, "settings": rows})
