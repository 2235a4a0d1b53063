import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader, PdfWriter

from hrdwatch.errors import InputRejected
from hrdwatch.ingest.pdf import read_pdf

MakePdf = Callable[..., bytes]
PAGE_ONE = [
    "Rights defender Amara Velt, director of the fictional Lantern Rights Centre,",
    "was detained in Norvik on 3 March 2024 by officers of the city police.",
]
PAGE_TWO = ["The Lantern Rights Centre calls for her immediate release (and an inquiry)."]


def encrypted(data: bytes, *, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rejected_code(data: bytes, *, max_pages: int = 50) -> str:
    with pytest.raises(InputRejected) as caught:
        read_pdf(data, name="report.pdf", max_pages=max_pages)
    return caught.value.code


def test_text_layer_is_read(make_pdf: MakePdf) -> None:
    data = make_pdf([PAGE_ONE, PAGE_TWO], title="Norvik: a detention", created="D:20240305120000Z")
    source = read_pdf(data, name="report.pdf", max_pages=50)
    assert "was detained in Norvik on 3 March 2024" in source.text
    assert "immediate release (and an inquiry)" in source.text
    assert (source.reader, source.media_type, source.language) == ("pdf", "application/pdf", "en")
    assert source.title == "Norvik: a detention"
    assert source.published == "2024-03-05"
    assert source.metadata["pages"] == 2


def test_page_offsets_point_at_each_page(make_pdf: MakePdf) -> None:
    source = read_pdf(make_pdf([PAGE_ONE, PAGE_TWO]), name="report.pdf", max_pages=50)
    second = source.metadata["page_offsets"][1]
    assert source.text[second:].startswith("The Lantern Rights Centre")


def test_encrypted_pdf_is_e106(make_pdf: MakePdf) -> None:
    assert rejected_code(encrypted(make_pdf([PAGE_ONE]), user_password="s3cret")) == "E106"


def test_pdf_that_opens_with_the_empty_password_is_read(make_pdf: MakePdf) -> None:
    source = read_pdf(encrypted(make_pdf([PAGE_ONE]), user_password=""), name="r.pdf", max_pages=50)
    assert "detained in Norvik" in source.text


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_pdf_is_e105(make_pdf: MakePdf, keep: float) -> None:
    data = make_pdf([PAGE_ONE, PAGE_TWO])
    assert rejected_code(data[: int(len(data) * keep)]) == "E105"


def test_garbage_after_magic_is_e105() -> None:
    assert rejected_code(b"%PDF-1.7\n" + bytes(range(256)) * 8) == "E105"


def test_too_many_pages_is_e107(make_pdf: MakePdf) -> None:
    with pytest.raises(InputRejected) as caught:
        read_pdf(make_pdf([PAGE_ONE] * 4), name="long.pdf", max_pages=3)
    assert caught.value.code == "E107"
    assert caught.value.fields == {"name": "long.pdf", "pages": 4, "limit": 3}


def test_pdf_without_text_is_e108(make_pdf: MakePdf) -> None:
    assert rejected_code(make_pdf([[], []])) == "E108"
