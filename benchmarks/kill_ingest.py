"""Kill ``hrdwatch ingest`` with SIGKILL at random moments; after each kill the database must be
whole: ``PRAGMA integrity_check`` is ``ok``, and every stored report has exactly the rows a clean
run stores for it (one transaction per report: all of it or nothing).

    python benchmarks/kill_ingest.py --kills 50

Each round writes a new batch of fictional reports (so there is always something to store),
starts one ingest of the batch on the same database, and kills it after a random delay drawn
between the moment a clean run stores its first report and the moment it ends (the writes).
Prints, per round, the delay and how many reports of the batch were stored; exits 1 on the first
damaged database.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "hrdwatch"
#: rows stored per report, by table (each table has a source_id column)
PER_SOURCE = ("incidents", "people", "organisations", "perpetrators", "sanctions", "demands", "evidence")
TEMPLATES = (
    "On {d} May 2025 police officers arrested {name}, a fictional journalist with the Quillon Press, "
    "in Nairobi, Kenya. On {d2} May 2025 a court fined {name} 50,000 shillings under Section 22 of "
    "the Computer Misuse Act. The Observatory calls for the release of {name}.\n",
    "Masked men assaulted {name}, a fictional lawyer, outside her office in Kampala, Uganda, on "
    "{d} June 2025. On {d2} June 2025 police raided the office of the Ferrow Legal Aid Centre and "
    "seized computers. {name} was charged with incitement.\n",
    "{name}, a fictional trade unionist, was detained on {d} April 2025 in Harare, Zimbabwe, and "
    "held incommunicado. On {d2} April 2025 he was sentenced to two years in prison.\n",
)


NAMES = ("Oskar Brandel", "Tamsin Varrow")


def write_batch(folder: Path, batch: int) -> list[Path]:
    """Six reports; the same six texts in every batch, told apart by their header id only (the
    header is metadata, so each report stores exactly the rows its text gives in any batch)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, template in enumerate(TEMPLATES * 2):
        body = template.format(name=NAMES[k % 2], d=1 + k, d2=10 + k)
        path = folder / f"b{batch:03d}-{k}.txt"
        path.write_text(f"id: kill-{batch:03d}-{k}\n\n{body}", encoding="utf-8")
        paths.append(path)
    return paths


def env_for(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRDWATCH_")}
    env["HRDWATCH_DB"] = f"sqlite:///{db}"
    return env


def row_counts(db: Path) -> dict[str, tuple[int, ...]]:
    """Per stored report (by file name): its row count in each table of :data:`PER_SOURCE`."""
    conn = sqlite3.connect(db)
    try:
        counts = {}
        for source_id, name in conn.execute("SELECT id, name FROM sources"):
            counts[Path(name).name] = tuple(
                conn.execute(f"SELECT count(*) FROM {table} WHERE source_id = ?", (source_id,)).fetchone()[0]
                for table in PER_SOURCE
            )
        return counts
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def template_of(name: str) -> str:
    return name.split("-", 1)[1]  # b007-5.txt -> 5.txt: the same text in every batch


def stored_count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM sources").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:  # not created or not migrated yet
        return 0


def reference(work: Path) -> tuple[dict[str, tuple[int, ...]], float, float]:
    """Row counts per template from a clean run, when it stored its first report, and its end."""
    db = work / "reference.db"
    batch = write_batch(work / "reference", 0)
    started = time.monotonic()
    proc = subprocess.Popen([str(SCRIPT), "ingest", *map(str, batch)], env=env_for(db))
    first = None
    while proc.poll() is None:
        if first is None and db.exists() and stored_count(db) > 0:
            first = time.monotonic() - started
        time.sleep(0.05)
    took = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit("the clean run failed")
    counts = {template_of(name): counts for name, counts in row_counts(db).items()}
    return counts, first if first is not None else 0.0, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        expected, first_store, clean_seconds = reference(work)
        print(
            f"clean run of {len(TEMPLATES) * 2} reports: first stored after {first_store:.1f} s, "
            f"done after {clean_seconds:.1f} s; kills land in between"
        )
        db = work / "killed.db"
        stored_total = 0
        for round_ in range(1, args.kills + 1):
            batch = write_batch(work / f"batch{round_}", round_)
            delay = rng.uniform(max(0.0, first_store - 0.5), clean_seconds)
            proc = subprocess.Popen(
                [str(SCRIPT), "ingest", *map(str, batch)],
                env=env_for(db),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if not db.exists():
                print(f"round {round_:3d}: killed after {delay:5.2f} s, before the database existed")
                continue
            check = integrity(db)
            counts = row_counts(db)
            wrong = {
                name: (got, expected[template_of(name)])
                for name, got in counts.items()
                if got != expected[template_of(name)]
            }
            stored = sum(1 for name in counts if name.startswith(f"b{round_:03d}-"))
            stored_total += stored
            print(
                f"round {round_:3d}: killed after {delay:5.2f} s, {stored} of {len(batch)} stored, "
                f"integrity {check}, half-stored reports {len(wrong)}"
            )
            if check != "ok" or wrong:
                print(f"DAMAGED: {wrong}")
                return 1
        print(
            f"{args.kills} kills: integrity ok every time, no half-stored report, "
            f"{stored_total} reports stored in all"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
