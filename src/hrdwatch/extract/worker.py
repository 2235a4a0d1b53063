"""Extraction in a long-lived child process, bounded in time and memory.

:class:`BoundedExtractor` has :class:`~hrdwatch.extract.pipeline.Extractor`'s ``extract``, but
runs it in a worker process started on first use (``spawn``: nothing of the caller, such as an
open database or a key, is inherited) that loads the spaCy pipeline once and then takes one
document at a time. The worker's address space is capped (``RLIMIT_AS``) and each document has a
wall-clock limit. A document past its time is E205 and the worker is killed; one that exhausts
the memory cap is E206 and the worker exits; any other death of the worker is E207. The next
document starts a fresh worker, so one hostile text never stops a batch.

This module does not import spaCy: the calling process stays small.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import multiprocessing
import os
import resource
import signal
import threading
from multiprocessing.connection import Connection
from typing import Any, Protocol

from hrdwatch.domain.records import CaseRecord
from hrdwatch.domain.source import Source
from hrdwatch.errors import Errors, ExtractionError, HrdwatchError
from hrdwatch.extract.limits import check_length

DEFAULT_TIMEOUT = 300.0
DEFAULT_MEMORY_MB = 768
#: loading the model can take much longer than one document on a busy machine
START_TIMEOUT = 300.0
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
_STOP_GRACE_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1


class RecordExtractor(Protocol):
    """What the ingest service needs: a record for a source."""

    def extract(self, source: Source) -> CaseRecord: ...


def _limit_memory(limit_mb: int) -> None:
    limit = limit_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _trim() -> None:
    """Give freed memory back to the system between documents (glibc keeps it otherwise)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the command that started it dies (even by SIGKILL),
    instead of finishing a long document for nobody. Linux only; elsewhere the closed pipe ends
    the worker at its next send or receive."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)


def _answer(extractor: Any, source: Source) -> tuple[Any, ...]:
    try:
        return ("ok", extractor.extract(source))
    except HrdwatchError as e:
        return ("error", e.code, e.fields)
    except MemoryError:
        return ("memory",)
    except Exception as e:  # noqa: BLE001 - any failure goes back to the caller, coded
        return ("failed", f"{type(e).__name__}: {e}")


def _serve(conn: Connection, model: str, memory_mb: int) -> None:
    """The worker: load the pipeline under the memory cap, then answer one document at a time
    until the pipe closes. After running out of memory it answers and exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle; it stops us
    _die_with_parent(os.getppid())
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    _limit_memory(memory_mb)
    try:
        from hrdwatch.extract.pipeline import Extractor

        extractor = Extractor(model=model, max_chars=2**62)
        extractor.nlp("en")
        conn.send(("ready",))
    except HrdwatchError as e:
        conn.send(("error", e.code, e.fields))
        return
    except MemoryError:
        conn.send(("memory",))
        return
    except OSError as e:  # under the cap, reading a file or mapping a library can fail this way
        if e.errno != errno.ENOMEM:
            raise
        conn.send(("memory",))
        return
    while True:
        try:
            source = conn.recv()
        except (EOFError, OSError):
            return
        reply = _answer(extractor, source)
        try:
            conn.send(reply)
        except MemoryError:
            reply = ("memory",)
            conn.send(reply)
        except OSError:  # the command is gone: nobody to answer
            return
        if reply[0] == "memory":
            return
        _trim()


class BoundedExtractor:
    """``extract(source)`` in a worker process with a time limit per document and a memory cap.

    Thread-safe (documents are handled one at a time). Use as a context manager, or call
    :meth:`close`, to stop the worker.
    """

    def __init__(
        self,
        *,
        model: str = "",
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        max_chars: int,
    ) -> None:
        self.model = model
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_chars = max_chars
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None

    def __enter__(self) -> BoundedExtractor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs (for tests and measurements)."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def extract(self, source: Source) -> CaseRecord:
        """The record of ``source``. E204 too long, E205 too slow, E206 out of memory, E207 the
        worker died; the pipeline's own coded errors come back unchanged."""
        check_length(source, max_chars=self.max_chars)
        with self._lock:
            conn = self._started(source.name)
            conn.send(source)
            reply = self._receive(conn, source.name, self.timeout)
        return self._unpack(reply, source.name)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _started(self, name: str) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._stop()
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=True)
        process = context.Process(target=_serve, args=(sender, self.model, self.memory_mb), daemon=True)
        process.start()
        sender.close()
        self._process, self._conn = process, receiver
        ready = self._receive(receiver, name, START_TIMEOUT)
        if ready[0] != "ready":
            self._unpack(ready, name)
        return receiver

    def _receive(self, conn: Connection, name: str, timeout: float) -> tuple[Any, ...]:
        try:
            if not conn.poll(timeout):
                self._stop()
                raise ExtractionError(Errors.E205, name=name, seconds=timeout)
            reply: tuple[Any, ...] = conn.recv()
        except (EOFError, OSError) as e:
            code = self._stop()
            if code == -signal.SIGABRT:  # native code (C++, Rust) aborts when an allocation fails
                raise ExtractionError(Errors.E206, name=name, limit_mb=self.memory_mb) from e
            raise ExtractionError(
                Errors.E207, name=name, reason=f"the worker process stopped (exit code {code})"
            ) from e
        if reply[0] == "memory":
            self._stop()
        return reply

    def _unpack(self, reply: tuple[Any, ...], name: str) -> CaseRecord:
        tag = reply[0]
        if tag == "ok":
            record: CaseRecord = reply[1]
            return record
        if tag == "memory":
            raise ExtractionError(Errors.E206, name=name, limit_mb=self.memory_mb)
        if tag == "error":
            raise ExtractionError(getattr(Errors, reply[1]), **reply[2])
        raise ExtractionError(Errors.E207, name=name, reason=reply[1] if len(reply) > 1 else tag)

    def _stop(self) -> int | None:
        """Stop the worker (if any) and return its exit code."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        process.join(0.5)  # a worker that read the closed pipe ends on its own
        if process.is_alive():
            process.kill()
        process.join(_STOP_GRACE_SECONDS)
        code: int | None = process.exitcode
        return code
