"""Keys and ciphers: the audit seal key (a file outside the database) and encrypted exports.

Audit seals are HMAC-SHA256 over a row's id and chain hash, with a 32-byte key read from
``HRDWATCH_AUDIT_KEY_FILE`` (created ``0600`` on first use). Exports are sealed with AES-256-GCM
under a key derived from a passphrase with scrypt; the file layout is::

    b"HRDWENC1" | log2(n), r, p (1 byte each) | salt (16) | nonce (12) | ciphertext + GCM tag (16)

The 35-byte header is authenticated as associated data, so changing any byte fails decryption.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from hrdwatch.errors import Errors, InputRejected, StoreError

KEY_BYTES = 32
MAGIC = b"HRDWENC1"
SALT_BYTES = 16
NONCE_BYTES = 12
#: scrypt cost: n = 2**17, r = 8 (128 MiB, about half a second); stored in each file's header
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
MAX_SCRYPT_MEMORY = 256 * 1024 * 1024
HEADER_BYTES = len(MAGIC) + 3 + SALT_BYTES + NONCE_BYTES
_SEAL_CONTEXT = b"hrdwatch audit seal v1"
_KEY_ID_CONTEXT = b"hrdwatch audit key id v1"


@dataclass(frozen=True, slots=True)
class AuditKey:
    """The secret behind audit seals; ``key_id`` names it in each seal without revealing it."""

    secret: bytes

    def __repr__(self) -> str:
        return f"AuditKey(key_id={self.key_id!r})"

    @property
    def key_id(self) -> str:
        return hmac.new(self.secret, _KEY_ID_CONTEXT, hashlib.sha256).hexdigest()[:16]

    def seal(self, row_id: int, row_hash: str) -> str:
        """``key_id:mac`` for one row of the chain."""
        message = _SEAL_CONTEXT + f"\n{row_id}\n{row_hash}".encode()
        return f"{self.key_id}:{hmac.new(self.secret, message, hashlib.sha256).hexdigest()}"

    def check(self, row_id: int, row_hash: str, seal: str) -> bool:
        return hmac.compare_digest(self.seal(row_id, row_hash), seal)


def load_audit_key(path: Path, *, create: bool = True) -> AuditKey:
    """The key in ``path``; a new random one (mode 0600) if the file does not exist and ``create``.
    E313 for a file that cannot be read, made or used."""
    try:
        return AuditKey(_read_key(path))
    except FileNotFoundError as e:
        if not create:
            raise StoreError(Errors.E313, path=path, reason="no such file") from e
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return AuditKey(_read_key(path))
    except OSError as e:
        raise StoreError(Errors.E313, path=path, reason=e.strerror or str(e)) from e
    secret = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secret.hex() + "\n")
        f.flush()
        os.fsync(f.fileno())
    return AuditKey(secret)


def _read_key(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(Errors.E313, path=path, reason=str(e)) from e
    if not text:  # created by another process that has not written it yet
        raise StoreError(Errors.E313, path=path, reason="the file is empty")
    try:
        secret = bytes.fromhex(text)
    except ValueError as e:
        raise StoreError(Errors.E313, path=path, reason="not a hex-encoded key") from e
    if len(secret) < KEY_BYTES:
        raise StoreError(Errors.E313, path=path, reason=f"the key is shorter than {KEY_BYTES} bytes")
    return secret


def is_encrypted(data: bytes) -> bool:
    return data.startswith(MAGIC)


def encrypt(plaintext: bytes, passphrase: str) -> bytes:
    """``plaintext`` sealed under ``passphrase`` (AES-256-GCM, scrypt), in the layout above."""
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    header = MAGIC + bytes([SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P]) + salt + nonce
    key = _derive(passphrase, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
    return header + AESGCM(key).encrypt(nonce, plaintext, header)


def decrypt(data: bytes, passphrase: str, *, name: str) -> bytes:
    """The plaintext of :func:`encrypt`. E315 if ``data`` is not such a file, E314 if it fails."""
    if not is_encrypted(data) or len(data) < HEADER_BYTES + 16:
        raise InputRejected(Errors.E315, name=name)
    header = data[:HEADER_BYTES]
    log_n, r, p = header[len(MAGIC)], header[len(MAGIC) + 1], header[len(MAGIC) + 2]
    if not (10 <= log_n and 1 <= r and 1 <= p <= 4 and 128 * r * 2**log_n <= MAX_SCRYPT_MEMORY):
        # a file must not make us spend more memory or time than our own parameters would
        raise InputRejected(Errors.E315, name=name)
    salt = header[len(MAGIC) + 3 : len(MAGIC) + 3 + SALT_BYTES]
    nonce = header[-NONCE_BYTES:]
    try:
        return AESGCM(_derive(passphrase, salt, log_n, r, p)).decrypt(nonce, data[HEADER_BYTES:], header)
    except InvalidTag as e:
        raise InputRejected(Errors.E314, name=name) from e


def _derive(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=2**log_n, r=r, p=p).derive(passphrase.encode("utf-8"))
