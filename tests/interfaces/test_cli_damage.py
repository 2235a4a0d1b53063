"""A damaged database file ends any command with one coded line, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "hrdwatch"


def _run(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRDWATCH_")}
    env["HRDWATCH_DB"] = f"sqlite:///{db}"
    return subprocess.run(
        [str(SCRIPT), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_a_damaged_page_under_any_command_is_e311(tmp_path: Path) -> None:
    db = tmp_path / "damaged.db"
    for name in ("fict.alpha", "fict.beta"):
        made = _run(
            db, "user", "add", name, "--role", "viewer", "--password-stdin", stdin="a fictional password"
        )
        assert made.returncode == 0, made.stderr
    conn = sqlite3.connect(db)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'users'").fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with db.open("r+b") as f:  # the users table's page, overwritten on disk
        f.seek((root - 1) * size)
        f.write(b"\xff" * size)
    for command in (["user", "list"], ["user", "set", "fict.alpha", "--role", "editor"]):
        run = _run(db, *command)
        assert run.returncode == 2, (command, run.stderr)
        assert "Traceback" not in run.stderr
        assert "[E311]" in run.stderr or "[E318]" in run.stderr, run.stderr
    assert "[E311]" in _run(db, "user", "list").stderr
