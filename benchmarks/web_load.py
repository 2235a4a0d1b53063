"""Web load: requests/s and latency of the incidents list and an incident page, 10,000 incidents.

One run, one process tree: a temporary SQLite database is filled with ``--incidents`` verified
incidents (``--per-source`` per report, each with two acts, a victim and evidence), an editor
logs in, and ``hrdwatch serve`` is started on loopback in a child process. Then ``--clients``
concurrent clients (asyncio + httpx, one connection each) request each route for ``--seconds``:

- ``/healthz``: the baseline, the cheapest route the same app serves;
- ``/incidents`` (the list page, first page, newest first) and ``/incidents?q=...`` (search);
- ``/incidents/{id}`` (an incident page) and the API's ``/api/v1/incidents`` and its detail.

Results are printed as requests/s, p50 and p95 latency, and the ratio of each route's throughput
to ``/healthz`` measured in the same run. Usage: ``python benchmarks/web_load.py`` or
``make bench-web``; ``--incidents 1000 --seconds 2`` for a quick look.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark passphrase long"
COUNTRIES = ["BY", "RU", "TR", "EG", "NI", "AZ", "IR", "KH", "VN", "BD"]
ACTS = ["arrest", "detention", "judicial_harassment", "fine", "raid", "threat", "assault", "travel_ban"]
FIRST = ["Arlo", "Bex", "Cyra", "Dov", "Esme", "Fen", "Gil", "Hana", "Ivo", "Juno", "Kit", "Lio"]
LAST = ["Marrow", "Quill", "Stellan", "Varga", "Orrin", "Pell", "Tamsin", "Wrenley", "Yarrow", "Zell"]


@dataclass(frozen=True, slots=True)
class Result:
    route: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def seed(engine: Engine, *, incidents: int, per_source: int) -> list[str]:
    """Fill the database with verified incidents through bulk inserts; return the incident ids."""
    from hrdwatch.store import tables as t

    rng = random.Random(7)
    now = datetime.now(UTC)
    sources, people, incs, acts, evidence = [], [], [], [], []
    for s in range(0, incidents, per_source):
        sid = t.new_id()
        text = " ".join(
            f"{rng.choice(FIRST)} {rng.choice(LAST)}, a defender, was arrested by police on {d + 1} March."
            for d in range(per_source)
        )
        sources.append(
            dict(
                id=sid,
                name=f"report-{s}.txt",
                sha256=f"{s:064x}",
                size=len(text),
                media_type="text/plain",
                reader="text",
                language="en",
                title=f"Urgent appeal {s}",
                metadata={},
                text=text,
                ingested_at=now,
            )
        )
        for k in range(min(per_source, incidents - s)):
            pid, iid = t.new_id(), t.new_id()
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            people.append(dict(id=pid, source_id=sid, name=name, aliases=[], review_status="accepted"))
            day = now.date() - timedelta(days=rng.randrange(3650))
            incs.append(
                dict(
                    id=iid,
                    source_id=sid,
                    date=day.isoformat(),
                    date_precision="day",
                    country=rng.choice(COUNTRIES),
                    city="Capital",
                    status="verified",
                    review_status="accepted",
                    created_at=now - timedelta(seconds=len(incs)),
                    confidential_fields=[],
                    verified_at=now,
                    verified_by="bench",
                )
            )
            for act in rng.sample(ACTS, 2):
                aid = t.new_id()
                acts.append(
                    dict(
                        id=aid, incident_id=iid, victim_person_id=pid, act_type=act, review_status="accepted"
                    )
                )
                start = k * 10
                evidence.append(
                    dict(
                        id=t.new_id(),
                        source_id=sid,
                        fact_table="acts",
                        fact_id=aid,
                        field=f"act:{act}",
                        start=start,
                        end=start + 8,
                        quote=text[start : start + 8],
                        stage="bench",
                        rule="",
                    )
                )
    with engine.begin() as conn:
        for table, rows in (
            (t.Source, sources),
            (t.Person, people),
            (t.Incident, incs),
            (t.Act, acts),
            (t.Evidence, evidence),
        ):
            for i in range(0, len(rows), 2000):
                conn.execute(insert(table), rows[i : i + 2000])
    return [row["id"] for row in incs]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRDWATCH_")}
    command = [
        sys.executable,
        "-m",
        "hrdwatch.interfaces.cli.app",
        "serve",
        "--db",
        db_url,
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start: {server.stderr.read().decode() if server.stderr else ''}")


async def hammer(base: str, route: str, *, clients: int, seconds: float, cookie: str) -> Result:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, cookies={"hrdwatch_session": cookie}, timeout=30) as http:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                response = await http.get(route)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return Result(route, len(latencies), errors, elapsed, statistics.median(ordered) * 1000, p95 * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--per-source", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=1, help="hrdwatch serve --workers (default 1)")
    args = parser.parse_args()

    from hrdwatch.config import Settings
    from hrdwatch.services import accounts
    from hrdwatch.services.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'load.db'}"
        settings = Settings(db=db_url)
        engine = open_database(settings)
        began = time.perf_counter()
        ids = seed(engine, incidents=args.incidents, per_source=args.per_source)
        print(f"seeded {len(ids):,} incidents in {time.perf_counter() - began:.1f} s")
        accounts.create_user(
            engine, accounts.cli_principal("bench"), username="bench.editor", password=PASSWORD, role="editor"
        )
        cookie = accounts.login(engine, settings, username="bench.editor", password=PASSWORD).session_secret
        engine.dispose()
        port = free_port()
        server = start_server(db_url, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            middle = ids[len(ids) // 2]
            routes = [
                "/healthz",
                "/incidents",
                "/incidents?q=Varga",
                f"/incidents/{middle}",
                "/api/v1/incidents",
                f"/api/v1/incidents/{middle}",
            ]
            results = []
            for route in routes:
                asyncio.run(hammer(base, route, clients=args.clients, seconds=1.0, cookie=cookie))  # warm up
                results.append(
                    asyncio.run(
                        hammer(base, route, clients=args.clients, seconds=args.seconds, cookie=cookie)
                    )
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    baseline = results[0].rate
    print(
        f"\n{args.clients} concurrent clients, {args.seconds:.0f} s per route, {len(ids):,} incidents, "
        f"{args.workers} server worker(s), {os.cpu_count()} CPUs"
    )
    print(f"{'route':<52} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'vs /healthz':>12}")
    for r in results:
        shown = r.route if len(r.route) < 52 else r.route[:49] + "..."
        print(
            f"{shown:<52} {r.rate:8.1f} {r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.errors:7d} "
            f"{r.rate / baseline:12.2f}"
        )


if __name__ == "__main__":
    main()
