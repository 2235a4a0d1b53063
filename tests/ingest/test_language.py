import pytest

from hrdwatch.ingest.language import detect_language

ENGLISH = (
    "Rights defender Amara Velt, director of the fictional Lantern Rights Centre, was detained in "
    "Norvik on 3 March 2024. Police officers searched the offices and seized computers and files."
)
FRENCH = (
    "La défenseure des droits humains Amara Velt, directrice du Centre Lanterne, a été arrêtée à "
    "Norvik le 3 mars 2024. La police a perquisitionné les bureaux et saisi des ordinateurs."
)
SPANISH = (
    "La defensora de derechos humanos Amara Velt, directora del Centro Linterna, fue detenida en "
    "Norvik el 3 de marzo de 2024. La policía registró las oficinas y se llevó los ordenadores."
)


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (FRENCH, "fr"), (SPANISH, "es")])
def test_detects_the_language(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_detection_repeats() -> None:
    assert {detect_language(FRENCH) for _ in range(5)} == {"fr"}


@pytest.mark.parametrize("text", ["", "Norvik, 2024", "12345 67890 !!! ... 2024-03-05 ---"])
def test_too_little_text_gives_none(text: str) -> None:
    assert detect_language(text) is None
