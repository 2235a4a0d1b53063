"""The audit log is a hash chain sealed with a key kept outside the database: every way a database
user can rewrite it (raw SQL, triggers dropped) is reported at the first bad row."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.security.crypto import AuditKey
from hrdwatch.store.audit import GENESIS, SQLITE_GUARDS, audit_key, row_hash, verify_chain
from hrdwatch.store.engine import make_engine
from hrdwatch.store.migrate import alembic_config, upgrade
from hrdwatch.store.tables import UTCDateTime
from hrdwatch.store.uow import UnitOfWork

WHEN = datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys" / "audit.key"
    monkeypatch.setenv("HRDWATCH_AUDIT_KEY_FILE", str(path))
    return path


@pytest.fixture
def key(key_file: Path) -> AuditKey:
    return audit_key(key_file)


def _append(engine: Engine, n: int, *, actor: str = "mira.oss") -> None:
    for i in range(n):
        with UnitOfWork(engine) as uow:
            uow.audit.append(
                AuditRecord(
                    AuditAction.FACT_EDITED,
                    actor,
                    target_table="acts",
                    target_id=f"{i:032x}",
                    before={"act_type": "arrest", "n": i},
                    after={"act_type": "détention", "n": i + 0.5},
                    detail=f"edit {i}",
                ),
                at=WHEN,
            )
            uow.commit()


def _verify(engine: Engine, key: AuditKey) -> tuple[bool, int | None, str | None, int]:
    with Session(engine) as session:
        report = verify_chain(session, key)
    return report.ok, report.bad_row, report.reason, report.rows


def test_appended_rows_form_a_sealed_chain(engine: Engine, key: AuditKey) -> None:
    _append(engine, 5)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, prev_hash, hash, seal FROM audit_log ORDER BY id")).all()
        head = conn.execute(text("SELECT last_id, last_hash FROM audit_head")).one()
    assert [r.id for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:], strict=False))
    assert all(key.check(r.id, r.hash, r.seal) for r in rows)
    assert tuple(head) == (5, rows[-1].hash)
    assert _verify(engine, key) == (True, None, None, 5)


def test_the_hash_covers_every_column_and_the_previous_hash(key: AuditKey) -> None:
    fields = {
        "id": 3,
        "at": WHEN,
        "actor": "a",
        "action": "login",
        "subject": None,
        "target_table": None,
        "target_id": None,
        "before": None,
        "after": {"b": 1, "a": [1, 2]},
        "ip": "127.0.0.1",
        "detail": None,
        "prev_hash": GENESIS,
    }
    base = row_hash(fields)
    for name, other in [("id", 4), ("actor", "b"), ("after", {"b": 1, "a": [2, 1]}), ("prev_hash", "1" * 64)]:
        assert row_hash({**fields, name: other}) != base, name
    assert row_hash({**fields, "after": {"a": [1, 2], "b": 1}}) == base  # key order is not content


def test_a_key_from_another_file_does_not_verify(engine: Engine, tmp_path: Path) -> None:
    _append(engine, 2)
    other = audit_key(tmp_path / "elsewhere.key")
    ok, bad_row, reason, _ = _verify(engine, other)
    assert not ok and bad_row == 1 and reason is not None and "another key" in reason


def test_the_key_file_is_created_private(key_file: Path) -> None:
    audit_key(key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(bytes.fromhex(key_file.read_text())) == 32


def test_concurrent_appenders_never_fork_the_chain(engine: Engine, key: AuditKey) -> None:
    errors: list[BaseException] = []

    def work(actor: str) -> None:
        try:
            _append(engine, 15, actor=actor)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(f"user{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert _verify(engine, key) == (True, None, None, 60)


def _process_append(url: str, key_file: str, actor: str) -> None:
    import os

    os.environ["HRDWATCH_AUDIT_KEY_FILE"] = key_file
    engine = make_engine(url)
    _append(engine, 20, actor=actor)
    engine.dispose()


def test_concurrent_processes_never_fork_the_chain(sqlite_url: str, key_file: Path, key: AuditKey) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_process_append, args=(sqlite_url, str(key_file), f"proc{i}"))
        for i in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert _verify(engine, key) == (True, None, None, 60)
    engine.dispose()


# -- tampering as a database user would do it: raw sqlite3, triggers dropped -----------------------


@pytest.fixture
def sqlite_log(sqlite_url: str, key: AuditKey) -> Iterator[tuple[Engine, Path]]:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    _append(engine, 6)
    assert _verify(engine, key)[0]
    engine.dispose()
    path = make_url(sqlite_url).database
    assert path is not None
    yield engine, Path(path)
    engine.dispose()


def _tamper(path: Path, *statements: str, keep_triggers_dropped: bool = False) -> None:
    conn = sqlite3.connect(path)
    for name in SQLITE_GUARDS:
        conn.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        conn.execute(statement)
    if not keep_triggers_dropped:
        for sql in SQLITE_GUARDS.values():
            conn.execute(sql)
    conn.commit()
    conn.close()


def _rows(path: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM audit_log ORDER BY id")]
    conn.close()
    return rows


def _forge_fields(row: dict[str, object], **changes: object) -> dict[str, object]:
    """A row as :func:`row_hash` wants it, from raw sqlite3 values."""
    fields = {**row, **changes}
    at = fields["at"]
    if isinstance(at, str):
        fields["at"] = datetime.fromisoformat(at).replace(tzinfo=UTC)
    for name in ("before", "after"):
        if isinstance(fields[name], str):
            fields[name] = json.loads(str(fields[name]))
    return fields


def _sql_row(fields: dict[str, object], digest: str, seal: str | None) -> str:
    def lit(value: object) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, dict):
            value = json.dumps(value)
        if isinstance(value, datetime):
            value = value.strftime("%Y-%m-%d %H:%M:%S.%f")
        return "'" + str(value).replace("'", "''") + "'" if not isinstance(value, int) else str(value)

    names = [*fields, "hash", "seal"]
    values = [lit(fields[n]) for n in fields] + [lit(digest), lit(seal)]
    return f"INSERT INTO audit_log ({', '.join(names)}) VALUES ({', '.join(values)})"


Check = tuple[bool, int | None, str | None, int]


def _check(sqlite_log: tuple[Engine, Path], key: AuditKey) -> Check:
    engine, _ = sqlite_log
    return _verify(engine, key)


def test_a_one_byte_change_is_found_at_its_row(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    _tamper(sqlite_log[1], "UPDATE audit_log SET detail = 'edit 9' WHERE id = 3")
    ok, bad_row, reason, _ = _check(sqlite_log, key)
    assert (ok, bad_row) == (False, 3) and reason is not None and "changed" in reason


@pytest.mark.parametrize(
    ("column", "new_value"),
    [
        ("id", "30"),
        ("at", "replace(at, '15.123456', '15.123457')"),
        ("actor", "'mira.osS'"),
        ("action", "'fact.editeD'"),
        ("subject", "'x'"),
        ("target_table", "'actS'"),
        ("target_id", "replace(target_id, '0', '1')"),
        ("before", """replace("before", '"n": 2', '"n": 3')"""),
        ("after", """replace("after", 'tention', 'tentioN')"""),
        ("ip", "'127.0.0.1'"),
        ("detail", "'edit 3'"),
        # a hex digit flipped to another one (never to itself, whatever the digit was)
        ("prev_hash", "iif(substr(prev_hash, 1, 1) = 'f', 'e', 'f') || substr(prev_hash, 2)"),
        ("hash", "iif(substr(hash, 1, 1) = '0', '1', '0') || substr(hash, 2)"),
        ("seal", "substr(seal, 1, 20) || iif(substr(seal, 21, 1) = 'f', 'e', 'f') || substr(seal, 22)"),
    ],
)
def test_a_change_in_any_column_is_found(
    sqlite_log: tuple[Engine, Path], key: AuditKey, column: str, new_value: str
) -> None:
    before = _rows(sqlite_log[1])[2]
    _tamper(sqlite_log[1], f'UPDATE audit_log SET "{column}" = {new_value} WHERE id = 3')
    assert _rows(sqlite_log[1])[2 if column != "id" else -1] != before, "the statement changed nothing"
    ok, bad_row, _, _ = _check(sqlite_log, key)
    assert not ok and bad_row in ({3, 4} if column == "id" else {3})


def test_a_change_in_the_json_or_the_time_is_found(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    _tamper(
        sqlite_log[1],
        "UPDATE audit_log SET at = replace(at, '09:30', '09:31') WHERE id = 5",
        """UPDATE audit_log SET "before" = replace("before", 'arrest', 'arrast') WHERE id = 4""",
    )
    assert _check(sqlite_log, key)[:2] == (False, 4)


def test_a_deleted_row_is_found(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    _tamper(sqlite_log[1], "DELETE FROM audit_log WHERE id = 2")
    ok, bad_row, reason, _ = _check(sqlite_log, key)
    assert (ok, bad_row) == (False, 3) and reason is not None and "rows 2-2 were deleted" in reason


def test_deleting_the_first_or_the_last_rows_is_found(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    _tamper(sqlite_log[1], "DELETE FROM audit_log WHERE id >= 5")
    ok, bad_row, reason, _ = _check(sqlite_log, key)
    assert (ok, bad_row) == (False, 5) and reason is not None and "head" in reason
    _tamper(sqlite_log[1], "DELETE FROM audit_log WHERE id = 1")
    assert _check(sqlite_log, key)[:2] == (False, 2)


def test_a_recomputed_hash_without_the_key_is_found(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    row = _rows(sqlite_log[1])[2]
    digest = row_hash(_forge_fields(row, detail="nothing happened"))
    _tamper(
        sqlite_log[1], f"UPDATE audit_log SET detail = 'nothing happened', hash = '{digest}' WHERE id = 3"
    )
    ok, bad_row, reason, _ = _check(sqlite_log, key)
    assert (ok, bad_row) == (False, 3) and reason is not None and "seal" in reason


def test_a_forged_row_appended_with_a_valid_hash_is_found(
    sqlite_log: tuple[Engine, Path], key: AuditKey
) -> None:
    last = _rows(sqlite_log[1])[-1]
    fields = _forge_fields(
        {k: v for k, v in last.items() if k not in ("hash", "seal")},
        id=7,
        prev_hash=last["hash"],
        actor="someone.else",
    )
    digest = row_hash(fields)
    _tamper(
        sqlite_log[1],
        _sql_row(fields, digest, None),
        f"UPDATE audit_head SET last_id = 7, last_hash = '{digest}'",
    )
    ok, bad_row, reason, _ = _check(sqlite_log, key)
    assert (ok, bad_row) == (False, 7) and reason is not None and "not sealed" in reason
    # a made-up seal that copies the key id is no better
    fake = f"{key.key_id}:{'ab' * 32}"
    _tamper(sqlite_log[1], f"UPDATE audit_log SET seal = '{fake}' WHERE id = 7")
    assert _check(sqlite_log, key)[:2] == (False, 7)


def test_a_row_inserted_in_the_middle_is_found(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    _tamper(sqlite_log[1], "UPDATE audit_log SET id = id + 100 WHERE id > 3")
    second = _rows(sqlite_log[1])[2]
    fields = _forge_fields(
        {k: v for k, v in second.items() if k not in ("hash", "seal")}, id=4, prev_hash=second["hash"]
    )
    _tamper(sqlite_log[1], _sql_row(fields, row_hash(fields), None))
    ok, bad_row, _, _ = _check(sqlite_log, key)
    assert (ok, bad_row) == (False, 4)


def test_a_chain_rebuilt_from_scratch_without_the_key_does_not_verify(
    sqlite_log: tuple[Engine, Path], key: AuditKey, tmp_path: Path
) -> None:
    rows = _rows(sqlite_log[1])
    forger = AuditKey(b"\x01" * 32)
    statements = ["DELETE FROM audit_log"]
    prev = GENESIS
    for row in rows:
        fields = _forge_fields(
            {k: v for k, v in row.items() if k not in ("hash", "seal")}, prev_hash=prev, actor="nobody"
        )
        digest = row_hash(fields)
        statements.append(_sql_row(fields, digest, forger.seal(int(row["id"]), digest)))  # type: ignore[call-overload]
        prev = digest
    statements.append(f"UPDATE audit_head SET last_hash = '{prev}'")
    _tamper(sqlite_log[1], *statements)
    assert _check(sqlite_log, key)[:2] == (False, 1)
    # and with the seals left out altogether
    _tamper(sqlite_log[1], "UPDATE audit_log SET seal = NULL")
    ok, _, reason, _ = _check(sqlite_log, key)
    assert not ok and reason is not None and "no row is sealed" in reason


def test_dropped_triggers_are_reported(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    _tamper(sqlite_log[1], keep_triggers_dropped=True)
    ok, bad_row, reason, _ = _check(sqlite_log, key)
    assert not ok and bad_row is None and reason is not None and "triggers" in reason


def test_a_weakened_trigger_is_reported(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    conn = sqlite3.connect(sqlite_log[1])
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN 0 "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    conn.commit()
    conn.close()
    assert not _check(sqlite_log, key)[0]


def test_appends_after_tampering_do_not_hide_it(sqlite_log: tuple[Engine, Path], key: AuditKey) -> None:
    _tamper(sqlite_log[1], "DELETE FROM audit_log WHERE id = 6")
    engine = sqlite_log[0]
    _append(engine, 2)  # chains on the head (row 6), not on what is left
    ok, bad_row, reason, _ = _check(sqlite_log, key)
    assert (ok, bad_row) == (False, 7) and reason is not None and "rows 6-6 were deleted" in reason


# -- PostgreSQL: the same guards, found dropped or bypassed ---------------------------------------


@pytest.mark.postgres
def test_postgres_tampering_is_found(pg_url: str, key: AuditKey) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    _append(engine, 4)
    assert _verify(engine, key)[0]
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
    ok, bad_row, reason, _ = _verify(engine, key)
    assert not ok and bad_row is None and reason is not None and "trigger" in reason
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE id = 2"))
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    assert _verify(engine, key)[:2] == (False, 2)
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
    assert _verify(engine, key)[:2] == (False, None)
    engine.dispose()


# -- migration 0004 chains the rows written before it ---------------------------------------------


def _insert_legacy_rows(conn: object, n: int) -> None:
    for i in range(n):
        conn.execute(  # type: ignore[attr-defined]
            text(
                'INSERT INTO audit_log (at, actor, action, subject, "after", detail) '
                "VALUES (:at, 'old.admin', 'login', 'old.admin', :after, :detail)"
            ).bindparams(bindparam("at", type_=UTCDateTime())),
            {"at": WHEN, "after": json.dumps({"i": i, "note": "ünïcode"}), "detail": f"legacy {i}"},
        )


def test_migration_chains_and_seals_existing_rows(db_url: str, key: AuditKey) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
        _insert_legacy_rows(conn, 3)
    upgrade(engine)
    assert _verify(engine, key) == (True, None, None, 3)
    with engine.connect() as conn:
        seals = conn.execute(text("SELECT seal FROM audit_log ORDER BY id")).scalars().all()
    assert seals[:2] == [None, None] and seals[2] is not None  # the newest seals those before it
    _append(engine, 1)
    assert _verify(engine, key) == (True, None, None, 4)
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'x'"))
    engine.dispose()


def test_migration_on_an_empty_log_starts_at_genesis(db_url: str, key: AuditKey) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        assert tuple(conn.execute(text("SELECT last_id, last_hash FROM audit_head")).one()) == (0, GENESIS)
    assert _verify(engine, key) == (True, None, None, 0)
    engine.dispose()


def test_downgrade_removes_the_chain_and_keeps_the_guards(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    _append(engine, 2)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003")
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    engine.dispose()
