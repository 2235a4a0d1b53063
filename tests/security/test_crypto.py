"""Encrypted exports: a wrong passphrase, a changed byte or a made-up header never decrypt; the
audit key file is made once, private, and a malformed one is a coded error."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrdwatch.errors import InputRejected, StoreError
from hrdwatch.security import crypto


def test_round_trip_and_fresh_salt_each_time() -> None:
    first, second = crypto.encrypt(b"{}", "pw"), crypto.encrypt(b"{}", "pw")
    assert first != second
    assert crypto.decrypt(first, "pw", name="x") == b"{}"


@pytest.mark.parametrize("offset", [8, 12, 30, -1])  # scrypt cost, salt, nonce, tag
def test_any_changed_byte_fails_with_e314_or_e315(offset: int) -> None:
    data = bytearray(crypto.encrypt(b'{"a": 1}', "pw"))
    data[offset] ^= 0x01
    with pytest.raises(InputRejected) as info:
        crypto.decrypt(bytes(data), "pw", name="x")
    assert info.value.code in {"E314", "E315"}


def test_wrong_passphrase_is_e314() -> None:
    with pytest.raises(InputRejected) as info:
        crypto.decrypt(crypto.encrypt(b"{}", "pw"), "pW", name="x")
    assert info.value.code == "E314"


def test_a_header_asking_for_too_much_memory_is_refused_before_any_work() -> None:
    data = bytearray(crypto.encrypt(b"{}", "pw"))
    data[8], data[9] = 24, 32  # n = 2**24, r = 32: 64 GiB
    with pytest.raises(InputRejected) as info:
        crypto.decrypt(bytes(data), "pw", name="x")
    assert info.value.code == "E315"


def test_the_audit_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "audit.key"
    key = crypto.load_audit_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert crypto.load_audit_key(path) == key
    assert key.key_id not in repr(key.secret) and "secret" not in repr(key)


@pytest.mark.parametrize("content", ["", "not hex", "abcd"])
def test_a_malformed_key_file_is_e313(tmp_path: Path, content: str) -> None:
    path = tmp_path / "audit.key"
    path.write_text(content)
    with pytest.raises(StoreError) as info:
        crypto.load_audit_key(path)
    assert info.value.code == "E313"
