"""Logins under attack (issue 7, item 10): concurrent bursts, password spraying, replayed one-time
codes and session ids that outlive the second factor. Real SQLite files, and PostgreSQL when
HRDWATCH_TEST_PG_URL is set."""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from hrdwatch.config import Settings
from hrdwatch.errors import AccessError
from hrdwatch.security import totp
from hrdwatch.services import accounts
from hrdwatch.services.audit import read_log
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import upgrade

PASSWORD = "juniper lantern at noon"
ADMIN = accounts.cli_principal("tester")
PG_URL = os.environ.get("HRDWATCH_TEST_PG_URL")
BURST = 24


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'logins.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    if not PG_URL:
        pytest.skip("HRDWATCH_TEST_PG_URL is not set")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"hrdwatch_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine = make_engine(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def settings() -> Settings:
    return Settings(db="sqlite://", login_max_failures_per_ip=1000, login_max_failures_total=1000)


def _user(db: Engine, name: str = "sela.marrow") -> None:
    accounts.create_user(db, ADMIN, username=name, password=PASSWORD, role="editor")


def _burst(count: int, attempt: object) -> Counter[str]:
    """``attempt()`` from ``count`` threads released at once; the error code (or "ok") of each."""
    start = threading.Barrier(count)
    codes: Counter[str] = Counter()
    lock = threading.Lock()

    def run() -> None:
        start.wait()
        try:
            attempt()  # type: ignore[operator]
            code = "ok"
        except AccessError as e:
            code = e.code
        with lock:
            codes[code] += 1

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return codes


def test_a_concurrent_burst_checks_no_more_passwords_than_the_limit(db: Engine, settings: Settings) -> None:
    _user(db)

    def guess() -> None:
        accounts.login(db, settings, username="sela.marrow", password="wrong guess", ip="198.51.100.7")

    codes = _burst(BURST, guess)
    assert sum(codes.values()) == BURST
    assert codes["E501"] == accounts.MAX_FAILURES  # exactly five passwords were checked
    assert codes["E502"] == BURST - accounts.MAX_FAILURES
    failed = [e for e in read_log(db, ADMIN, limit=500) if e.action == "login.failed"]
    assert len(failed) == accounts.MAX_FAILURES
    with pytest.raises(AccessError) as caught:  # the right password too, until the window ends
        accounts.login(db, settings, username="sela.marrow", password=PASSWORD)
    assert caught.value.code == "E502"


def test_a_concurrent_burst_of_right_passwords_does_not_lock_the_owner_out(
    db: Engine, settings: Settings
) -> None:
    _user(db)

    def login() -> None:
        accounts.login(db, settings, username="sela.marrow", password=PASSWORD)

    codes = _burst(8, login)
    assert codes["ok"] >= accounts.MAX_FAILURES and set(codes) <= {"ok", "E502"}
    assert accounts.login(db, settings, username="sela.marrow", password=PASSWORD).user


def test_spraying_many_accounts_from_one_address_is_stopped(db: Engine, settings: Settings) -> None:
    settings = replace(settings, login_max_failures_per_ip=3)
    names = [f"member{i}" for i in range(5)]
    for name in names:
        _user(db, name)
    codes = []
    for name in names:
        try:
            accounts.login(db, settings, username=name, password="Summer2026!", ip="203.0.113.9")
        except AccessError as e:
            codes.append(e.code)
    assert codes == ["E501", "E501", "E501", "E520", "E520"]
    # another address is not held back, and the owner still logs in from it
    assert accounts.login(db, settings, username="member4", password=PASSWORD, ip="192.0.2.1").user
    throttled = [e for e in read_log(db, ADMIN, limit=500) if e.action == "login.throttled"]
    assert len(throttled) == 2 and throttled[0].ip == "203.0.113.9"


def test_spraying_from_many_addresses_meets_the_server_limit(db: Engine, settings: Settings) -> None:
    settings = replace(settings, login_max_failures_total=4)
    _user(db)
    codes = []
    for i in range(6):
        try:
            accounts.login(db, settings, username=f"ghost{i}", password="Winter2026!", ip=f"203.0.113.{i}")
        except AccessError as e:
            codes.append(e.code)
    assert codes == ["E501"] * 4 + ["E521"] * 2


def test_the_window_ends(db: Engine, settings: Settings) -> None:
    _user(db)
    t0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for minute in range(6):
        with pytest.raises(AccessError):
            accounts.login(
                db, settings, username="sela.marrow", password="x", now=t0 + timedelta(minutes=minute)
            )
    later = t0 + accounts.FAILURE_WINDOW + timedelta(seconds=1)
    assert accounts.login(db, settings, username="sela.marrow", password=PASSWORD, now=later).user


def _enrolled(db: Engine, settings: Settings, at: datetime) -> tuple[str, str]:
    """A user with TOTP enrolled at ``at``; (totp secret, a pending session secret)."""
    _user(db)
    first = accounts.login(db, settings, username="sela.marrow", password=PASSWORD, now=at)
    me = accounts.session_user(db, settings, first.session_secret, now=at)
    secret = totp.new_secret()
    accounts.enrol_totp(db, me, secret=secret, code=totp.code_at(secret, at.timestamp()), now=at)
    pending = accounts.login(db, settings, username="sela.marrow", password=PASSWORD, now=at)
    assert pending.pending_totp
    return secret, pending.session_secret


def test_a_one_time_code_works_once(db: Engine, settings: Settings) -> None:
    t0 = datetime(2026, 12, 1, 9, 0, 5, tzinfo=UTC)
    secret, _ = _enrolled(db, settings, t0)
    at = t0 + timedelta(seconds=60)
    code = totp.code_at(secret, at.timestamp())
    results = []
    for offset in (0, 5, 20):  # the same code, three times within its window
        when = at + timedelta(seconds=offset)
        pending = accounts.login(db, settings, username="sela.marrow", password=PASSWORD, now=when)
        try:
            accounts.complete_totp(db, settings, session_secret=pending.session_secret, code=code, now=when)
            results.append("ok")
        except AccessError as e:
            results.append(e.code)
    assert results == ["ok", "E505", "E505"]
    # an older code (the previous step, still inside the drift window) is refused too
    pending = accounts.login(db, settings, username="sela.marrow", password=PASSWORD, now=at)
    older = totp.code_at(secret, (at - timedelta(seconds=30)).timestamp())
    with pytest.raises(AccessError):
        accounts.complete_totp(db, settings, session_secret=pending.session_secret, code=older, now=at)
    # the code enrolment used cannot log in either
    enrol_code = totp.code_at(secret, t0.timestamp())
    with pytest.raises(AccessError):
        accounts.complete_totp(db, settings, session_secret=pending.session_secret, code=enrol_code, now=t0)


def test_a_code_raced_by_two_requests_is_accepted_once(db: Engine, settings: Settings) -> None:
    t0 = datetime(2026, 12, 1, 9, 0, 5, tzinfo=UTC)
    secret, _ = _enrolled(db, settings, t0)
    at = t0 + timedelta(seconds=90)
    pendings = [
        accounts.login(db, settings, username="sela.marrow", password=PASSWORD, now=at).session_secret
        for _ in range(4)
    ]
    code = totp.code_at(secret, at.timestamp())
    slots = iter(pendings)
    lock = threading.Lock()

    def complete() -> None:
        with lock:
            mine = next(slots)
        accounts.complete_totp(db, settings, session_secret=mine, code=code, now=at)

    codes = _burst(4, complete)
    assert codes == Counter({"ok": 1, "E505": 3})


def test_the_session_id_changes_when_the_second_factor_completes(db: Engine, settings: Settings) -> None:
    t0 = datetime(2026, 12, 1, 9, 0, 5, tzinfo=UTC)
    secret, pending = _enrolled(db, settings, t0)
    at = t0 + timedelta(seconds=30)
    done = accounts.complete_totp(
        db, settings, session_secret=pending, code=totp.code_at(secret, at.timestamp()), now=at
    )
    assert done.session_secret != pending
    assert accounts.session_user(db, settings, done.session_secret, now=at).username == "sela.marrow"
    with pytest.raises(AccessError):
        accounts.session_user(db, settings, pending, now=at)
    with pytest.raises(AccessError):
        accounts.session_user(db, settings, pending, allow_pending=True, now=at)


def test_a_new_login_ends_the_session_the_browser_held(db: Engine, settings: Settings) -> None:
    _user(db)
    old = accounts.login(db, settings, username="sela.marrow", password=PASSWORD)
    new = accounts.login(
        db, settings, username="sela.marrow", password=PASSWORD, previous_session=old.session_secret
    )
    assert accounts.session_user(db, settings, new.session_secret).username == "sela.marrow"
    with pytest.raises(AccessError):
        accounts.session_user(db, settings, old.session_secret)
