from hrdwatch.ingest.header import parse_header, split_header

BODY = "Rights defender Amara Velt was detained in Norvik on 3 March 2024.\n"


def test_header_block_is_parsed_and_body_returned() -> None:
    text = "id: t001\ntitle: Norvik: a detention\npublished: 2024-03-05\nlanguage: en\n\n" + BODY
    fields, body = split_header(text)
    assert fields == {
        "id": "t001",
        "title": "Norvik: a detention",
        "published": "2024-03-05",
        "language": "en",
    }
    assert body == BODY


def test_empty_values_become_none() -> None:
    fields, body = split_header("id: t002\npublished: \nurl:\n\n" + BODY)
    assert fields == {"id": "t002", "published": None, "url": None}
    assert body == BODY


def test_body_start_points_into_the_text() -> None:
    text = "id: t003\n\n" + BODY
    header = parse_header(text)
    assert text[header.body_start :] == BODY


def test_first_line_must_be_a_known_key() -> None:
    text = "Note: this is not a header\n\n" + BODY
    assert split_header(text) == ({}, text)


def test_block_must_end_with_a_blank_line() -> None:
    text = "title: Norvik\n" + BODY
    assert split_header(text) == ({}, text)
    assert split_header("id: t004\n") == ({}, "id: t004\n")


def test_text_without_header_is_untouched() -> None:
    assert split_header(BODY) == ({}, BODY)


def test_only_one_blank_line_is_consumed() -> None:
    _fields, body = split_header("id: t005\n\n\n" + BODY)
    assert body == "\n" + BODY
