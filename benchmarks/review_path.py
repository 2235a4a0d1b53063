"""The path of one review decision from the service call to the database: which hrdwatch files it
passes through, how many times the call crosses between layers, and how many times it reads the
decided fact's row.

Usage: ``python benchmarks/review_path.py``. It extracts a short fictional report on a temporary
SQLite file, then traces ``review.decide`` (the function the API route and the web form call) for
one act with :func:`sys.setprofile` and counts the SQL statements that read that act by its id.
The route itself adds one file (``interfaces/api/routes/review.py`` or the web page) to the list.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

TEXT = (
    "On 3 March 2025, police officers in Valdora arrested Teodor Valk, a human rights lawyer, "
    "and detained him at the central police station.\n"
)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="hrdwatch-review-path-"))
    os.environ["HRDWATCH_AUDIT_KEY_FILE"] = str(folder / "audit.key")
    from sqlalchemy import event, select

    import hrdwatch
    from hrdwatch.domain.users import Principal, Role
    from hrdwatch.extract.pipeline import Extractor
    from hrdwatch.ingest.text import read_text
    from hrdwatch.services import review
    from hrdwatch.store import tables as t
    from hrdwatch.store.engine import make_engine
    from hrdwatch.store.migrate import upgrade
    from hrdwatch.store.uow import UnitOfWork

    engine = make_engine(f"sqlite:///{folder / 'path.db'}")
    upgrade(engine)
    source = read_text(TEXT.encode(), name="valdora.txt")
    record = Extractor().extract(source)
    with UnitOfWork(engine) as uow:
        source_id = uow.sources.add(source)
        uow.records.save(source_id, record)
        uow.commit()
        act_id = uow.session.scalar(select(t.Act.id).limit(1))
    assert act_id, "the fictional report gave no act"
    reads: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "acts" in statement and act_id in str(params):
            reads.append(statement)

    root = Path(hrdwatch.__file__).parent
    files: list[str] = []
    crossings = 0
    edges: dict[str, int] = {}

    def layer(path: str) -> str:
        return Path(path).relative_to(root).parts[0]

    def profile(frame, what, arg):  # type: ignore[no-untyped-def]
        nonlocal crossings
        if what != "call" or not frame.f_code.co_filename.startswith(str(root)):
            return
        name = str(Path(frame.f_code.co_filename).relative_to(root))
        if name not in files:
            files.append(name)
        caller = frame.f_back
        while caller is not None and not caller.f_code.co_filename.startswith(str(root)):
            caller = caller.f_back
        if caller is not None and layer(caller.f_code.co_filename) != layer(frame.f_code.co_filename):
            crossings += 1
            edge = f"{Path(caller.f_code.co_filename).relative_to(root)} -> {name}"
            edges[edge] = edges.get(edge, 0) + 1

    user = Principal("u1", "ilse.marrow", Role.EDITOR)
    sys.setprofile(profile)
    try:
        review.decide(engine, user, table="acts", fact_id=act_id, decision="accept")
    finally:
        sys.setprofile(None)
    print(f"files passed through ({len(files)} + the route):")
    for name in files:
        print(f"  {name}")
    print(f"calls that cross a layer boundary: {crossings}")
    for edge, n in edges.items():
        print(f"  {n:3d}  {edge}")
    print(f"SELECTs that read the decided act by its id: {len(reads)}")


if __name__ == "__main__":
    main()
