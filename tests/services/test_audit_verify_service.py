"""``verify_log`` is for admins, and reads one consistent snapshot: verifying while others append
never reports a false break."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError
from hrdwatch.services.accounts import cli_principal
from hrdwatch.services.audit import record_now, verify_log
from hrdwatch.store.audit import audit_key

ADMIN = cli_principal("tester")


@pytest.fixture(autouse=True)
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys" / "audit.key"
    monkeypatch.setenv("HRDWATCH_AUDIT_KEY_FILE", str(path))
    return path


def test_verify_during_appends_sees_a_whole_chain(engine: Engine, key_file: Path) -> None:
    audit_key(key_file)  # made by the first append in real use; here verify may run before it
    done = threading.Event()

    def append() -> None:
        try:
            for i in range(150):
                record_now(engine, AuditRecord(AuditAction.LOGIN_FAILED, None, subject=f"u{i}"))
        finally:
            done.set()

    writer = threading.Thread(target=append)
    writer.start()
    reports = []
    while not done.is_set():
        reports.append(verify_log(engine, ADMIN, key_file=key_file))
    writer.join(timeout=120)
    reports.append(verify_log(engine, ADMIN, key_file=key_file))
    assert all(r.ok for r in reports), next(r.reason for r in reports if not r.ok)
    assert reports[-1].rows == 150 and len(reports) > 1


def test_only_admins_verify(engine: Engine, key_file: Path) -> None:
    editor = Principal(id="e", username="ed", role=Role.EDITOR)
    with pytest.raises(AccessError):
        verify_log(engine, editor, key_file=key_file)
