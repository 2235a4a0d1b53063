from pathlib import Path

import pytest

from hrdwatch.errors import InputRejected
from hrdwatch.ingest.html import declared_charset, read_html


@pytest.fixture
def article(fixtures: Path) -> bytes:
    return (fixtures / "article.html").read_bytes()


def test_article_text_is_kept(article: bytes) -> None:
    source = read_html(article, name="article.html")
    assert "was detained in Norvik on 3 March 2024" in source.text
    assert "pre-trial detention for two months" in source.text
    assert "release Amara Velt immediately" in source.text
    assert (source.reader, source.media_type, source.language) == ("html", "text/html", "en")


@pytest.mark.parametrize(
    "chrome", ["cookies", "Accept", "Share on Facebook", "Donate today", "Our campaigns menu", "newsletter"]
)
def test_page_chrome_is_dropped(article: bytes, chrome: str) -> None:
    assert chrome not in read_html(article, name="article.html").text


def test_page_metadata(article: bytes) -> None:
    source = read_html(article, name="article.html")
    assert source.title == "Norvik: Rights defender Amara Velt detained"
    assert source.published == "2024-03-05"
    assert source.url == "https://lantern-watch.example/news/amara-velt-detained"
    assert source.publisher == "Lantern Watch"
    assert source.metadata["author"] == "Lantern Watch Desk"
    assert source.metadata["declared_language"] == "en"


def test_declared_charset_is_used() -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Norvik</title></head><body><article>'
        "<p>La défenseure Amara Velt a été arrêtée à Norvik le 3 mars 2024 par la police.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    assert declared_charset(page) == "iso8859-1"
    assert "défenseure Amara Velt a été arrêtée" in read_html(page, name="fr.html").text


def test_undeclared_charset_is_utf8() -> None:
    page = "<html><body><p>Défenseure arrêtée à Norvik le 3 mars 2024.</p></body></html>".encode()
    assert declared_charset(page) is None
    assert "Défenseure arrêtée" in read_html(page, name="u.html").text


def test_page_without_main_text_is_e114(fixtures: Path) -> None:
    with pytest.raises(InputRejected) as caught:
        read_html((fixtures / "menu-only.html").read_bytes(), name="menu-only.html")
    assert caught.value.code == "E114"


def test_empty_page_is_e101() -> None:
    with pytest.raises(InputRejected) as caught:
        read_html(b"  \n", name="blank.html")
    assert caught.value.code == "E101"


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE html [ <!ENTITY lol "lol"> <!entity lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"> ]>
<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol1;</p></body></html>"""


def test_a_page_declaring_entities_is_e117() -> None:
    """Was: stored as a report whose whole text was ``&lol1;`` (a "billion laughs" page)."""
    with pytest.raises(InputRejected) as caught:
        read_html(LAUGHS, name="laughs.xhtml")
    assert caught.value.code == "E117"
