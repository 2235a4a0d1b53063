"""Hostile corpus: ``hrdwatch ingest`` over the files of ``tests/ingest/hostile.py``.

Writes the corpus into a temporary folder (plus, when ``../shared/corpus`` is there, one long
ordinary report of about 300,000 characters built from its dev documents, to load extraction),
then runs the installed ``hrdwatch`` console script:

1. once over the whole folder, sampling the resident memory of its whole process tree (the
   command, the parser forkserver and its children, the extraction worker) every 50 ms;
2. once per file (``--per-file``, the default), for the longest time one file takes (each of
   these runs includes starting Python, about a second).

It prints: files, outcomes, refusals by code, tracebacks, the exit status, the longest time for
one file, the peak memory of the process tree (the sum of every process's RSS at one moment,
which counts shared pages in each process, and the sum of their PSS, which counts them once) and
the RSS of its biggest process.
Usage: ``python benchmarks/hostile_ingest.py [--no-per-file] [--keep DIR]``; ``HRDWATCH_*``
settings in the environment apply (the defaults otherwise).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "hrdwatch"
DEV_DOCS = ROOT.parent / "shared" / "corpus" / "dev" / "docs"
LONG_CHARS = 300_000
_CODE = re.compile(r"^\[(E\d{3})\]")


def _hostile() -> ModuleType:
    path = ROOT / "tests" / "ingest" / "hostile.py"
    spec = importlib.util.spec_from_file_location("hrdwatch_bench_hostile", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _long_report(folder: Path) -> None:
    bodies = [p.read_text(encoding="utf-8").split("\n\n", 1)[-1] for p in sorted(DEV_DOCS.glob("*.txt"))]
    if not bodies:
        return
    text = ""
    while len(text) < LONG_CHARS:
        text += "\n\n".join(bodies) + "\n\n"
    (folder / "long-ordinary-300k.txt").write_text(text[:LONG_CHARS], encoding="utf-8")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of ``pid`` in kB; PSS shares each shared page among the processes using it."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _name(pid: int) -> str:
    """What a process of the tree is: the command, the parser server, a reader child, the
    extraction worker or multiprocessing's resource tracker."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            line = handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return str(pid)
    for marker, label in [
        ("forkserver", "parser server or reader"),
        ("spawn_main", "extraction worker"),
        ("resource_tracker", "resource tracker"),
    ]:
        if marker in line:
            return label
    return "command"


class TreeSampler(threading.Thread):
    """Peak resident memory of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_tree_kb = 0
        self.peak_tree_pss_kb = 0
        self.peak_one_kb = 0
        self.most_processes = 0
        self.at_peak: list[tuple[str, int, int]] = []  # (process, RSS kB, PSS kB) at the PSS peak
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            tree, pids, todo = _children(), [], [self.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(tree.get(pid, []))
            sizes = [_memory_kb(pid) for pid in pids]
            self.peak_tree_kb = max(self.peak_tree_kb, sum(rss for rss, _ in sizes))
            if sum(pss for _, pss in sizes) > self.peak_tree_pss_kb:
                self.peak_tree_pss_kb = sum(pss for _, pss in sizes)
                self.at_peak = [(_name(pid), rss, pss) for pid, (rss, pss) in zip(pids, sizes, strict=True)]
            self.peak_one_kb = max(self.peak_one_kb, *(rss for rss, _ in sizes))
            self.most_processes = max(self.most_processes, len(pids))
            time.sleep(0.05)


def _run(
    args: list[str], env: dict[str, str], *, sample: bool = False
) -> tuple[subprocess.CompletedProcess[str], TreeSampler | None, float]:
    started = time.monotonic()
    process = subprocess.Popen(
        [str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    sampler = TreeSampler(process.pid) if sample else None
    if sampler:
        sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.monotonic() - started
    if sampler:
        sampler.done.set()
        sampler.join()
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return done, sampler, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-per-file", dest="per_file", action="store_false", help="skip the per-file runs")
    parser.add_argument("--keep", type=Path, help="write the corpus and database here and keep them")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="hrdwatch-hostile-"))
    corpus = _hostile().write_corpus(work / "corpus", outside=work / "outside")
    _long_report(corpus.folder)
    env = dict(os.environ)
    db = f"sqlite:///{work / 'hostile.db'}"

    done, sampler, elapsed = _run(["ingest", str(corpus.folder), "--json", "--db", db], env, sample=True)
    results = json.loads(done.stdout or "[]")
    outcomes = Counter(r["outcome"] for r in results)
    codes = Counter(
        (m.group(1) if (m := _CODE.match(r["reason"] or "")) else "uncoded")
        for r in results
        if r["outcome"] == "failed"
    )
    tracebacks = done.stderr.count("Traceback")
    print(f"files: {len(results)} ({len(corpus.hostile)} hostile); outcomes: {dict(outcomes)}")
    print("refusals by code: " + ", ".join(f"{code} {n}" for code, n in sorted(codes.items())))
    print(f"one run over the folder: {elapsed:.1f} s, exit status {done.returncode}, tracebacks {tracebacks}")
    assert sampler is not None
    print(
        f"peak RSS of the process tree: {sampler.peak_tree_kb / 1024:.0f} MB summed, "
        f"{sampler.peak_tree_pss_kb / 1024:.0f} MB PSS (shared pages counted once); biggest process "
        f"{sampler.peak_one_kb / 1024:.0f} MB; up to {sampler.most_processes} processes"
    )
    print(
        "at the peak: "
        + ", ".join(f"{name} {rss / 1024:.0f}/{pss / 1024:.0f}" for name, rss, pss in sampler.at_peak)
        + " (MB RSS/PSS)"
    )
    if not options.per_file:
        return
    times = []
    for path in sorted(corpus.folder.iterdir()):
        one, _, seconds = _run(["ingest", str(path), "--db", f"sqlite:///{work / 'one.db'}"], env)
        tracebacks += one.stderr.count("Traceback")
        times.append((seconds, path.name))
    slowest = sorted(times, reverse=True)[:5]
    print(f"tracebacks over all runs: {tracebacks}")
    print(
        "longest time for one file (own process each): " + ", ".join(f"{n!r} {s:.1f} s" for s, n in slowest)
    )


if __name__ == "__main__":
    main()
