"""Audit chain cost: appends per second (one transaction each, as ``record_now`` does) from one
and from several threads, and how long ``verify_chain`` takes over the whole log.

Usage: ``python benchmarks/audit_chain.py [--rows N] [--threads T] [--db URL]``. Give only a
scratch database (it writes rows); the default is a temporary SQLite file, and the audit key goes
to a temporary file too.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hrdwatch-audit-bench-"))
    os.environ["HRDWATCH_AUDIT_KEY_FILE"] = str(folder / "audit.key")

    from sqlalchemy.orm import Session

    from hrdwatch.domain.audit import AuditAction, AuditRecord
    from hrdwatch.services.audit import record_now
    from hrdwatch.store.audit import audit_key, verify_chain
    from hrdwatch.store.engine import make_engine
    from hrdwatch.store.migrate import upgrade

    engine = make_engine(args.db or f"sqlite:///{folder / 'bench.db'}")
    upgrade(engine)
    event = AuditRecord(AuditAction.FACT_EDITED, "bench", target_table="acts", after={"act_type": "arrest"})

    def append(n: int) -> None:
        for _ in range(n):
            record_now(engine, event)

    start = time.perf_counter()
    append(args.rows)
    single = time.perf_counter() - start
    per_thread = args.rows // args.threads
    threads = [threading.Thread(target=append, args=(per_thread,)) for _ in range(args.threads)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    parallel = time.perf_counter() - start
    start = time.perf_counter()
    with Session(engine) as session:
        report = verify_chain(session, audit_key())
    verify = time.perf_counter() - start
    print(f"appends, 1 thread: {args.rows / single:.0f}/s ({args.rows} rows)")
    print(f"appends, {args.threads} threads: {per_thread * args.threads / parallel:.0f}/s")
    print(f"verify: {report.rows} rows in {verify:.2f} s ({report.rows / verify:.0f} rows/s), ok={report.ok}")
    engine.dispose()


if __name__ == "__main__":
    main()
