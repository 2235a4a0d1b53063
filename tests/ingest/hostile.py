"""A corpus of hostile files, written from scratch into a folder (no downloads, nothing real).

``write_corpus(folder)`` writes every file below and returns what it wrote: for each hostile
file the error codes a correct reader may answer, and the one good (fictional) report that must
still be stored. ``python tests/ingest/hostile.py FOLDER`` writes the corpus for a manual run.

The PDFs are written byte by byte (page trees that loop, a decompression bomb, a truncated file,
an encryption dictionary), so no PDF library decides what they look like.
"""

from __future__ import annotations

import os
import random
import socket
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GOOD_NAME = "good-report.txt"
GOOD_REPORT = """\
title: Defender Talvi Orrin detained in Norvik

This report is fictional: every person and organisation in it is invented for the hrdwatch tests.

On 4 March 2025, police officers detained Talvi Orrin, a lawyer with the Saltmarsh Rights Circle,
at her office in Nairobi, Kenya. She was held for two days without charge.
"""
#: codes a reader may answer for a file it cannot read (the exact one depends on the parser)
UNREADABLE = frozenset({"E103", "E104", "E105", "E108", "E109", "E110", "E112", "E114"})


@dataclass(slots=True)
class Corpus:
    folder: Path
    #: display name (as hrdwatch prints it) -> codes that count as a correct refusal
    hostile: dict[str, frozenset[str]] = field(default_factory=dict)
    good: str = GOOD_NAME


def _pdf(objects: dict[int, bytes], *, root: int = 1, xref: bool = True, extra: str = "") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    start = len(out)
    size = max(objects) + 1
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets.get(number, 0)
    out += f"trailer\n<< /Size {size} /Root {root} 0 R {extra}>>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, *, compressed: bool = False) -> bytes:
    head = b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if compressed else b"")
    return head + data + b"\nendstream"


def pdf_page_tree_loop() -> bytes:
    """The page tree's kid is the tree itself."""
    return _pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"})


def pdf_deep_page_tree(depth: int = 5000) -> bytes:
    """A chain of ``depth`` nested page-tree nodes."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for number in range(2, depth + 2):
        objects[number] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (number + 1)
    objects[depth + 2] = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] >>" % (depth + 1)
    return _pdf(objects)


def pdf_bomb(megabytes: int = 400) -> bytes:
    """One page whose content stream inflates from about a megabyte to ``megabytes`` MB of text
    operators (no text, so nothing legitimate comes of it)."""
    squeezer = zlib.compressobj(9)
    chunk = b"0 0 m " * (1024 * 1024 // 6)
    packed = b"".join(squeezer.compress(chunk) for _ in range(megabytes)) + squeezer.flush()
    return _pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            4: _stream(packed, compressed=True),
        }
    )


def pdf_many_pages(count: int = 100_000) -> bytes:
    """A page tree claiming ``count`` pages, all the same page object."""
    kids = b" ".join(b"3 0 R" for _ in range(count))
    return _pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        }
    )


def pdf_encrypted() -> bytes:
    """An encryption dictionary with a user password nobody knows."""
    encrypt = b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <%s> /U <%s> >>" % (
        b"11" * 32,
        b"22" * 32,
    )
    return _pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            5: encrypt,
        },
        extra="/Encrypt 5 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ",
    )


def pdf_truncated() -> bytes:
    whole = _pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            4: _stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
        }
    )
    return whole[: len(whole) // 2]


def pdf_object_loop() -> bytes:
    """Objects whose /Length and content refer to each other, and no xref table."""
    return _pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources 3 0 R >>",
            4: b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream",
        },
        xref=False,
    )


def entity_bomb(count: int = 1_000_000) -> bytes:
    return (
        b"<!doctype html><html><body><article><p>"
        + b"&amp;&#x41;&lt;" * (count // 3)
        + b"</p></article></body></html>"
    )


def billion_laughs() -> bytes:
    lines = [b'<?xml version="1.0"?>', b"<!DOCTYPE html [", b'  <!ENTITY lol0 "lol">']
    for level in range(1, 10):
        refs = b"".join(b"&lol%d;" % (level - 1) for _ in range(10))
        lines.append(b'  <!ENTITY lol%d "%s">' % (level, refs))
    lines += [b"]>", b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>']
    return b"\n".join(lines)


def nested_html(depth: int = 10_000) -> bytes:
    return b"<!doctype html><html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>"


def random_bytes(size: int, *, seed: int, alphabet: bytes | None = None) -> bytes:
    rng = random.Random(seed)
    if alphabet is None:
        return rng.randbytes(size)
    return bytes(rng.choice(alphabet) for _ in range(size))


def _write(folder: Path, name: str | bytes, data: bytes) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    path.write_bytes(data)
    return path


def _name(folder: Path, name: str | bytes) -> str:
    """How hrdwatch names the file in its output (see ``hrdwatch.ingest.files.display_name``)."""
    from hrdwatch.ingest.files import display_name

    return display_name(Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name)))))


def _files() -> list[tuple[str | bytes, Callable[[], bytes], frozenset[str]]]:
    text_codes = frozenset({"E103", "E104"})
    high_bytes = bytes(range(0x80, 0x100))
    utf16 = "Talvi Orrin was detained.\n".encode("utf-16-le") * 200
    utf32 = "Talvi Orrin was detained.\n".encode("utf-32-le") * 200
    return [
        ("binary-png.md", lambda: b"\x89PNG\r\n\x1a\n" + random_bytes(300_000, seed=1), text_codes),
        ("binary-high.md", lambda: random_bytes(2_000_000, seed=2, alphabet=high_bytes), text_codes),
        ("binary.htm", lambda: random_bytes(3_000_000, seed=3), UNREADABLE),
        ("binary-high.htm", lambda: random_bytes(3_000_000, seed=4, alphabet=high_bytes), UNREADABLE),
        ("binary.pdf", lambda: random_bytes(2_000_000, seed=5), UNREADABLE),
        ("binary-header.pdf", lambda: b"%PDF-1.7\n" + random_bytes(2_000_000, seed=6), UNREADABLE),
        ("nul-bytes.txt", lambda: b"Talvi Orrin was detained.\x00" * 1000, text_codes),
        ("utf16-bom.txt", lambda: b"\xff\xfe" + utf16, text_codes),
        ("utf16-nobom.txt", lambda: utf16, text_codes),
        ("utf32-bom.txt", lambda: b"\xff\xfe\x00\x00" + utf32, text_codes),
        ("utf32-nobom.txt", lambda: utf32, text_codes),
        ("one-line-5mb.txt", lambda: b"lorem ipsum dolor " * 290_000, frozenset({"E204"})),
        ("one-line-letters.md", lambda: b"x" * 900_000, frozenset({"E204", "E208"})),
        ("symbols.txt", lambda: b"&<>|#@ 12 " * 15_000, frozenset({"E208"})),
        (
            "huge-under-cap.txt",
            lambda: b"Talvi Orrin was detained in Norvik.\n" * 500_000,
            frozenset({"E204"}),
        ),
        ("entity-bomb.html", entity_bomb, UNREADABLE | {"E204", "E208"}),
        ("billion-laughs.xhtml", billion_laughs, frozenset({"E117"})),
        ("nested.html", nested_html, UNREADABLE),
        ("page-tree-loop.pdf", pdf_page_tree_loop, UNREADABLE),
        ("deep-page-tree.pdf", pdf_deep_page_tree, UNREADABLE),
        ("bomb.pdf", pdf_bomb, UNREADABLE),
        ("many-pages.pdf", pdf_many_pages, UNREADABLE | {"E107"}),
        ("object-loop.pdf", pdf_object_loop, UNREADABLE),
        ("truncated.pdf", pdf_truncated, UNREADABLE),
        ("encrypted.pdf", pdf_encrypted, UNREADABLE | {"E106"}),
        ("empty.txt", lambda: b"", frozenset({"E101"})),
        ("whitespace.md", lambda: b" \n\t\n \r\n" * 100, frozenset({"E101"})),
        ("header-only.txt", lambda: b"title: nothing\n\n", frozenset({"E101"})),
        (b"bad-\xff\xfe-name.txt", lambda: b"   ", frozenset({"E101"})),
        ("new\nline.txt", lambda: b"", frozenset({"E101"})),
        ("-leading-dash.txt", lambda: b"\x00\x01", frozenset({"E103"})),
        ("long-" + "n" * 240 + ".txt", lambda: b"", frozenset({"E101"})),
    ]


def _specials(folder: Path, outside: Path, corpus: Corpus) -> None:
    """Links leaving the folder, a FIFO, a socket."""
    secret = outside / "secret.txt"
    secret.write_text("Talvi Orrin's address is not for the database.\n" * 10, encoding="utf-8")
    for name, target in [
        ("link-passwd.txt", "/etc/passwd"),
        ("link-shadow.txt", "/etc/shadow"),
        ("link-proc.txt", "/proc/self/status"),
        ("link-zero.txt", "/dev/zero"),
        ("link-outside.txt", str(secret)),
        ("link-relative.md", os.path.relpath(secret, folder)),
    ]:
        os.symlink(target, folder / name)
        corpus.hostile[_name(folder, name)] = frozenset({"E115"})
    os.symlink(folder / "dangling-target.txt", folder / "link-dangling.txt")
    corpus.hostile[_name(folder, "link-dangling.txt")] = frozenset({"E113"})
    os.mkfifo(folder / "fifo.txt")
    corpus.hostile[_name(folder, "fifo.txt")] = frozenset({"E116"})
    os.symlink(folder / "fifo.txt", folder / "link-to-fifo.txt")
    corpus.hostile[_name(folder, "link-to-fifo.txt")] = frozenset({"E116"})
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(os.fspath(folder / "socket.txt"))
        corpus.hostile[_name(folder, "socket.txt")] = frozenset({"E116"})
    except OSError:  # a path too long for a socket address: nothing to test then
        pass
    finally:
        server.close()


def write_corpus(folder: Path, *, outside: Path) -> Corpus:
    """Write the hostile corpus and one good report into ``folder``; ``outside`` (a folder that
    is not inside ``folder``) receives the file that links point to."""
    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder)
    for name, make, codes in _files():
        _write(folder, name, make())
        corpus.hostile[_name(folder, name)] = codes
    _specials(folder, outside, corpus)
    (folder / GOOD_NAME).write_text(GOOD_REPORT, encoding="utf-8")
    corpus.good = _name(folder, GOOD_NAME)
    return corpus


if __name__ == "__main__":
    target = Path(sys.argv[1])
    written = write_corpus(target / "corpus", outside=target / "outside")
    print(f"{len(written.hostile)} hostile files and {written.good} in {written.folder}")
