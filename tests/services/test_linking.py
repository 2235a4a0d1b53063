"""Person-name linking (issue 9): keys, similarity, blocking and decisions. Invented names only."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from hrdwatch.config import DEFAULT_LINK_AUTO, DEFAULT_LINK_SUGGEST, Settings
from hrdwatch.errors import SettingsError
from hrdwatch.services.linking.blocking import BlockIndex, candidate_pairs
from hrdwatch.services.linking.keys import FoldRule, fold_rules, fold_token, script_of
from hrdwatch.services.linking.matcher import Candidate, Decision, Linker, Thresholds
from hrdwatch.services.linking.names import parse_name
from hrdwatch.services.linking.similarity import Mention, similarity

LINKER = Linker(Thresholds(auto=DEFAULT_LINK_AUTO, suggest=DEFAULT_LINK_SUGGEST))


def score(a: str, b: str) -> float:
    return similarity(Mention(a), Mention(b)).score


def decision(a: str, b: str) -> Decision:
    return LINKER.thresholds.decide(score(a, b))


CASES = [(rule, a, b) for rule in fold_rules() for a, b in rule.same]


@pytest.mark.parametrize(("rule", "a", "b"), CASES, ids=[f"{r.name}:{a}" for r, a, _ in CASES])
def test_each_folding_rule_gives_its_two_spellings_one_key(rule: FoldRule, a: str, b: str) -> None:
    assert set(fold_token(a)) & set(fold_token(b)), (rule.name, fold_token(a), fold_token(b))


def test_every_folding_rule_says_why_and_has_a_case() -> None:
    assert all(rule.why and rule.same for rule in fold_rules())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Илья Денисов", "Il’ya Denisov"),
        ("Илья Денисов", "Ilja Denissow"),
        ("Григорий Леонидович Вишневский", "Grigorij Leonidovič Višnevskij"),
        ("Қайрат Сәрсенбаев", "Kayrat Sarsenbayev"),
        ("Ķajrat Sa̋rsenbaev", "Qairat Särsenbaev"),
        ("كريم القاسم", "Karim al-Qasim"),
        ("唐国成", "Tang Guocheng"),
        ("Tang Guocheng", "T'ang Kuo-ch'eng"),
    ],
)
def test_same_name_in_another_script_or_system_is_linked(a: str, b: str) -> None:
    assert decision(a, b) is Decision.AUTO


def test_cyrillic_and_latin_of_one_name_say_why() -> None:
    sim = similarity(Mention("Теодор Валк"), Mention("Teodor Valk"))
    assert sim.score == 1.0
    assert "same name in another script" in sim.reasons


def test_script_of_a_name() -> None:
    assert [script_of(n) for n in ("Valk", "Валк", "فالك", "王")] == ["latin", "cyrillic", "arabic", "han"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Valk, Teodor", "Teodor Valk"),
        ("VALK Teodor", "Teodor Valk"),
        ("Mr Teodor Valk", "Teodor Valk"),
        ("lawyer Teodor Valk", "Dr. Teodor Valk"),
        ('Teodor "Teo" Valk', "Teodor Valk"),
        ("Ivan Sergeyevich Petrov", "Ivan Petrov"),
        ("Petrov, Ivan Sergeevich", "Ivan Petrov"),
        ("Karim Nabil al-Qasim", "Karim al-Qasim"),
        ("Abd al-Rahman Haddad", "Abdulrahman al-Haddad"),
    ],
)
def test_order_titles_nicknames_and_patronymics_do_not_matter(a: str, b: str) -> None:
    assert decision(a, b) is Decision.AUTO


def test_name_order_is_a_reason() -> None:
    assert "name order differs" in similarity(Mention("Valk, Teodor"), Mention("Teodor Valk")).reasons


def test_initials_agree_is_a_suggestion_not_proof() -> None:
    sim = similarity(Mention("T. Valk"), Mention("Teodor Valk"))
    assert "initials agree" in sim.reasons
    assert LINKER.thresholds.decide(sim.score) is Decision.SUGGESTED
    assert decision("Petrov I.S.", "Ivan Sergeyevich Petrov") is Decision.SUGGESTED


def test_initials_that_disagree_pull_down() -> None:
    assert decision("P. Valk", "Teodor Valk") is Decision.NEW


def test_a_surname_alone_is_only_a_suggestion() -> None:
    assert decision("journalist Valk", "Teodor Valk") is Decision.SUGGESTED


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Aleksandr Ivanov", "Aleksandra Ivanova"),
        ("Yevgeniy Voronin", "Yevgeniya Voronina"),
        ("Marat Akhmetov", "Murat Akhmetov"),
        ("Yuriy Fomin", "Yuliy Fomin"),
        ("Anna Fomina", "Inna Fomina"),
        ("Pavel Fomin", "Pavel Fokin"),
        ("Teodor Valk", "Pavel Valk"),
        ("Teodor Valk", "Teodor Mirsky"),
    ],
)
def test_hard_negatives_are_not_linked_automatically(a: str, b: str) -> None:
    assert decision(a, b) is not Decision.AUTO


def test_gender_forms_and_one_letter_say_why() -> None:
    assert "male and female forms" in similarity(Mention("Ivan Ivanov"), Mention("Ivan Ivanova")).reasons
    marat_murat = similarity(Mention("Marat Akhmetov"), Mention("Murat Akhmetov"))
    assert "names one letter apart" in marat_murat.reasons


def test_context_pulls_namesakes_in_other_countries_down_and_shared_context_up() -> None:
    here = Mention("Teodor Valk", country="EE", affiliations=frozenset({"ngo-1"}))
    same = Mention("T. Valk", country="EE", affiliations=frozenset({"ngo-1"}))
    abroad = Mention("Teodor Valk", country="AR")
    assert similarity(here, abroad).score < LINKER.thresholds.auto
    assert "different countries" in similarity(here, abroad).reasons
    linked = similarity(here, same)
    assert {"same country", "shared affiliation"} <= set(linked.reasons)
    assert linked.score > similarity(Mention(here.name), Mention(same.name)).score


def test_parse_drops_titles_keeps_initials_and_nickname() -> None:
    name = parse_name('Dr. Teodor "Teo" V.')
    assert [t.text for t in name.full] == ["Teodor"]
    assert [t.text for t in name.initials] == ["V"]
    assert name.nickname == "teo"


def test_link_scores_each_candidate_by_its_best_spelling() -> None:
    known = Candidate("e1", (Mention("Илья Денисов"), Mention("Ilya Denisov")))
    other = Candidate("e2", (Mention("Pavel Denisov"),))
    matches = LINKER.link(Mention("Ilja Denissow"), [other, known])
    assert [(m.entity_id, m.decision) for m in matches] == [("e1", Decision.AUTO), ("e2", Decision.NEW)]
    assert matches[0].score == 1.0


def test_cluster_groups_spellings_and_keeps_namesakes_apart() -> None:
    names = {
        "a1": Mention("Илья Денисов"),
        "a2": Mention("Ilia Denissov"),
        "a3": Mention("Ilja Denissow"),
        "b1": Mention("Pavel Denisov"),
        "b2": Mention("Павел Денисов"),
        "c1": Mention("Mr Denisov"),  # could be either: stays alone
        "d1": Mention("Teodor Valk"),
        "d2": Mention("T. Valk"),
    }
    groups = sorted(sorted(g) for g in LINKER.cluster(names))
    assert ["a1", "a2", "a3"] in groups and ["b1", "b2"] in groups and ["c1"] in groups
    assert ["d1"] in groups  # an initial is a suggestion, not an automatic link


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Илья Денисов", "Ilya Denisov"),
        ("Ilja Denissow", "Il’ya Denisov"),
        ("Denisov, Ilya", "Ilia Denissov"),
        ("I. Denisov", "Ilya Denisov"),
        ("journalist Denisov", "Ilya Denisov"),
        ("كريم القاسم", "Karim el-Kassem"),
        ("唐国成", "T'ang Kuo-ch'eng"),
    ],
)
def test_blocking_finds_the_true_pair_of_standard_variants(a: str, b: str) -> None:
    assert candidate_pairs([("x", a), ("y", b)]) == {("x", "y")}
    index = BlockIndex()
    index.add("x", a)
    assert index.candidates(b) == {"x"}


GIVEN = "Ilya Pavel Teodor Marat Aleksandr Yuriy Grigoriy Kayrat Askar Dauren Karim Nabil Tarek Samir".split()
SURNAMES = "Denisov Valk Petrov Fomin Akhmetov Ospanov Sarsenbayev Haddad Masri Younis Qasim Khatib".split()


def test_blocking_is_not_all_pairs() -> None:
    rng = random.Random(9)
    syllables = "ka ri mo ta ne lu so vi da pe ga zu".split()
    names = [
        (f"n{i}", f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}{''.join(rng.sample(syllables, 2))}")
        for i in range(2000)
    ]
    pairs = candidate_pairs(names)
    assert len(pairs) < 2000 * 1999 / 2 / 100
    assert all(a < b for a, b in pairs)


def test_a_crowd_of_namesakes_is_compared_by_neighbourhood_not_all_pairs() -> None:
    names = [(f"n{i:04d}", f"{GIVEN[i % 2]} {SURNAMES[i % 3]}") for i in range(2000)]
    pairs = candidate_pairs(names)
    assert len(pairs) < 2000 * 40  # a few keys per name, each with a bounded window
    assert ("n0000", "n0006") in pairs  # the same name, six apart, still met


def test_blocking_keeps_nearly_every_true_pair_of_the_variant_set() -> None:
    data = Path(__file__).parents[2] / "benchmarks" / "data" / "name_variants.jsonl"
    variants = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    entity = {v["id"]: v["entity"] for v in variants}
    pairs = candidate_pairs((v["id"], v["name"]) for v in variants)
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(entity.values()).values())
    found = sum(1 for a, b in pairs if entity[a] == entity[b])
    assert found / true_pairs > 0.99
    assert len(pairs) < len(variants) * 20


ODD = ["", "  ", "Mr", "I.", "-", "123", "😀 Valk", "al-", "ال", '""', "Abd", "bin", "王", "x" * 300]


def test_odd_names_score_without_error_and_link_to_nothing() -> None:
    for a in ODD:
        for b in ODD:
            assert 0.0 <= score(a, b) <= 1.0
    assert score("", "") == 0.0
    groups = LINKER.cluster({str(i): Mention(n) for i, n in enumerate(ODD)})
    assert len(groups) == len(ODD)


def test_the_linking_package_is_pure() -> None:
    """No database, no store, no interface: names in, scores and decisions out."""
    package = Path(__file__).parents[2] / "src" / "hrdwatch" / "services" / "linking"
    for module in package.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        for forbidden in ("hrdwatch.store", "sqlalchemy", "hrdwatch.interfaces", "fastapi", "typer"):
            assert forbidden not in text, (module.name, forbidden)


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        Thresholds(auto=0.5, suggest=0.8)


def test_link_thresholds_come_from_settings() -> None:
    settings = Settings.from_env({"HRDWATCH_LINK_AUTO": "0.95", "HRDWATCH_LINK_SUGGEST": "0.7"})
    assert (settings.link_auto, settings.link_suggest) == (0.95, 0.7)
    assert Settings.from_env({}).link_auto == DEFAULT_LINK_AUTO


@pytest.mark.parametrize(
    "env",
    [{"HRDWATCH_LINK_AUTO": "1.5"}, {"HRDWATCH_LINK_AUTO": "x"}, {"HRDWATCH_LINK_SUGGEST": "0.95"}],
)
def test_link_thresholds_that_cannot_be_used_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        Settings.from_env(env)
