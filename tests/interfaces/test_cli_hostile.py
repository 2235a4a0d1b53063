"""``hrdwatch ingest`` over a folder of hostile files (tests/ingest/hostile.py), in one run of the
installed console script: bounded time, no traceback, a coded refusal for every hostile file,
nothing stored for them, the good report stored with its ``source.ingest`` audit event."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from sqlalchemy import create_engine, text

SCRIPT = Path(sys.executable).parent / "hrdwatch"
#: low limits so the whole corpus runs in about a minute; the defaults are far higher
ENV = {
    "HRDWATCH_PARSE_TIMEOUT": "5",
    "HRDWATCH_MAX_TEXT_CHARS": "200000",
    "HRDWATCH_EXTRACT_TIMEOUT": "120",
}
WALL_CLOCK_BOUND = 400  # seconds: "does not hang", not a speed test
_CODE = re.compile(r"^\[(E\d{3})\]")


def _hostile() -> ModuleType:
    path = Path(__file__).parents[1] / "ingest" / "hostile.py"
    spec = importlib.util.spec_from_file_location("hrdwatch_tests_hostile", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


hostile = _hostile()


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRDWATCH_")}
    env.update(ENV)
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=WALL_CLOCK_BOUND,
        check=False,
    )


def test_a_folder_of_hostile_files_is_refused_file_by_file(tmp_path: Path) -> None:
    corpus = hostile.write_corpus(tmp_path / "corpus", outside=tmp_path / "outside")
    db = tmp_path / "h.db"
    done = _run("ingest", str(corpus.folder), "--json", "--db", f"sqlite:///{db}", cwd=tmp_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    results = {r["name"]: r for r in json.loads(done.stdout)}
    assert set(results) == set(corpus.hostile) | {corpus.good}
    for name, codes in corpus.hostile.items():
        result = results[name]
        assert result["outcome"] == "failed", (name, result)
        found = _CODE.match(result["reason"] or "")
        assert found is not None and found.group(1) in codes, (name, result["reason"], codes)
    assert results[corpus.good]["outcome"] == "ingested"
    with create_engine(f"sqlite:///{db}").connect() as conn:
        names = conn.execute(text("SELECT name FROM sources")).scalars().all()
        events = conn.execute(text("SELECT action, actor, subject FROM audit_log")).all()
    assert names == [corpus.good]
    ingested = [(e.action, e.subject) for e in events if e.action == "source.ingest"]
    assert ingested == [("source.ingest", corpus.good)]  # (and the case file it opened)
    assert events[0].actor.startswith("cli:")


def test_extract_out_keeps_files_inside_the_folder(tmp_path: Path) -> None:
    """A report's header sets the record id; it must not name a path outside ``--out``."""
    report = tmp_path / "reports" / "r.txt"
    report.parent.mkdir()
    report.write_text("id: ../../escaped\n\n" + hostile.GOOD_REPORT.split("\n\n", 1)[1], encoding="utf-8")
    out = tmp_path / "out"
    done = _run("extract", str(report), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in out.iterdir()] == ["______escaped.json"]
    assert not (tmp_path / "escaped.json").exists()


def test_the_command_process_loads_no_model_and_no_parser(tmp_path: Path) -> None:
    """The model lives in the extraction worker and every reader in its child process; the
    command's own process (which holds the database) stays small. Was: spaCy, trafilatura, pypdf
    and langdetect's profiles (read for each text file) in it, about 100 MB more."""
    report = tmp_path / "r.txt"
    report.write_text(hostile.GOOD_REPORT, encoding="utf-8")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import hrdwatch.interfaces.cli.app, hrdwatch.interfaces.cli.render\n"
        "import hrdwatch.services.extraction, hrdwatch.services.ingest\n"
        "from hrdwatch.config import Settings\n"
        "from hrdwatch.ingest.registry import read_path\n"
        "if __name__ == '__main__':\n"
        f"    assert read_path(Path({str(report)!r}), settings=Settings(db='sqlite://')).language == 'en'\n"
        "    from langdetect import detector_factory\n"
        "    loaded = ['langdetect profiles'] if detector_factory._factory is not None else []\n"
        "    modules = ('spacy', 'thinc', 'trafilatura', 'pypdf', 'lxml')\n"
        "    print(sorted(m for m in modules if m in sys.modules) + loaded)\n"
    )
    script = tmp_path / "probe.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
