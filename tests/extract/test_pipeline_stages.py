"""The stages as spaCy sees them: each registered once under a versioned factory, each declaring what
it requires and assigns, and every requirement met by an earlier component of the real pipelines."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from hrdwatch.extract import extensions, registry
from hrdwatch.extract.pipeline import add_stages, build_nlp
from hrdwatch.extract.registry import Stage

COMPONENTS = Path(registry.__file__).parent / "components"
VERSIONED = re.compile(r"^hrdwatch_[a-z]+_v[0-9]+$")


def _problems(nlp: Language) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = nlp.analyze_pipes(pretty=False)["problems"]
    return {name: unmet for name, unmet in problems.items() if unmet}


@pytest.mark.parametrize(
    ("lang", "stages"), [("en", registry.STAGES_EN), ("fr", registry.LANGUAGE_INDEPENDENT)]
)
def test_every_requirement_is_met_in_the_real_pipelines(lang: str, stages: tuple[Stage, ...]) -> None:
    nlp = build_nlp(lang)
    assert _problems(nlp) == {}
    assert [name for name in nlp.pipe_names if name in registry.STAGE_NAMES] == [s.name for s in stages]
    assert [nlp.get_pipe_meta(s.name).factory for s in stages] == [s.factory for s in stages]


def test_the_analysis_sees_an_unmet_requirement() -> None:
    nlp = spacy.blank("en")
    add_stages(nlp, [registry.PERPETRATORS])
    assert "doc._.hrd_acts" in _problems(nlp)[registry.PERPETRATORS.name]


@pytest.mark.parametrize("stage", registry.STAGES_EN, ids=lambda s: s.name)
def test_every_stage_resolves_to_its_registered_factory(stage: Stage) -> None:
    importlib.import_module(stage.module)
    assert Language.has_factory(stage.factory)
    meta = Language.get_factory_meta(stage.factory)
    assert meta.assigns, f"{stage.factory} declares nothing it assigns"
    ours = [a.removeprefix("doc._.") for a in [*meta.requires, *meta.assigns] if a.startswith("doc._.")]
    assert set(ours) <= set(extensions.ATTRIBUTES)


def test_factory_names_are_versioned_and_unique() -> None:
    factories = [s.factory for s in registry.STAGES_EN]
    assert all(VERSIONED.match(f) for f in factories), factories
    assert len(set(factories)) == len(factories)
    assert all(s.factory.startswith(s.name + "_v") for s in registry.STAGES_EN)
    assert set(registry.LANGUAGE_INDEPENDENT) <= set(registry.STAGES_EN)


def test_component_names_are_the_stages_recorded_on_stored_evidence() -> None:
    """Evidence in existing databases names these: renaming a component orphans it."""
    assert [s.name for s in registry.STAGES_EN] == [
        "hrdwatch_dates",
        "hrdwatch_places",
        "hrdwatch_names",
        "hrdwatch_legal",
        "hrdwatch_sanctions",
        "hrdwatch_acts",
        "hrdwatch_perpetrators",
        "hrdwatch_demands",
        "hrdwatch_events",
    ]


def test_components_holds_only_the_stages() -> None:
    modules = {
        f"hrdwatch.extract.components.{p.stem}" for p in COMPONENTS.glob("*.py") if p.stem != "__init__"
    }
    assert modules == {s.module for s in registry.STAGES_EN}
