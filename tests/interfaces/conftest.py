"""CLI fixtures: a temporary SQLite database per test, fictional reports, and two ways to run
``hrdwatch``: in-process with Typer's ``CliRunner`` (fast) and as the installed console script
(for exit statuses and messages that only ``main()`` produces).

Every person, organisation and place name below is invented.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from hrdwatch.interfaces.cli.app import app

SCRIPT = Path(sys.executable).parent / "hrdwatch"
DB_COMMANDS = frozenset({"ingest", "list", "show", "export", "user", "audit"})
#: a folder of one good and several bad reports, a .docx beside it, and the code each bad one gets
BadBatch = tuple[Path, Path, dict[str, str]]

REPORT = """\
id: cli-001
title: Journalist Ilsa Morvane arrested and fined in Kenya
published: 2025-02-20
language: en

Kenya: journalist Ilsa Morvane arrested and fined

This appeal is fictional: every person and organisation in it is invented for the hrdwatch tests.

On 14 February 2025, police officers arrested Ilsa Morvane, a journalist with the Ember Rights \
Collective, at her home in Nairobi, Kenya. Officers seized her laptop and phone.

On 16 February 2025, a court convicted Ilsa Morvane of "spreading false information" under \
Section 22 of the Computer Misuse Act and fined her 200,000 shillings.

The Collective calls on the authorities to quash her conviction and return her belongings.
"""

SECOND_REPORT = """\
Uganda: lawyer Dario Kestrel detained in Kampala

This appeal is fictional: every person and organisation in it is invented for the hrdwatch tests.

On 2 May 2025, soldiers detained Dario Kestrel, a lawyer with the Juniper Legal Aid Network, \
outside a court in Kampala, Uganda. He was held for three days without charge and beaten.

The Network urges the authorities to investigate the beating of Dario Kestrel.
"""

FRENCH_REPORT = """\
Bénin : la journaliste Odile Varenne arrêtée à Cotonou

Cet appel est fictif : toutes les personnes et organisations citées sont inventées.

Le 3 mars 2025, des policiers ont arrêté la journaliste Odile Varenne devant les bureaux du \
Collectif Lumière à Cotonou, au Bénin. Elle a été interrogée pendant six heures sans avocat, \
puis condamnée le lendemain à une amende de 500 000 francs CFA pour « diffusion de fausses \
nouvelles ». Le Collectif demande l'annulation de sa condamnation.
"""


def _load_pdf_builder() -> Callable[..., bytes]:
    """``build_pdf`` from tests/ingest/conftest.py (loaded by path: every conftest is ``conftest``)."""
    path = Path(__file__).parents[1] / "ingest" / "conftest.py"
    spec = importlib.util.spec_from_file_location("hrdwatch_tests_ingest_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    builder: Callable[..., bytes] = module.build_pdf
    return builder


build_pdf = _load_pdf_builder()


@dataclass(frozen=True, slots=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass(frozen=True, slots=True)
class Cli:
    """Runs ``hrdwatch`` against one database; ``--db`` is added for the commands that take it."""

    db_url: str
    runner: CliRunner

    def _args(self, args: tuple[str, ...]) -> list[str]:
        argv = list(args)
        if argv and argv[0] in DB_COMMANDS and "--help" not in argv and "--db" not in argv:
            argv += ["--db", self.db_url]
        return argv

    def __call__(
        self, *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None
    ) -> Run:
        """In-process. Unexpected exceptions propagate so a bug shows its traceback."""
        result = self.runner.invoke(app, self._args(args), input=input, env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def script(self, *args: str, env: dict[str, str] | None = None) -> Run:
        """The installed console script, in a child process: what a user sees, exit status included."""
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("HRDWATCH_")}
        full_env.update(env or {})
        done = subprocess.run(
            [str(SCRIPT), *self._args(args)],
            capture_output=True,
            text=True,
            env=full_env,
            timeout=300,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No HRDWATCH_* variable or ``.env`` file of the developer's leaks into a test."""
    for name in list(os.environ):
        if name.startswith("HRDWATCH_"):
            monkeypatch.delenv(name)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(db_url=f"sqlite:///{tmp_path / 't.db'}", runner=CliRunner())


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "reports" / "morvane.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(REPORT, encoding="utf-8")
    return path


@pytest.fixture
def second_report(tmp_path: Path) -> Path:
    path = tmp_path / "reports" / "kestrel.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(SECOND_REPORT, encoding="utf-8")
    return path


@pytest.fixture
def french_report(tmp_path: Path) -> Path:
    path = tmp_path / "reports" / "varenne.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(FRENCH_REPORT, encoding="utf-8")
    return path


def _encrypted_pdf(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password="s3cret", owner_password="owner-s3cret", algorithm="AES-128")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def bad_batch(tmp_path: Path) -> BadBatch:
    """A folder with one good report and six bad files, a .docx beside it, and each bad file's code."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(REPORT, encoding="utf-8")
    pdf = build_pdf([["On 1 June 2025 police arrested the fictional lawyer Pell Ardent in Kampala."]])
    bad = {
        "empty.txt": (b"", "E101"),
        "garbage.txt": (bytes(range(256)) * 8 + b"\x00" * 64, "E103"),
        "latin1.txt": ("Arrestation de la défenseure à Lomé".encode("latin-1"), "E104"),
        "truncated.pdf": (pdf[: len(pdf) // 3], "E105"),
        "locked.pdf": (_encrypted_pdf(pdf), "E106"),
        "blank.html": (
            b"<!doctype html><html><head><title></title></head><body><div></div></body></html>",
            "E114",
        ),
    }
    codes = {}
    for name, (data, code) in bad.items():
        (folder / name).write_bytes(data)
        codes[name] = code
    docx = tmp_path / "appeal.docx"
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    codes["appeal.docx"] = "E111"
    return folder, docx, codes
