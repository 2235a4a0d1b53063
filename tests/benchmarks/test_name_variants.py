"""The name-variant set for the linking benchmark: its romanisation tables give the published
spellings, it is the same on every run, and it is as large and as hard as issue 9 asks."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    path = ROOT / "benchmarks" / "name_variants.py"
    spec = importlib.util.spec_from_file_location("hrdwatch_bench_name_variants", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


nv = _load()


@pytest.fixture(scope="module")
def built() -> tuple[list[dict], list[dict]]:
    return nv.build()


@pytest.mark.parametrize(
    ("cyrillic", "system", "latin"),
    [
        ("Щукин", "iso9", "Ŝukin"),
        ("Юрий", "iso9", "Ûrij"),
        ("Юрий", "bgn-pcgn", "Yuriy"),
        ("Елена", "bgn-pcgn", "Yelena"),
        ("Андреевич", "bgn-pcgn", "Andreyevich"),
        ("Наталья", "bgn-pcgn", "Natal’ya"),
        ("Юрий", "icao-9303", "Iurii"),
        ("Щукин", "icao-9303", "Shchukin"),
        ("Фёдор", "icao-9303", "Fedor"),
        ("Щукин", "scholarly", "Ščukin"),
        ("Хохлов", "scholarly", "Xoxlov"),
        ("Жуков", "german-duden", "Schukow"),
        ("Юрий", "german-duden", "Juri"),
        ("Алексей", "german-duden", "Alexei"),
        ("Соловьёв", "german-duden", "Solowjow"),
        ("Василий", "german-duden", "Wassili"),
        ("Жуков", "french", "Joukov"),
        ("Юрий", "french", "Iouri"),
        ("Сергеевич", "french", "Sergueïevitch"),
        ("Никитин", "french", "Nikitine"),
        ("Татьяна", "french", "Tatiana"),
        ("Қуаныш", "kazakh-latin-2021", "Quanyş"),
        ("Нұрлан", "kazakh-latin-2021", "Nūrlan"),
        ("Әсел", "kazakh-latin-2021", "Äsel"),
        ("Ғалым", "kazakh-latin-2021", "Ğalym"),
        ("Серікқызы", "kazakh-latin-2021", "Serıkqyzy"),
        ("Қуаныш", "iso9", "Ķuanyš"),
        ("Жұмабаев", "bgn-pcgn", "Zhumabayev"),
        ("Қуаныш", "icao-9303", "Kuanysh"),
    ],
)
def test_cyrillic_tables_give_the_published_spellings(cyrillic: str, system: str, latin: str) -> None:
    assert nv.romanise(cyrillic, system) == latin


def test_kazakh_letters_become_russian_ones_in_russian_documents() -> None:
    assert nv.russify("Қуаныш Жұмабаев") == "Куаныш Жумабаев"


def test_chinese_tables() -> None:
    assert nv.pinyin("王") == "Wang"
    assert nv.pinyin("思安") == "Si'an"
    assert nv.wade_giles("晓明") == "Hsiao-ming"
    assert nv.wade_giles("陈") == "Ch'en"
    assert nv.wade_giles("徐") == "Hsü"


def test_arabic_rows_carry_each_usage() -> None:
    jamal = nv.ARABIC_MALE["جمال"]
    assert (jamal.ala_lc, jamal.english[0], jamal.french, jamal.egyptian) == (
        "Jamāl",
        "Jamal",
        "Djamel",
        "Gamal",
    )
    assert nv.ARABIC_MALE["محمد"].english == ("Mohammed", "Muhammad", "Mohammad", "Mohamad")
    assert nv.ARABIC_FAMILY["النجار"].article and not nv.ARABIC_FAMILY["منصور"].article


def test_female_surnames_and_plain_spellings() -> None:
    assert nv.feminine("Иванов") == "Иванова"
    assert nv.feminine("Вишневский") == "Вишневская"
    assert nv.feminine("Шевченко") == "Шевченко"
    assert nv.plain("Natal’ya Kovalëva") == "Natalya Kovaleva"
    assert nv.plain("ʻAbd al-Raḥmān") == "Abd al-Rahman"
    assert nv.plain("Сергей Фёдоров") == "Сергей Федоров"


def test_two_runs_write_identical_files(tmp_path: Path) -> None:
    nv.write(tmp_path / "a")
    nv.write(tmp_path / "b")
    for name in ("name_entities.jsonl", "name_variants.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_committed_set_is_what_the_generator_writes(tmp_path: Path) -> None:
    nv.write(tmp_path)
    for name in ("name_entities.jsonl", "name_variants.jsonl"):
        assert (ROOT / "benchmarks" / "data" / name).read_bytes() == (tmp_path / name).read_bytes()


def test_size_and_hard_negatives(built: tuple[list[dict], list[dict]]) -> None:
    entities, variants = built
    ids = {entity["id"] for entity in entities}
    negatives = [entity for entity in entities if entity["hard_negative_of"]]
    assert len(variants) >= 1200 and len(entities) >= 250 and len(negatives) >= 60
    assert all(n["hard_negative_of"] in ids and n["hard_negative_of"] != n["id"] for n in negatives)
    kinds = Counter(n["negative_kind"] for n in negatives)
    assert set(kinds) == {"same-surname", "same-given", "gender-form", "one-letter"}
    per_entity = Counter(variant["entity"] for variant in variants)
    assert set(per_entity) == ids and min(per_entity.values()) >= 3


def test_every_variant_is_one_persons_and_every_kind_is_there(built: tuple[list[dict], list[dict]]) -> None:
    entities, variants = built
    names = [variant["name"].casefold() for variant in variants]
    assert len(names) == len(set(names))
    assert {variant["script"] for variant in variants} == {"latin", "cyrillic", "arabic", "han"}
    systems = {variant["how"].split("+")[0] for variant in variants}
    assert set(nv.CYRILLIC_SYSTEMS) | {"pinyin", "wade-giles", "ala-lc", "arabic-common-spelling"} <= systems
    habits = {habit for variant in variants for habit in variant["how"].split("+")[1:]}
    assert {"surname-first", "initials", "honorific", "nickname", "upper-surname", "no-diacritics"} <= habits


def test_no_invented_person_is_on_the_denylist(built: tuple[list[dict], list[dict]]) -> None:
    entities, _ = built
    assert not {entity["name"] for entity in entities} & nv.DENYLIST
    people = nv.make_people(random.Random(nv.SEED))
    assert not {nv._deny_key(person) for person in people} & nv.DENYLIST


def test_female_surname_forms_stay_the_same_for_one_person(built: tuple[list[dict], list[dict]]) -> None:
    entities, variants = built
    surname = {
        e["id"]: e["native"].split()[-1] for e in entities if e["language"] == "ru" and e["gender"] == "f"
    }
    for variant in variants:
        if variant["entity"] in surname and variant["script"] == "cyrillic":
            written = variant["name"].casefold().replace("ё", "е")  # е for ё is a habit too
            assert surname[variant["entity"]].casefold().replace("ё", "е") in written


def test_lines_are_json_objects_with_the_documented_keys() -> None:
    lines = (ROOT / "benchmarks" / "data" / "name_variants.jsonl").read_text(encoding="utf-8").splitlines()
    assert list(json.loads(lines[0])) == ["id", "entity", "name", "script", "how"]
