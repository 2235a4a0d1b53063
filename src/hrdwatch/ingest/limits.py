"""Limits for hostile files: parsers run in a child process with a wall-clock timeout and a cap
on its address space, and files are refused by size before they are read.

Children are forked from a ``forkserver`` that has already imported the parsers and loaded the
language profiles (see :mod:`hrdwatch.ingest._preload`), so each file costs a fork, not a fresh
interpreter, and nothing of the calling process (threads, open databases, keys) is inherited.
As with any ``spawn``/``forkserver`` code, a script that reads HTML or PDF must keep its top-level
work under ``if __name__ == "__main__":`` (console scripts and uvicorn already do).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from pathlib import Path
from typing import Any, TypeVar

from hrdwatch.errors import Errors, InputRejected

T = TypeVar("T")
PRELOAD = ["hrdwatch.ingest._preload"]
_EXIT_GRACE_SECONDS = 5.0


def check_size(size: int, *, name: str, limit: int) -> None:
    if size > limit:
        raise InputRejected(Errors.E102, name=name, size=size, limit=limit)


def read_capped(path: Path, *, name: str, limit: int) -> bytes:
    """Read ``path`` after ``os.stat`` shows it is within ``limit`` bytes; a file that grows
    meanwhile is still cut off at ``limit + 1`` bytes and refused."""
    check_size(os.stat(path).st_size, name=name, limit=limit)
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    check_size(len(data), name=name, limit=limit)
    return data


def _context() -> ForkServerContext | SpawnContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _limit_memory(limit_mb: int) -> None:
    limit = limit_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(conn: Connection, limit_mb: int, call: Callable[[], Any]) -> None:
    """Runs in the child: every outcome goes back through ``conn`` as a tagged tuple."""
    try:
        _limit_memory(limit_mb)
        reply: tuple[Any, ...] = ("ok", call())
    except InputRejected as e:
        reply = ("rejected", e.code, e.fields)
    except MemoryError:
        reply = ("memory",)
    except Exception as e:  # any parser failure is reported, never lost
        reply = ("failed", f"{type(e).__name__}: {e}")
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(("memory",))
    finally:
        conn.close()


def _unpack(reply: tuple[Any, ...], *, name: str, limit_mb: int) -> Any:
    tag = reply[0]
    if tag == "ok":
        return reply[1]
    if tag == "rejected":
        raise InputRejected(getattr(Errors, reply[1]), **reply[2])
    if tag == "memory":
        raise InputRejected(Errors.E110, name=name, limit_mb=limit_mb)
    raise InputRejected(Errors.E112, name=name, reason=reply[1])


def _receive(conn: Connection, process: Any, *, name: str, timeout: float) -> tuple[Any, ...]:
    if not conn.poll(timeout):
        raise InputRejected(Errors.E109, name=name, seconds=timeout)
    try:
        reply: tuple[Any, ...] = conn.recv()
    except EOFError as e:
        process.join(_EXIT_GRACE_SECONDS)
        reason = f"the reader process stopped (exit code {process.exitcode})"
        raise InputRejected(Errors.E112, name=name, reason=reason) from e
    return reply


def run_limited(call: Callable[[], T], *, name: str, timeout: float, memory_mb: int) -> T:
    """Run ``call()`` in a child process and return its result.

    ``call`` must be picklable: a module-level function, or a ``functools.partial`` of one. Raises
    ``InputRejected``: E109 past ``timeout`` seconds, E110 when the child runs out of its
    ``memory_mb`` address space, the child's own coded error, or E112 for anything else.
    """
    receiver, sender = multiprocessing.Pipe(duplex=False)
    process = _context().Process(target=_child, args=(sender, memory_mb, call), daemon=True)
    process.start()
    sender.close()
    try:
        reply = _receive(receiver, process, name=name, timeout=timeout)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(_EXIT_GRACE_SECONDS)
    result: T = _unpack(reply, name=name, limit_mb=memory_mb)
    return result
