"""Long texts: parsed in pieces joined back into one Doc, offsets into the whole text, a length
cap (E204). (How time grows with length is measured in benchmarks/hostile_ingest.py.)"""

from __future__ import annotations

import pytest

from hrdwatch.domain.source import Source
from hrdwatch.errors import ExtractionError
from hrdwatch.extract.pipeline import Extractor, split_chunks

PARAGRAPH = (
    "On 3 March 2023, police officers arrested the journalist Amara Velt in Almaty, Kazakhstan. "
    "She was detained for two days. Her colleague Tomas Reyne, a lawyer with the Lantern Rights "
    "Centre, was fined 40,000 soms by a court in Bishkek.\n\n"
)


def _source(text: str, *, language: str = "en") -> Source:
    return Source(
        name="long.md",
        text=text,
        sha256="0" * 64,
        size=len(text),
        media_type="text/markdown",
        reader="text",
        language=language,
    )


@pytest.mark.parametrize(
    "text",
    [
        PARAGRAPH * 40,
        "One sentence. " * 2000,
        "word " * 5000,
        "x" * 12_345,
        "",
        "short",
    ],
)
def test_pieces_join_back_to_the_text_and_respect_the_size(text: str) -> None:
    pieces = split_chunks(text, 1000)
    assert "".join(pieces) == text
    assert all(len(piece) <= 1000 for piece in pieces)


def test_pieces_end_at_paragraphs_when_there_are_some() -> None:
    pieces = split_chunks(PARAGRAPH * 40, 1000)
    assert all(piece.endswith("\n\n") for piece in pieces)


def test_a_text_over_spacys_max_length_is_extracted() -> None:
    """Was: spaCy's E088 ValueError (a traceback) for any text over 1,000,000 characters."""
    text = ("Le 5 mai 2024, la défenseure Amara Velt a été arrêtée à Dakar, au Sénégal.\n\n" * 13_000)[
        :1_000_001
    ]
    record = Extractor(max_chars=2_000_000).extract(_source(text, language="fr"))
    assert "SN" in record.countries


def test_offsets_of_a_text_parsed_in_pieces_point_into_the_whole_text() -> None:
    text = PARAGRAPH * 30
    record = Extractor(chunk_chars=1500).extract(_source(text))
    evidence = record.all_evidence()
    assert len(evidence) > 30
    assert all(text[ev.start : ev.end] == ev.quote for _, ev in evidence)
    assert max(ev.start for _, ev in evidence) > len(text) - len(PARAGRAPH)
    assert any(v.name == "Amara Velt" for v in record.victims)


def test_a_text_over_the_cap_is_e204_before_any_work() -> None:
    with pytest.raises(ExtractionError) as caught:
        Extractor(max_chars=100).extract(_source("x" * 101))
    assert caught.value.code == "E204"
    assert caught.value.fields == {"name": "long.md", "chars": 101, "limit": 100}


@pytest.mark.parametrize("text", ["&A<" * 1000, "x" * 5000, "12.5 | 13.0 | 99 | " * 200])
def test_a_text_with_almost_no_words_is_e208(text: str) -> None:
    """Was: a page of a million entity references took minutes to extract, and found nothing."""
    with pytest.raises(ExtractionError) as caught:
        Extractor().extract(_source(text))
    assert caught.value.code == "E208"


def test_short_notes_are_not_checked_for_words() -> None:
    assert Extractor().extract(_source("Norvik, 3 March: 12 | 14 | 19")).victims == []
