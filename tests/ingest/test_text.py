import hashlib
from pathlib import Path

import pytest

from hrdwatch.errors import InputRejected
from hrdwatch.ingest.text import read_text

STORY = "Rights defender Amara Velt, director of the fictional Lantern Rights Centre, was detained in Norvik."


def test_corpus_report_header_goes_to_metadata(fixtures: Path) -> None:
    data = (fixtures / "report.txt").read_bytes()
    source = read_text(data, name="report.txt")
    assert source.text.startswith("Rights defender Amara Velt")
    assert "id: t001" not in source.text
    assert source.doc_id == "t001"
    assert source.title == "Norvik: Rights defender Amara Velt detained"
    assert source.url == "https://lantern-watch.example/news/amara-velt"
    assert source.publisher == "Lantern Watch"
    assert source.published is None
    assert source.metadata["declared_language"] == "en"
    assert source.language == "en"
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.size == len(data)
    assert (source.reader, source.media_type) == ("text", "text/plain")


def test_declared_language_does_not_override_detection() -> None:
    body = "La défenseure Amara Velt a été arrêtée à Norvik le 3 mars 2024 par la police municipale."
    source = read_text(f"id: t009\nlanguage: en\n\n{body}".encode(), name="t.txt")
    assert source.metadata["declared_language"] == "en"
    assert source.language == "fr"


def test_plain_text_without_header() -> None:
    source = read_text(STORY.encode(), name="plain.txt")
    assert source.text == STORY
    assert source.doc_id is None
    assert source.metadata == {}


def test_markdown_is_read_as_text(fixtures: Path) -> None:
    source = read_text((fixtures / "appeal.md").read_bytes(), name="appeal.md", media_type="text/markdown")
    assert "**Amara Velt**" in source.text
    assert source.media_type == "text/markdown"


def test_bom_is_stripped_and_newlines_normalised() -> None:
    source = read_text(b"\xef\xbb\xbfFirst line.\r\nSecond line.\rThird line.", name="w.txt")
    assert source.text == "First line.\nSecond line.\nThird line."


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"id: t010\n\n   \n"])
def test_empty_is_e101(data: bytes) -> None:
    with pytest.raises(InputRejected) as caught:
        read_text(data, name="empty.txt")
    assert caught.value.code == "E101"


@pytest.mark.parametrize(
    "data", [b"text with a NUL \x00 byte", bytes(range(1, 32)) * 20, b"\x01\x02\x03\x04abc"]
)
def test_binary_is_e103(data: bytes) -> None:
    with pytest.raises(InputRejected) as caught:
        read_text(data, name="blob.txt")
    assert caught.value.code == "E103"


def test_invalid_utf8_is_e104_with_offset() -> None:
    data = "Défenseure arrêtée".encode("latin-1")
    with pytest.raises(InputRejected) as caught:
        read_text(data, name="latin.txt")
    assert caught.value.code == "E104"
    assert caught.value.fields["offset"] == 1
    assert "latin.txt" in caught.value.detail
