"""Files on disk read without trusting them: links out of the folder, FIFOs, sockets, odd names."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from hrdwatch.config import Settings
from hrdwatch.errors import InputRejected
from hrdwatch.ingest.files import FoundFile, display_name
from hrdwatch.ingest.registry import discover_files, read_path

STORY = b"On 3 March 2025 police detained Amara Velt, a lawyer, in Norvik.\n"


def _code(path: Path | FoundFile, settings: Settings) -> str:
    with pytest.raises(InputRejected) as caught:
        read_path(path, settings=settings)
    return caught.value.code


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inside = tmp_path / "reports"
    inside.mkdir()
    (tmp_path / "private.txt").write_bytes(STORY)
    (inside / "real.txt").write_bytes(STORY)
    return inside


def _found(folder: Path, name: str) -> FoundFile:
    return next(f for f in discover_files([folder]) if f.path.name == name)


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/status", "../private.txt"])
def test_a_link_leaving_the_folder_is_e115(folder: Path, settings: Settings, target: str) -> None:
    os.symlink(target, folder / "link.txt")
    assert _code(_found(folder, "link.txt"), settings) == "E115"


def test_a_link_inside_the_folder_is_read(folder: Path, settings: Settings) -> None:
    os.symlink("real.txt", folder / "alias.txt")
    assert read_path(_found(folder, "alias.txt"), settings=settings).text == STORY.decode()


def test_a_link_to_a_device_is_refused_without_reading(folder: Path, settings: Settings) -> None:
    os.symlink("/dev/zero", folder / "zero.txt")
    assert _code(_found(folder, "zero.txt"), settings) == "E115"
    os.symlink("zero.txt", folder / "zero2.txt")  # a link to a link that leaves
    assert _code(_found(folder, "zero2.txt"), settings) == "E115"


def test_a_file_named_directly_is_held_to_its_own_folder(folder: Path, settings: Settings) -> None:
    """``hrdwatch ingest reports/*.txt`` names each file: a link among them must not leave."""
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink("real.txt", folder / "alias.txt")
    assert _code(folder / "passwd.txt", settings) == "E115"
    assert read_path(folder / "alias.txt", settings=settings).text == STORY.decode()


def _in_thread(call: object) -> list[object]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())  # type: ignore[operator]
        except InputRejected as e:
            outcome.append(e.code)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "reading blocked"
    return outcome


def test_a_fifo_is_e116_and_never_blocks(folder: Path, settings: Settings) -> None:
    os.mkfifo(folder / "pipe.txt")
    os.symlink("pipe.txt", folder / "to-pipe.txt")
    assert _in_thread(lambda: read_path(_found(folder, "pipe.txt"), settings=settings)) == ["E116"]
    assert _in_thread(lambda: read_path(_found(folder, "to-pipe.txt"), settings=settings)) == ["E116"]


def test_a_socket_is_e116(tmp_path: Path, settings: Settings) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(os.fspath(tmp_path / "s.txt"))
    try:
        assert _code(tmp_path / "s.txt", settings) == "E116"
    finally:
        server.close()


def test_names_that_are_not_utf8_are_read_and_printable(tmp_path: Path, settings: Settings) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9\nreport.txt")
    with open(raw, "wb") as handle:
        handle.write(STORY)
    (found,) = discover_files([tmp_path])
    source = read_path(found, settings=settings)
    assert source.name.endswith("caf\\xe9\\nreport.txt")
    source.name.encode("utf-8")  # storable and printable as it is


def test_display_name_shortens_very_long_names() -> None:
    name = display_name("x" * 5000 + ".txt")
    assert len(name) < 400 and name.endswith(".txt")


def test_files_found_in_a_folder_remember_it(folder: Path) -> None:
    direct = folder / "real.txt"
    assert discover_files([folder, direct]) == [FoundFile(direct, root=folder)]
    assert discover_files([direct]) == [FoundFile(direct)]
