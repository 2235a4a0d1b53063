import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from hrdwatch.config import Settings
from hrdwatch.errors import InputRejected
from hrdwatch.ingest import SUPPORTED_SUFFIXES, discover, read_bytes, read_path
from hrdwatch.ingest.registry import choose_reader, sniff

MakePdf = Callable[..., bytes]
STORY = b"Rights defender Amara Velt, director of the fictional Lantern Rights Centre, was detained."


def rejected(path: Path, settings: Settings) -> InputRejected:
    with pytest.raises(InputRejected) as caught:
        read_path(path, settings=settings)
    return caught.value


@pytest.mark.parametrize(
    ("file", "reader", "media_type"),
    [
        ("report.txt", "text", "text/plain"),
        ("appeal.md", "text", "text/markdown"),
        ("article.html", "html", "text/html"),
    ],
)
def test_read_path_picks_the_reader(
    fixtures: Path, settings: Settings, file: str, reader: str, media_type: str
) -> None:
    path = fixtures / file
    source = read_path(path, settings=settings)
    assert (source.reader, source.media_type, source.name) == (reader, media_type, str(path))
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "Amara Velt" in source.text


def test_read_path_pdf(tmp_path: Path, settings: Settings, make_pdf: MakePdf) -> None:
    path = tmp_path / "report.pdf"
    lines = [
        "Rights defender Amara Velt, director of the fictional Lantern Rights Centre,",
        "was detained in Norvik on 3 March 2024 by officers of the city police.",
    ]
    path.write_bytes(make_pdf([lines]))
    source = read_path(path, settings=settings)
    assert (source.reader, source.media_type, source.language) == ("pdf", "application/pdf", "en")


def test_pdf_page_cap_comes_from_settings(tmp_path: Path, make_pdf: MakePdf) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf([["Page text."]] * 3))
    assert rejected(path, Settings(db="sqlite://", max_pdf_pages=2)).code == "E107"


def test_stdin_is_sniffed(settings: Settings, make_pdf: MakePdf, fixtures: Path) -> None:
    assert read_bytes(STORY, name="-", settings=settings).reader == "text"
    assert read_bytes(make_pdf([["Amara Velt was detained."]]), name="-", settings=settings).reader == "pdf"
    page = (fixtures / "article.html").read_bytes()
    assert read_bytes(page, name="-", settings=settings).reader == "html"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4\n", "pdf"),
        (b"\n  <!DOCTYPE HTML>\n<html>", "html"),
        (b"<html lang='en'>", "html"),
        (b"\xef\xbb\xbf<!-- saved page --><html>", "html"),
        (b"<p>a fragment</p>", None),
        (STORY, None),
    ],
)
def test_sniff(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


def test_sniffing_wins_over_the_suffix(make_pdf: MakePdf) -> None:
    assert choose_reader(make_pdf([["Text."]]), name="mislabelled.txt") == "pdf"
    assert choose_reader(b"<!doctype html><html></html>", name="saved.txt") == "html"


def test_unsupported_type_is_e111(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "scan.docx"
    path.write_bytes(b"PK\x03\x04 not a report")
    error = rejected(path, settings)
    assert error.code == "E111"
    assert error.fields["suffix"] == ".docx"


def test_missing_file_is_e113(tmp_path: Path, settings: Settings) -> None:
    assert rejected(tmp_path / "nowhere.txt", settings).code == "E113"


def test_folder_is_refused(tmp_path: Path, settings: Settings) -> None:
    assert rejected(tmp_path, settings).code == "E112"


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "E101"), (bytes(range(256)) * 64, "E103"), ("Défenseure".encode("latin-1"), "E104")],
)
def test_bad_text_files(tmp_path: Path, settings: Settings, data: bytes, code: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    assert rejected(path, settings).code == code


def test_html_without_text_is_e114(fixtures: Path, settings: Settings) -> None:
    assert rejected(fixtures / "menu-only.html", settings).code == "E114"


def test_huge_file_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    error = rejected(path, Settings(db="sqlite://"))
    assert error.code == "E102"
    assert error.fields["size"] == 200 * 1024 * 1024


def test_read_bytes_checks_the_size(settings: Settings) -> None:
    with pytest.raises(InputRejected) as caught:
        read_bytes(STORY, name="upload.txt", settings=Settings(db="sqlite://", max_bytes=10))
    assert caught.value.code == "E102"


def test_parse_timeout_comes_from_settings(fixtures: Path) -> None:
    assert rejected(fixtures / "article.html", Settings(db="sqlite://", parse_timeout=0.0001)).code == "E109"


def test_discover_expands_folders(tmp_path: Path) -> None:
    for name in ["b.txt", "a.html", "notes.docx", ".hidden.txt", "sub/c.pdf", "sub/d.MD", ".git/e.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(STORY)
    single = tmp_path / "notes.docx"
    found = discover([tmp_path, single, "-", tmp_path / "b.txt"])
    assert found == [
        tmp_path / "a.html",
        tmp_path / "b.txt",
        tmp_path / "sub" / "c.pdf",
        tmp_path / "sub" / "d.MD",
        single,
        Path("-"),
    ]


def test_discover_keeps_missing_paths_for_the_reader_to_report(tmp_path: Path) -> None:
    assert discover([tmp_path / "gone.txt"]) == [tmp_path / "gone.txt"]


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".html", ".htm", ".pdf"} <= SUPPORTED_SUFFIXES
