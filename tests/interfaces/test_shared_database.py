"""The web server and CLI commands on one SQLite file at the same time: no write is lost.

A real ``hrdwatch serve`` with two worker processes answers concurrent page loads and takes
writes (API tokens, uploads) while CLI processes add users and ingest reports on the same
database. Every write is visible to the server and to the CLI while both run, and in the file
once the server has stopped; ``PRAGMA integrity_check`` is ``ok``.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

SCRIPT = Path(sys.executable).parent / "hrdwatch"
PASSWORD = "fictional-stress-password"
PAGES = ("/incidents", "/api/v1/incidents", "/api/v1/sources", "/account", "/api/v1/tokens")
CLI_USERS = 4
CLI_REPORTS = 3
SERVER_TOKENS = 12
SERVER_UPLOADS = 2

REPORT = """\
On {day} March 2025, police officers arrested {name}, a fictional human rights lawyer with the
Lantern Rights Circle, at her office in Nairobi, Kenya. Officers seized her laptop.
On {later} March 2025 a court charged {name} with "spreading false information".
"""
NAMES = ("Oria Kestrel", "Bram Tollan", "Sefa Umbrin", "Ivo Marrat", "Lessa Quorn")


def _report(index: int) -> bytes:
    name = NAMES[index % len(NAMES)]
    return REPORT.format(day=index + 1, later=index + 3, name=f"{name} {index}").encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRDWATCH_")}
    env["HRDWATCH_DB"] = f"sqlite:///{db}"
    return env


def _cli(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], env=_env(db), input=stdin, capture_output=True, text=True, timeout=300
    )


@dataclass
class Tally:
    attempted: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    page_loads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[bytes]]]:
    db = tmp_path / "shared.db"
    made = _cli(db, "user", "add", "stress.admin", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    assert made.returncode == 0, made.stderr
    port = _free_port()
    proc = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), "--workers", "2"],
        env=_env(db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the server did not start")
    try:
        yield db, base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)


@contextmanager
def _client(base: str) -> Iterator[httpx.Client]:
    """A logged-in admin's browser session (the Origin header as a browser sends it)."""
    with httpx.Client(base_url=base, headers={"Origin": base}, timeout=120) as client:
        answer = client.post("/login", data={"username": "stress.admin", "password": PASSWORD})
        assert answer.status_code in (302, 303), answer.text
        yield client


def _load_pages(base: str, stop: threading.Event, tally: Tally) -> None:
    with _client(base) as client:
        while not stop.is_set():
            for page in PAGES:
                answer = client.get(page)
                with tally.lock:
                    tally.page_loads += 1
                    if answer.status_code != 200:
                        tally.failures.append(f"GET {page}: {answer.status_code}")


def _server_writes(base: str, tally: Tally) -> None:
    with _client(base) as client:
        for i in range(SERVER_TOKENS):
            name = f"stress-token-{i}"
            with tally.lock:
                tally.attempted.append(f"token:{name}")
            answer = client.post("/api/v1/tokens", json={"name": name})
            if answer.status_code != 201:
                tally.failures.append(f"token {name}: {answer.status_code} {answer.text[:200]}")
        for i in range(SERVER_UPLOADS):
            name = f"server-upload-{i}.txt"
            with tally.lock:
                tally.attempted.append(f"source:{name}")
            answer = client.post("/api/v1/sources", files=[("files", (name, _report(100 + i), "text/plain"))])
            if answer.status_code not in (200, 201):
                tally.failures.append(f"upload {name}: {answer.status_code} {answer.text[:200]}")


def _cli_writes(db: Path, folder: Path, tally: Tally) -> None:
    for i in range(CLI_USERS):
        name = f"stress.cli{i}"
        tally.attempted.append(f"user:{name}")
        made = _cli(db, "user", "add", name, "--role", "viewer", "--password-stdin", stdin=PASSWORD)
        if made.returncode != 0:
            tally.failures.append(f"user add {name}: {made.stderr[-300:]}")
        listed = _cli(db, "user", "list")  # a read-only command between writes (the README's flow)
        if listed.returncode != 0 or name not in listed.stdout:
            tally.failures.append(f"user list after {name}: {listed.stdout[-300:]} {listed.stderr[-300:]}")
    for i in range(CLI_REPORTS):
        path = folder / f"cli-report-{i}.txt"
        path.write_bytes(_report(i))
        tally.attempted.append(f"source:{path.name}")
        done = _cli(db, "ingest", str(path))
        if done.returncode != 0:
            tally.failures.append(f"ingest {path.name}: {done.stderr[-300:]}")


def _stored(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        found = {f"user:{n}" for (n,) in conn.execute("SELECT username FROM users")}
        found |= {f"token:{n}" for (n,) in conn.execute("SELECT name FROM api_tokens")}
        found |= {f"source:{Path(n).name}" for (n,) in conn.execute("SELECT name FROM sources")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return found
    finally:
        conn.close()


def test_server_and_cli_on_one_sqlite_file_lose_no_write(
    server: tuple[Path, str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    db, base, proc = server
    tally = Tally()
    stop = threading.Event()
    readers = [threading.Thread(target=_load_pages, args=(base, stop, tally)) for _ in range(4)]
    for reader in readers:
        reader.start()
    writer = threading.Thread(target=_server_writes, args=(base, tally))
    writer.start()
    _cli_writes(db, tmp_path, tally)
    writer.join(300)
    stop.set()
    for reader in readers:
        reader.join(60)
    assert tally.failures == []

    # while the server still runs: it sees what the CLI wrote, the CLI sees what the server wrote
    with _client(base) as client:
        users_page = client.get("/admin/users").text
        tokens = {t["name"] for t in client.get("/api/v1/tokens").json()}
        sources = client.get("/api/v1/sources", params={"per_page": 100}).json()
    assert all(f"stress.cli{i}" in users_page for i in range(CLI_USERS))
    assert {f"stress-token-{i}" for i in range(SERVER_TOKENS)} <= tokens
    assert sources["total"] == CLI_REPORTS + SERVER_UPLOADS
    logged = _cli(db, "audit", "--action", "token.created", "--limit", "1000", "--json")
    assert logged.returncode == 0, logged.stderr
    assert len(json.loads(logged.stdout)) == SERVER_TOKENS

    proc.terminate()
    proc.wait(timeout=60)
    attempted = set(tally.attempted)
    visible = _stored(db) & attempted
    print(f"\nwrites attempted {len(attempted)}, visible {len(visible)}, page loads {tally.page_loads}")
    assert visible == attempted
