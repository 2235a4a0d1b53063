"""The extraction stages, each named once here, in pipeline order.

A stage has two names. Its *factory* is what its module registers with spaCy, versioned so that
a stage whose output changes meaning gets a new factory beside the old one. Its *component name*
is what the stage is called inside a pipeline and what every fact it produces records as its
evidence's stage, so stored evidence keeps its name across versions. spaCy refuses ``.`` in a
factory name (its error E853), so the version is written ``_v1``, not ``.v1``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Stage:
    name: str  # the component in a pipeline, recorded on each fact's evidence
    factory: str  # the spaCy factory its module registers
    module: str  # importing it registers the factory


DATES = Stage("hrdwatch_dates", "hrdwatch_dates_v1", "hrdwatch.extract.components.dates")
PLACES = Stage("hrdwatch_places", "hrdwatch_places_v1", "hrdwatch.extract.components.places")
NAMES = Stage("hrdwatch_names", "hrdwatch_names_v1", "hrdwatch.extract.components.names")
LEGAL = Stage("hrdwatch_legal", "hrdwatch_legal_v1", "hrdwatch.extract.components.legal")
SANCTIONS = Stage("hrdwatch_sanctions", "hrdwatch_sanctions_v1", "hrdwatch.extract.components.sanctions")
ACTS = Stage("hrdwatch_acts", "hrdwatch_acts_v1", "hrdwatch.extract.components.acts")
PERPETRATORS = Stage(
    "hrdwatch_perpetrators", "hrdwatch_perpetrators_v1", "hrdwatch.extract.components.perpetrators"
)
DEMANDS = Stage("hrdwatch_demands", "hrdwatch_demands_v1", "hrdwatch.extract.components.demands")
EVENTS = Stage("hrdwatch_events", "hrdwatch_events_v1", "hrdwatch.extract.components.events")

#: The full English pipeline, run after spaCy's own components.
STAGES_EN: tuple[Stage, ...] = (DATES, PLACES, NAMES, LEGAL, SANCTIONS, ACTS, PERPETRATORS, DEMANDS, EVENTS)

#: Stages that work without an English model (no POS tags, no parse): used for other languages.
LANGUAGE_INDEPENDENT: tuple[Stage, ...] = (DATES, PLACES, LEGAL, SANCTIONS, EVENTS)

#: every stage's component name, to tell the stages from the model's own components in a pipeline
STAGE_NAMES: frozenset[str] = frozenset(stage.name for stage in STAGES_EN)

# What the stages require of spaCy's English model, for ``requires=`` (checked by analyze_pipes).
#: the dependency parse: labels and heads
PARSE = ("token.dep", "token.head")
#: POS tags: stages read ``token.pos_``, which the model's attribute ruler maps from the tagger's
#: tags without declaring it, so they require the tags
POS = ("token.tag",)
LEMMAS = ("token.lemma",)
