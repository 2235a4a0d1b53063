"""Where the stages are listed, in order. Each name is registered by its module in components/."""

from __future__ import annotations

#: The full English pipeline, run after spaCy's own components.
STAGES_EN: tuple[str, ...] = (
    "hrdwatch_dates",
    "hrdwatch_places",
    "hrdwatch_names",
    "hrdwatch_legal",
    "hrdwatch_sanctions",
    "hrdwatch_acts",
    "hrdwatch_perpetrators",
    "hrdwatch_demands",
    "hrdwatch_events",
)

#: Stages that work without an English model (no POS tags, no parse): used for other languages.
LANGUAGE_INDEPENDENT: tuple[str, ...] = (
    "hrdwatch_dates",
    "hrdwatch_places",
    "hrdwatch_legal",
    "hrdwatch_sanctions",
    "hrdwatch_events",
)

#: module that registers each stage
MODULES: dict[str, str] = {
    "hrdwatch_dates": "hrdwatch.extract.components.dates",
    "hrdwatch_places": "hrdwatch.extract.components.places",
    "hrdwatch_names": "hrdwatch.extract.components.names",
    "hrdwatch_legal": "hrdwatch.extract.components.legal",
    "hrdwatch_sanctions": "hrdwatch.extract.components.sanctions",
    "hrdwatch_acts": "hrdwatch.extract.components.acts",
    "hrdwatch_perpetrators": "hrdwatch.extract.components.perpetrators",
    "hrdwatch_demands": "hrdwatch.extract.components.demands",
    "hrdwatch_events": "hrdwatch.extract.components.events",
}
