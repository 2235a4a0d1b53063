"""Files on disk, read without trusting them: what a folder holds, and opening one file safely.

A folder may hold anything: links to ``/etc/shadow`` or ``/proc/self/status``, a FIFO that blocks
whoever opens it, a device, a socket, names that are not valid UTF-8. So

* a symbolic link is followed only when its target stays inside the folder it was found in (for
  a file named directly, the folder holding it: ``hrdwatch ingest reports/*.txt`` is a list of
  names, and must be as safe as ``hrdwatch ingest reports/``);
* only regular files are read: the file is opened with ``O_NONBLOCK`` (a FIFO never blocks) and
  checked with ``fstat`` on the open descriptor, so what is checked is what is read;
* names are turned into printable text (:func:`display_name`) before they reach a message, the
  database or JSON.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from hrdwatch.errors import Errors, InputRejected
from hrdwatch.ingest.limits import check_size

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)
MAX_NAME_CHARS = 300


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A file to read; ``root`` is the folder it was found in (``None`` when named directly: then
    the folder holding it)."""

    path: Path
    root: Path | None = None

    def __str__(self) -> str:
        return str(self.path)


def display_name(name: str | Path) -> str:
    """``name`` as safe, one-line text: bytes that were not UTF-8 (surrogate escapes) and control
    characters become backslash escapes, and a very long name is shortened in the middle."""
    raw = os.fsencode(name) if isinstance(name, Path) else name.encode("utf-8", "surrogateescape")
    text = raw.decode("utf-8", "backslashreplace")
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    if len(text) > MAX_NAME_CHARS:
        half = MAX_NAME_CHARS // 2
        text = f"{text[:half]}...{text[-half:]}"
    return text


def _kind(mode: int) -> str | None:
    """What a non-regular file is, or ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((label for test, label in _KINDS if test(mode)), "not a regular file")


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def resolve_found(found: FoundFile, *, name: str) -> Path:
    """The path to open for ``found``. E115 when it is a link leaving its folder, E116 when it is
    not a regular file (checked on the link's target without opening it)."""
    path = found.path
    try:
        info = os.lstat(path)
    except FileNotFoundError as e:
        raise InputRejected(Errors.E113, name=name) from e
    if stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        root = found.root if found.root is not None else path.parent
        if not _inside(target, Path(os.path.realpath(root))):
            raise InputRejected(Errors.E115, name=name)
        try:
            info = os.stat(target)
        except OSError as e:
            raise InputRejected(Errors.E113, name=name) from e
        path = target
    kind = _kind(info.st_mode)
    if kind is not None:
        raise InputRejected(Errors.E116, name=name, kind=kind)
    return path


def open_regular(path: Path, *, name: str, follow: bool) -> int:
    """A read-only descriptor of ``path``, never blocking on a FIFO; E116 unless it is a regular
    file. ``follow=False`` refuses a last path component that is (now) a symbolic link."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise InputRejected(Errors.E112, name=name, reason=e.strerror or str(e)) from e
    kind = _kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise InputRejected(Errors.E116, name=name, kind=kind)
    os.set_blocking(fd, True)
    return fd


def read_found(found: FoundFile, *, name: str, limit: int) -> bytes:
    """The bytes of ``found``: E115/E116 as :func:`resolve_found`, E102 by the size of the open
    file before reading it, and a file that grows meanwhile is cut off at ``limit + 1`` bytes."""
    path = resolve_found(found, name=name)
    fd = open_regular(path, name=name, follow=False)
    with os.fdopen(fd, "rb") as handle:
        check_size(os.fstat(handle.fileno()).st_size, name=name, limit=limit)
        data = handle.read(limit + 1)
    check_size(len(data), name=name, limit=limit)
    return data
