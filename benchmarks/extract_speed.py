"""Extraction speed: hrdwatch's full extractor against spaCy's bare English pipeline.

Both run in this process over the same report bodies (read with ``read_path``, header blocks
removed), after both pipelines are loaded and warmed up, so the figures compare processing only:

- ``hrdwatch``: ``Extractor().extract(source)``, one report at a time, as ``hrdwatch ingest`` does;
- ``spaCy``: ``spacy.load(model)`` with its default components, ``nlp.pipe(texts)``.

Each is run ``--repeat`` times and the fastest run counts. Tokens are counted once, with spaCy's
tokenizer (the extractor uses the same one). Usage: ``python benchmarks/extract_speed.py
[--corpus DIR] [--repeat N] [--model NAME]`` or ``make bench``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hrdwatch.domain.source import Source

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev" / "docs"


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    best: float
    mean: float


def best_of(name: str, repeat: int, run: Callable[[], object]) -> Timing:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return Timing(name, min(times), sum(times) / len(times))


def read_sources(corpus: Path) -> list[Source]:
    from hrdwatch.config import Settings
    from hrdwatch.errors import HrdwatchError
    from hrdwatch.ingest.registry import discover, read_path

    settings = Settings.from_env()
    sources = []
    for path in discover([corpus]):
        try:
            sources.append(read_path(path, settings=settings))
        except HrdwatchError as e:
            print(f"skipped: {e.detail}", file=sys.stderr)
    return sources


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of reports (recursive)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each pipeline; the fastest counts")
    parser.add_argument("--model", default="", help="spaCy model package (default: HRDWATCH_MODEL, else sm)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    import spacy

    from hrdwatch.config import Settings
    from hrdwatch.extract.pipeline import Extractor, english_model

    sources = read_sources(args.corpus)
    if not sources:
        print(f"no readable reports in {args.corpus}", file=sys.stderr)
        return 1
    texts = [s.text for s in sources]
    model = english_model(args.model or Settings.from_env().model)

    start = time.perf_counter()
    extractor = Extractor(model=model)
    for lang in sorted({s.language or "en" for s in sources}):
        extractor.nlp(lang)
    extractor.extract(sources[0])
    load_hrdwatch = time.perf_counter() - start
    start = time.perf_counter()
    nlp = spacy.load(model)
    tokens = sum(len(doc) for doc in nlp.pipe(texts))
    load_spacy = time.perf_counter() - start

    full = best_of("hrdwatch", args.repeat, lambda: [extractor.extract(s) for s in sources])
    bare = best_of(f"spaCy {model}", args.repeat, lambda: list(nlp.pipe(texts)))

    print(
        f"corpus: {args.corpus} ({len(sources)} reports, {sum(map(len, texts)):,} characters, "
        f"{tokens:,} tokens); model {model} (spaCy {spacy.__version__}); best of {args.repeat}"
    )
    print(f"load + warm-up: hrdwatch {load_hrdwatch:.2f} s, spaCy {load_spacy:.2f} s")
    print(f"{'pipeline':<28}{'seconds':>10}{'mean s':>10}{'docs/s':>10}{'tokens/s':>12}")
    for t in (full, bare):
        docs_s, tokens_s = len(sources) / t.best, tokens / t.best
        print(f"{t.name:<28}{t.best:>10.3f}{t.mean:>10.3f}{docs_s:>10.1f}{tokens_s:>12,.0f}")
    print(
        f"hrdwatch takes {full.best / bare.best:.2f}x the time of bare spaCy "
        f"({bare.best / full.best:.0%} of its throughput)"
    )
    return 0


if __name__ == "__main__":  # required: the HTML and PDF readers start a forkserver
    sys.exit(main())
