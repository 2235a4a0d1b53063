"""Export files: the whole database as JSON, encrypted when the database is.

An export of an encrypted database is sealed with AES-256-GCM under a key derived with scrypt
from a passphrase (:mod:`hrdwatch.security.crypto`): the database key by default, so whoever may
open the database may open its exports and nobody else; another passphrase when the caller gives
one. Plain text only when asked for explicitly. :func:`decrypt_export` turns a file back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from hrdwatch.config import Secret, Settings
from hrdwatch.domain.users import Principal
from hrdwatch.errors import Errors, SettingsError
from hrdwatch.security import crypto
from hrdwatch.services.incidents import export_everything

CIPHER = "AES-256-GCM, key from scrypt"


@dataclass(frozen=True, slots=True)
class ExportFile:
    data: bytes
    encrypted: bool
    passphrase: str  # where the passphrase came from: "database key", "given", or "" (plain text)


def export_file(
    engine: Engine,
    settings: Settings,
    actor: Principal | None,
    *,
    plaintext: bool = False,
    passphrase: Secret | None = None,
    destination: str = "",
) -> ExportFile:
    """Every table as JSON bytes (editors and admins; audited), encrypted under ``passphrase``,
    else under the database key when there is one, unless ``plaintext``."""
    if plaintext and passphrase is not None:
        raise SettingsError(Errors.E401, name="--plaintext", reason="a passphrase was given as well")
    if passphrase is not None and not passphrase:
        raise SettingsError(Errors.E401, name="passphrase", reason="it is empty")
    secret = passphrase or (None if plaintext else settings.key)
    data = export_everything(engine, actor, destination=destination, encrypted=secret is not None)
    raw = (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
    if secret is None:
        return ExportFile(raw, encrypted=False, passphrase="")
    source = "given" if passphrase is not None else "database key"
    return ExportFile(crypto.encrypt(raw, secret.reveal()), encrypted=True, passphrase=source)


def decrypt_export(data: bytes, passphrase: Secret, *, name: str) -> bytes:
    """The JSON of an encrypted export. E315 if it is no such file, E314 for a wrong passphrase."""
    return crypto.decrypt(data, passphrase.reveal(), name=name)


def is_encrypted_export(data: bytes) -> bool:
    return crypto.is_encrypted(data)
