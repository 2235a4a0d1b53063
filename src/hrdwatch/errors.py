"""One catalogue of coded error messages, and the exception types that carry them.

Every failure the user can meet has a code here, so a message can be looked up, tested and
documented. Raise with ``raise SomeError(Errors.E101, name=...) from e``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Message:
    code: str
    template: str

    def format(self, **fields: Any) -> str:
        return f"[{self.code}] {self.template.format(**fields)}"


class Errors:
    """The catalogue. Codes are stable: never reuse a retired one."""

    # E1xx: input refused by a reader
    E101 = Message("E101", "{name}: the file is empty")
    E102 = Message("E102", "{name}: {size} bytes is over the size limit of {limit} bytes")
    E103 = Message("E103", "{name}: looks like binary data, not a text, HTML or PDF report")
    E104 = Message("E104", "{name}: not valid UTF-8 text (first bad byte at offset {offset})")
    E105 = Message("E105", "{name}: the PDF could not be read: {reason}")
    E106 = Message("E106", "{name}: the PDF is encrypted; decrypt it first")
    E107 = Message("E107", "{name}: the PDF has {pages} pages, over the limit of {limit}")
    E108 = Message("E108", "{name}: no text found (a scanned PDF or an empty page?)")
    E109 = Message("E109", "{name}: reading took longer than {seconds} s and was stopped")
    E110 = Message("E110", "{name}: the reader ran out of its memory limit ({limit_mb} MB)")
    E111 = Message("E111", "{name}: unsupported file type {suffix!r} (supported: {supported})")
    E112 = Message("E112", "{name}: the reader failed: {reason}")
    E113 = Message("E113", "{name}: no such file or directory")
    E114 = Message("E114", "{name}: the HTML page has no main text")
    E115 = Message("E115", "{name}: a symbolic link to a file outside the folder being read; not followed")
    E116 = Message("E116", "{name}: {kind}, not a regular file; not read")
    E117 = Message("E117", "{name}: the page declares its own entities (<!ENTITY>); refused")
    # E2xx: extraction
    E201 = Message("E201", "no spaCy pipeline for language {lang!r} and no English model installed")
    E202 = Message("E202", "extraction stage {stage!r} failed: {reason}")
    E203 = Message("E203", "rule file {path} cannot be used: {reason}")
    E204 = Message("E204", "{name}: the text has {chars} characters, over the extraction limit of {limit}")
    E205 = Message("E205", "{name}: extraction took longer than {seconds} s and was stopped")
    E206 = Message("E206", "{name}: extraction ran out of its memory limit ({limit_mb} MB)")
    E207 = Message("E207", "{name}: the extraction process failed: {reason}")
    E208 = Message("E208", "{name}: does not read as text ({words} words in {chars} characters)")
    # E3xx: storage
    E301 = Message("E301", "cannot open the database {url}: {reason}")
    E302 = Message("E302", "the database is encrypted: set HRDWATCH_KEY or pass --ask-key")
    E303 = Message("E303", "the key does not open this database (wrong key, or not a hrdwatch database)")
    E304 = Message("E304", "encryption at rest needs SQLCipher (the sqlcipher3 package): {reason}")
    E305 = Message("E305", "no incident with id {ident!r}")
    E306 = Message("E306", "the database schema is newer than this hrdwatch ({found} > {known})")
    E307 = Message("E307", "a key was given but the database {url} is not encrypted")
    E308 = Message("E308", "encryption at rest is only available for SQLite databases ({url})")
    E309 = Message("E309", "this report is already stored (sha256 {sha256})")
    E310 = Message("E310", "the id prefix {ident!r} matches {count} incidents: give more characters")
    E311 = Message("E311", "the database file is damaged or was changed outside hrdwatch: {reason}")
    E312 = Message("E312", "the audit log does not verify: {reason}")
    E313 = Message("E313", "cannot read or create the audit key file {path}: {reason}")
    E314 = Message("E314", "{name}: cannot decrypt (wrong passphrase, or the file was changed)")
    E315 = Message("E315", "{name}: not an encrypted hrdwatch export")
    E316 = Message("E316", "restore refused: {target} is not empty (restore only into a new database)")
    E317 = Message("E317", "{operation} failed: {reason}")
    E318 = Message("E318", "the database refused the operation: {reason}")
    # E4xx: settings and usage
    E401 = Message("E401", "setting {name} is invalid: {reason}")
    E402 = Message("E402", "no input given: name files, folders, or - for standard input")
    # E5xx: accounts, access and review
    E501 = Message("E501", "the user name or password is wrong")
    E502 = Message("E502", "too many failed logins for {username!r}: try again in {minutes} minutes")
    E503 = Message("E503", "a {role} may not {action}")
    E504 = Message("E504", "you are not logged in, or your session has expired")
    E505 = Message("E505", "the one-time code is missing or wrong")
    E506 = Message("E506", "a user named {username!r} exists already")
    E507 = Message("E507", "no user named {username!r}")
    E508 = Message("E508", "the password is too short: use at least {minimum} characters")
    E509 = Message("E509", "unknown role {role!r} (roles: {roles})")
    E510 = Message("E510", "cross-site request refused (origin {origin!r})")
    E511 = Message("E511", "no {kind} with id {ident!r}")
    E512 = Message("E512", "{table} has no editable field {field!r} (editable: {editable})")
    E513 = Message("E513", "invalid value for {field}: {reason}")
    E514 = Message("E514", "{count} facts of this incident are still undecided; decide them before verifying")
    E515 = Message("E515", "the fact changed since that decision; undo refused")
    E516 = Message("E516", "the span {start}-{end} is outside the source text ({length} characters)")
    E517 = Message("E517", "the API token is unknown or revoked")
    E518 = Message("E518", "the user name {username!r} is invalid: {reason}")
    E519 = Message("E519", "a second factor is already enrolled for {username!r}; it cannot be replaced here")
    E520 = Message("E520", "too many failed logins from your address: try again in {minutes} minutes")
    E521 = Message("E521", "too many failed logins on this server: try again in {minutes} minutes")
    # case files and link decisions (issue 9)
    E522 = Message("E522", "no case with reference {ref!r}")
    E523 = Message("E523", "case {ref} has no proposed follow-up {ident!r} waiting for a decision")
    E524 = Message("E524", "no link suggestion {ident!r} waiting for a decision")
    # merges and splits, chain of events (issue 9)
    E530 = Message("E530", "{kind} {ident} cannot be merged into itself")
    E531 = Message("E531", "cannot merge a {absorbed} into a {survivor}: both must be of one kind")
    E532 = Message("E532", "{kind} {ident} was merged into {into}: merge with that one, or split first")
    E533 = Message("E533", "merging {kind} {absorbed} into {survivor} joins {detail}: confirm to go ahead")
    E534 = Message("E534", "a {relation} link from incident {source} to {target} would close a circle")
    E535 = Message("E535", "merge {ident} was split already ({at})")
    E536 = Message("E536", "merge {ident} cannot be split: something changed since ({reason})")


class HrdwatchError(Exception):
    """Base of every error hrdwatch raises on purpose. ``code`` and ``detail`` are for the user."""

    def __init__(self, message: Message, **fields: Any) -> None:
        self.code = message.code
        self.fields = fields
        self.detail = message.format(**fields)
        super().__init__(self.detail)


class InputRejected(HrdwatchError):
    """A report could not be read: too big, binary, malformed, over a limit."""


class ExtractionError(HrdwatchError):
    """A pipeline stage or its rules failed."""


class StoreError(HrdwatchError):
    """The database could not be opened, unlocked or written."""


class SettingsError(HrdwatchError):
    """A setting has an invalid value."""


class AccessError(HrdwatchError):
    """Not logged in, wrong credentials, too many attempts, or an action the role may not do."""


class ReviewError(HrdwatchError):
    """A review decision, edit or verification that cannot be applied."""
