"""The docs stay true: every CLI command and option is in docs/cli.md, every setting in
docs/settings.md, and neither page documents something that no longer exists."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from hrdwatch.config import PREFIX, Settings
from hrdwatch.interfaces.cli.app import app

DOCS = Path(__file__).parents[1] / "docs"
CLI_MD = DOCS / "cli.md"
SETTINGS_MD = DOCS / "settings.md"

CLI_GROUP = typer.main.get_command(app)


def _flatten(group: Any, prefix: str = "") -> dict[str, Any]:
    """Every command by its full name (``user add``); a group counts through its subcommands, and
    as a command itself when it runs without one (``audit`` and ``audit verify``)."""
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            if getattr(command, "invoke_without_command", False):  # runs on its own too: hrdwatch audit
                found[prefix + name] = command
            found.update(_flatten(command, f"{prefix}{name} "))
        else:
            found[prefix + name] = command
    return found


COMMANDS: dict[str, Any] = _flatten(CLI_GROUP)
SETTINGS = [PREFIX + f.name.upper() for f in dataclasses.fields(Settings)]


def _sections(text: str) -> dict[str, str]:
    """``## hrdwatch NAME`` heading -> the text up to the next level-2 heading."""
    parts = re.split(r"^## +`?hrdwatch ([a-z-]+(?: [a-z-]+)?)`?\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _options(command: Any) -> list[str]:
    """Its option names (Typer vendors Click, so options are told apart by ``param_type_name``)."""
    return [opt for p in command.params if p.param_type_name == "option" for opt in p.opts if opt != "--help"]


@pytest.fixture(scope="module")
def cli_sections() -> dict[str, str]:
    return _sections(CLI_MD.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_in_the_table_of_commands(name: str) -> None:
    intro = CLI_MD.read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert f"| `hrdwatch {name}` |" in intro, f"the table at the top of docs/cli.md lacks hrdwatch {name}"


def test_the_table_of_commands_lists_only_real_commands() -> None:
    intro = CLI_MD.read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert set(re.findall(r"^\| `hrdwatch ([a-z -]+)` \|", intro, flags=re.MULTILINE)) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_a_section(name: str, cli_sections: dict[str, str]) -> None:
    assert name in cli_sections, f"docs/cli.md has no '## hrdwatch {name}' section"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_is_documented_in_its_section(name: str, cli_sections: dict[str, str]) -> None:
    section = cli_sections.get(name, "")
    missing = [opt for opt in _options(COMMANDS[name]) if f"`{opt}" not in section]
    assert not missing, f"docs/cli.md, hrdwatch {name}: undocumented option(s) {missing}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_an_example(name: str, cli_sections: dict[str, str]) -> None:
    section = cli_sections.get(name, "")
    assert re.search(rf"^\$? ?hrdwatch {name}\b", section, flags=re.MULTILINE), (
        f"docs/cli.md, hrdwatch {name}: no example command line"
    )


def test_no_section_for_a_command_that_does_not_exist(cli_sections: dict[str, str]) -> None:
    assert set(cli_sections) <= set(COMMANDS)


@pytest.mark.parametrize("name", SETTINGS)
def test_setting_is_documented(name: str) -> None:
    text = SETTINGS_MD.read_text(encoding="utf-8")
    assert re.search(rf"^#+ +`?{name}`?\s*$", text, flags=re.MULTILINE), (
        f"docs/settings.md has no heading for {name}"
    )


def test_no_setting_documented_that_does_not_exist() -> None:
    mentioned = set(re.findall(rf"\b{PREFIX}[A-Z_]+[A-Z]\b", SETTINGS_MD.read_text(encoding="utf-8")))
    assert mentioned <= set(SETTINGS), f"unknown settings in docs/settings.md: {mentioned - set(SETTINGS)}"


def test_settings_docs_are_linked_from_the_cli_docs() -> None:
    assert "settings.md" in CLI_MD.read_text(encoding="utf-8")


def _routes() -> list[tuple[str, str, str]]:
    """(method, path, action) of every route of the web app, read without calling any."""
    from fastapi.routing import APIRoute, iter_route_contexts
    from sqlalchemy import create_engine

    from hrdwatch.interfaces.app import create_app
    from hrdwatch.interfaces.http.deps import declared_action

    app = create_app(Settings(db="sqlite://"), engine=create_engine("sqlite://"))
    found = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            action = declared_action(context)  # type: ignore[arg-type]
            for method in sorted(context.methods or ()):
                found.append((method, str(context.path), action.value if action else "(none)"))
    return found


ROUTES = _routes()


@pytest.mark.parametrize(("method", "path", "action"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_every_route_is_documented_with_its_action(method: str, path: str, action: str) -> None:
    page = DOCS / ("api.md" if path.startswith("/api/") else "web.md")
    row = f"| {method} | `{path}` | `{action}` |"
    assert row in page.read_text(encoding="utf-8"), f"{page.name} has no row {row}"
