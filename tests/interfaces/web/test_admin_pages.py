"""The users page (create, role, TOTP requirement, disable) and the audit log, for admins only."""

from __future__ import annotations

import pytest

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.services import accounts
from hrdwatch.services.audit import record_now

from .conftest import PASSWORD, Web


def _users(web: Web) -> dict[str, accounts.UserPublic]:
    return {u.username: u for u in accounts.list_users(web.engine, accounts.cli_principal("test"))}


def test_admin_creates_a_user(web: Web) -> None:
    web.as_role("admin", "root-mabel")
    response = web.post("/admin/users", data={"username": "kit-orlo", "password": PASSWORD, "role": "editor"})
    assert response.status_code == 303 and response.headers["location"] == "/admin/users?created=kit-orlo"
    page = web.client.get(response.headers["location"])
    assert "User kit-orlo created." in page.text
    assert _users(web)["kit-orlo"].role == "editor"
    created = web.audit("user.created")
    assert (created[0].actor, created[0].subject) == ("root-mabel", "kit-orlo")
    assert web.login("kit-orlo", client=web.other_client()).status_code == 303


@pytest.mark.parametrize(
    ("form", "status", "code"),
    [
        ({"username": "root-mabel", "password": PASSWORD, "role": "viewer"}, 409, "E506"),
        ({"username": "kit-orlo", "password": "short", "role": "viewer"}, 422, "E508"),
        ({"username": "kit orlo!", "password": PASSWORD, "role": "viewer"}, 422, "E518"),
        ({"username": "kit-orlo", "password": PASSWORD, "role": "overlord"}, 422, "E509"),
    ],
)
def test_a_refused_user_shows_the_form_again(web: Web, form: dict[str, str], status: int, code: str) -> None:
    web.as_role("admin", "root-mabel")
    response = web.post("/admin/users", data=form)
    assert response.status_code == status and code in response.text
    assert f'value="{form["username"]}"' in response.text
    assert set(_users(web)) == {"root-mabel"}


def test_role_change_applies_and_ends_the_users_sessions(web: Web) -> None:
    web.user("kit-orlo", "viewer")
    theirs = web.other_client()
    web.login("kit-orlo", client=theirs)
    assert theirs.get("/account").status_code == 200
    web.as_role("admin", "root-mabel")
    response = web.post("/admin/users/kit-orlo", data={"role": "editor"})
    assert response.status_code == 303 and response.headers["location"] == "/admin/users?updated=kit-orlo"
    assert _users(web)["kit-orlo"].role == "editor"
    assert theirs.get("/account").status_code == 303
    change = web.audit("user.role")[0]
    assert change.before == {"role": "viewer"} and change.after == {"role": "editor"}


def test_require_totp_and_disable(web: Web) -> None:
    web.user("kit-orlo", "editor")
    web.as_role("admin", "root-mabel")
    web.post("/admin/users/kit-orlo", data={"totp_required": "1"})
    assert _users(web)["kit-orlo"].totp_required
    page = web.client.get("/admin/users")
    assert "Stop requiring" in page.text
    web.post("/admin/users/kit-orlo", data={"disabled": "1"})
    assert _users(web)["kit-orlo"].disabled
    assert web.login("kit-orlo", client=web.other_client()).status_code == 401
    web.post("/admin/users/kit-orlo", data={"disabled": "0"})
    assert not _users(web)["kit-orlo"].disabled
    assert len(web.audit("user.disabled")) == 2 and len(web.audit("user.totp_required")) == 1


def test_unknown_user_is_404(web: Web) -> None:
    web.as_role("admin", "root-mabel")
    response = web.post("/admin/users/nobody-here", data={"role": "editor"})
    assert response.status_code == 404 and "E507" in response.text


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_admin_pages_are_refused_to_others(web: Web, role: str) -> None:
    web.user("kit-orlo", "viewer")
    web.as_role(role)
    assert web.client.get("/admin/users").status_code == 403
    assert web.client.get("/admin/audit").status_code == 403
    create = web.post("/admin/users", data={"username": "sly-fenn", "password": PASSWORD, "role": "admin"})
    assert create.status_code == 403
    assert web.post("/admin/users/kit-orlo", data={"role": "admin"}).status_code == 403
    assert set(_users(web)) == {"kit-orlo", f"{role}-quill"}


def test_audit_log_filters_and_pages(web: Web) -> None:
    for number in range(60):
        record_now(web.engine, AuditRecord(AuditAction.EXPORT, "kit-orlo", subject=f"export-{number}"))
    web.as_role("admin", "root-mabel")
    first = web.client.get("/admin/audit", params={"actor": "kit-orlo"})
    assert first.status_code == 200
    assert first.text.count("<code>export</code>") == 50 and "export-59" in first.text
    assert "page=2" in first.text and "export-9<" not in first.text
    second = web.client.get("/admin/audit", params={"actor": "kit-orlo", "page": 2})
    assert second.text.count("<code>export</code>") == 10 and "export-0<" in second.text
    logins = web.client.get("/admin/audit", params={"action": "login*"})
    assert "<code>login</code>" in logins.text and "<code>export</code>" not in logins.text
    assert web.client.get("/admin/audit", params={"page": 0}).status_code == 422


def test_settings_page_shows_values_but_never_secrets(web: Web) -> None:
    web.as_role("admin", "root-mabel")
    page = web.client.get("/admin/settings")
    assert page.status_code == 200
    assert "HRDWATCH_SESSION_IDLE_MINUTES" in page.text and "HRDWATCH_KEY" in page.text
    web.as_role("editor")
    assert web.client.get("/admin/settings").status_code == 403


def test_audit_page_shows_the_change(web: Web) -> None:
    web.user("kit-orlo", "viewer")
    web.as_role("admin", "root-mabel")
    web.post("/admin/users/kit-orlo", data={"role": "editor"})
    page = web.client.get("/admin/audit", params={"action": "user.role"})
    assert "&#34;role&#34;: &#34;viewer&#34;" in page.text or '"role": "viewer"' in page.text
    assert "editor" in page.text
