"""Accounts on a real SQLite file: logins, throttling, TOTP, session timeouts, tokens, audit lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from hrdwatch.config import Settings
from hrdwatch.domain.users import Role
from hrdwatch.errors import AccessError
from hrdwatch.security import totp
from hrdwatch.services import accounts
from hrdwatch.services.audit import read_log
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade

PASSWORD = "plum orchard at dusk"
ADMIN = accounts.cli_principal("tester")
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=f"sqlite:///{tmp_path / 'accounts.db'}", session_idle_minutes=30, session_max_hours=8)


@pytest.fixture
def db(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.db)
    upgrade(engine)
    yield engine
    engine.dispose()


def _user(db: Engine, name: str = "ines.volker", role: str = "editor") -> accounts.UserPublic:
    return accounts.create_user(db, ADMIN, username=name, password=PASSWORD, role=role)


def _actions(db: Engine) -> list[str]:
    return [e.action for e in read_log(db, ADMIN, limit=100)]


def test_create_user_is_audited_and_names_are_unique(db: Engine) -> None:
    user = _user(db)
    assert user.role == "editor" and not user.totp_enrolled
    with pytest.raises(AccessError) as caught:
        _user(db)
    assert caught.value.code == "E506"
    assert _actions(db) == ["user.created"]


@pytest.mark.parametrize(
    ("name", "role", "code"), [("ok.name", "overlord", "E509"), ("<script>", "viewer", "E518")]
)
def test_bad_role_or_name_is_refused(db: Engine, name: str, role: str, code: str) -> None:
    with pytest.raises(AccessError) as caught:
        accounts.create_user(db, ADMIN, username=name, password=PASSWORD, role=role)
    assert caught.value.code == code


def test_only_admins_manage_users(db: Engine, settings: Settings) -> None:
    _user(db, "ed.itor", "editor")
    login = accounts.login(db, settings, username="ed.itor", password=PASSWORD)
    editor = accounts.session_user(db, settings, login.session_secret)
    with pytest.raises(AccessError) as caught:
        accounts.create_user(db, editor, username="sneaky", password=PASSWORD, role="admin")
    assert caught.value.code == "E503"


def test_login_opens_a_session_and_logout_ends_it(db: Engine, settings: Settings) -> None:
    _user(db)
    result = accounts.login(db, settings, username="ines.volker", password=PASSWORD, ip="10.0.0.7")
    assert not result.pending_totp
    me = accounts.session_user(db, settings, result.session_secret)
    assert me.username == "ines.volker" and me.role is Role.EDITOR
    accounts.logout(db, result.session_secret)
    with pytest.raises(AccessError) as caught:
        accounts.session_user(db, settings, result.session_secret)
    assert caught.value.code == "E504"
    assert _actions(db)[:2] == ["logout", "login"]


def test_wrong_password_and_unknown_user_look_the_same(db: Engine, settings: Settings) -> None:
    _user(db)
    codes = set()
    for name, password in (("ines.volker", "wrong but long enough"), ("nobody.here", PASSWORD)):
        with pytest.raises(AccessError) as caught:
            accounts.login(db, settings, username=name, password=password)
        codes.add(caught.value.detail)
    assert len(codes) == 1
    assert _actions(db).count("login.failed") == 2


def test_five_failures_in_fifteen_minutes_throttle_the_account(db: Engine, settings: Settings) -> None:
    _user(db)
    for minute in range(5):
        with pytest.raises(AccessError):
            accounts.login(
                db,
                settings,
                username="ines.volker",
                password="bad guess number x",
                now=T0 + timedelta(minutes=minute),
            )
    with pytest.raises(AccessError) as caught:  # even the right password is refused now
        accounts.login(db, settings, username="ines.volker", password=PASSWORD, now=T0 + timedelta(minutes=5))
    assert caught.value.code == "E502"
    assert "login.throttled" in _actions(db)
    later = T0 + timedelta(minutes=20)  # the first failures have left the window
    assert accounts.login(db, settings, username="ines.volker", password=PASSWORD, now=later).user


def test_idle_and_absolute_timeouts_end_a_session(db: Engine, settings: Settings) -> None:
    _user(db)
    idle = accounts.login(db, settings, username="ines.volker", password=PASSWORD, now=T0)
    accounts.session_user(db, settings, idle.session_secret, now=T0 + timedelta(minutes=29))
    with pytest.raises(AccessError):
        accounts.session_user(db, settings, idle.session_secret, now=T0 + timedelta(minutes=29 + 31))
    busy = accounts.login(db, settings, username="ines.volker", password=PASSWORD, now=T0)
    step = T0
    for _ in range(8 * 3 - 1):  # active every 20 minutes, up to just under 8 hours
        step += timedelta(minutes=20)
        accounts.session_user(db, settings, busy.session_secret, now=step)
    with pytest.raises(AccessError):
        accounts.session_user(db, settings, busy.session_secret, now=T0 + timedelta(hours=8, minutes=1))
    assert _actions(db).count("session.expired") == 2


def test_totp_is_asked_after_the_password_once_enrolled(db: Engine, settings: Settings) -> None:
    _user(db)
    first = accounts.login(db, settings, username="ines.volker", password=PASSWORD)
    me = accounts.session_user(db, settings, first.session_secret)
    secret = totp.new_secret()
    with pytest.raises(AccessError):
        accounts.enrol_totp(db, me, secret=secret, code="000000")
    assert accounts.enrol_totp(db, me, secret=secret, code=totp.code_at(secret)).totp_enrolled
    other = totp.new_secret()  # a stolen session cannot swap the authenticator
    with pytest.raises(AccessError) as swapped:
        accounts.enrol_totp(db, me, secret=other, code=totp.code_at(other))
    assert swapped.value.code == "E519"

    second = accounts.login(db, settings, username="ines.volker", password=PASSWORD)
    assert second.pending_totp
    with pytest.raises(AccessError):  # the password alone opens nothing
        accounts.session_user(db, settings, second.session_secret)
    with pytest.raises(AccessError) as caught:
        accounts.complete_totp(db, settings, session_secret=second.session_secret, code="123456")
    assert caught.value.code == "E505"
    later = datetime.now(UTC) + timedelta(seconds=30)  # the enrolment used the current code
    done = accounts.complete_totp(
        db,
        settings,
        session_secret=second.session_secret,
        code=totp.code_at(secret, later.timestamp()),
        now=later,
    )
    assert done.session_secret != second.session_secret and not done.pending_totp
    assert accounts.session_user(db, settings, done.session_secret, now=later).username == "ines.volker"
    with pytest.raises(AccessError):  # the half-open session id is not the logged-in one
        accounts.session_user(db, settings, second.session_secret, now=later)


def test_required_totp_is_enrolled_at_the_next_login(db: Engine, settings: Settings) -> None:
    _user(db)
    accounts.update_user(db, ADMIN, username="ines.volker", totp_required=True)
    result = accounts.login(db, settings, username="ines.volker", password=PASSWORD)
    assert result.pending_totp
    secret = totp.new_secret()
    accounts.complete_totp(
        db, settings, session_secret=result.session_secret, code=totp.code_at(secret), enrol_secret=secret
    )
    assert accounts.list_users(db, ADMIN)[0].totp_enrolled


def test_role_change_is_audited_with_before_and_after_and_ends_sessions(
    db: Engine, settings: Settings
) -> None:
    _user(db)
    result = accounts.login(db, settings, username="ines.volker", password=PASSWORD)
    accounts.update_user(db, ADMIN, username="ines.volker", role="viewer")
    with pytest.raises(AccessError):
        accounts.session_user(db, settings, result.session_secret)
    change = read_log(db, ADMIN, action="user.role")[0]
    assert (change.before, change.after, change.actor) == (
        {"role": "editor"},
        {"role": "viewer"},
        "cli:tester",
    )


def test_api_tokens_act_as_their_user_until_revoked(db: Engine, settings: Settings) -> None:
    _user(db)
    me = accounts.session_user(
        db, settings, accounts.login(db, settings, username="ines.volker", password=PASSWORD).session_secret
    )
    token = accounts.create_token(db, me, name="nightly import")
    assert accounts.token_user(db, token.secret) == replace(me, via="token")
    accounts.revoke_token(db, me, token_id=token.id)
    with pytest.raises(AccessError) as caught:
        accounts.token_user(db, token.secret)
    assert caught.value.code == "E517"
    with pytest.raises(AccessError):
        accounts.token_user(db, "hrdw_made_up")


def test_disabled_user_cannot_log_in(db: Engine, settings: Settings) -> None:
    _user(db)
    accounts.update_user(db, ADMIN, username="ines.volker", disabled=True)
    with pytest.raises(AccessError) as caught:
        accounts.login(db, settings, username="ines.volker", password=PASSWORD)
    assert caught.value.code == "E501"


def test_admin_resets_a_lost_authenticator(db: Engine, settings: Settings) -> None:
    _user(db)
    me = accounts.session_user(
        db, settings, accounts.login(db, settings, username="ines.volker", password=PASSWORD).session_secret
    )
    secret = totp.new_secret()
    accounts.enrol_totp(db, me, secret=secret, code=totp.code_at(secret))
    accounts.update_user(db, ADMIN, username="ines.volker", totp_required=True, reset_totp=True)
    assert not accounts.list_users(db, ADMIN)[0].totp_enrolled
    reset = read_log(db, ADMIN, action="user.totp_reset")[0]
    assert (reset.before, reset.after) == ({"totp_secret": True}, {"totp_secret": False})
    assert secret not in repr(read_log(db, ADMIN, limit=100))
    again = accounts.login(db, settings, username="ines.volker", password=PASSWORD)
    assert again.pending_totp  # enrols anew before getting in
