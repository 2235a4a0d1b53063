"""Password hashing (argon2id) and one-time codes (RFC 6238)."""

from __future__ import annotations

import pytest

from hrdwatch.errors import AccessError
from hrdwatch.security import passwords, tokens, totp


def test_password_hash_is_argon2id_and_salted() -> None:
    first = passwords.hash_password("a long enough passphrase")
    second = passwords.hash_password("a long enough passphrase")
    assert first.startswith("$argon2id$")
    assert first != second
    assert passwords.verify_password(first, "a long enough passphrase")
    assert not passwords.verify_password(first, "a long enough passphrasE")


def test_short_password_is_refused_with_its_code() -> None:
    with pytest.raises(AccessError) as caught:
        passwords.hash_password("short")
    assert caught.value.code == "E508"


def test_unknown_user_is_checked_against_a_dummy_and_refused() -> None:
    assert not passwords.verify_password(None, "hrdwatch-dummy-password-for-timing")
    assert not passwords.verify_password("not a hash", "anything at all")


def test_totp_code_verifies_now_and_one_step_either_side_only() -> None:
    secret = totp.new_secret()
    now = 1_800_000_000.0
    code = totp.code_at(secret, now)
    assert totp.verify(secret, code, when=now)
    assert totp.verify(secret, code, when=now + 30)
    assert not totp.verify(secret, code, when=now + 120)
    assert not totp.verify(secret, "12345", when=now)
    assert not totp.verify(secret, "abcdef", when=now)


def test_provisioning_uri_names_issuer_and_user() -> None:
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, "zora.kell")
    assert uri.startswith("otpauth://totp/hrdwatch:zora.kell?")
    assert f"secret={secret}" in uri


def test_a_malformed_secret_never_verifies() -> None:
    assert not totp.verify("not base32!", "123456")
    assert not totp.verify("AAAA", "123456")


def test_token_fingerprint_is_stable_and_hides_the_secret() -> None:
    secret = tokens.new_secret(tokens.API_TOKEN_PREFIX)
    assert secret.startswith("hrdw_") and len(secret) > 40
    assert tokens.fingerprint(secret) == tokens.fingerprint(secret)
    assert secret not in tokens.fingerprint(secret)
