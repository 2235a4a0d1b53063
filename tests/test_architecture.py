"""The dependency rule, read from the source with ``ast`` (imports inside functions count too):

- ``domain`` imports nothing of hrdwatch;
- ``ingest``, ``extract`` and ``exports`` import only ``domain``, ``errors``, ``config`` and themselves;
- ``store`` does not import ``services``, ``interfaces``, ``extract`` or ``ingest``;
- ``services`` do not import ``interfaces``;
- ``interfaces`` do not import ``store``, ``extract`` or ``ingest`` (they go through ``services``);
- ``interfaces/api`` and ``interfaces/web`` never import each other (what both need is in
  ``interfaces/http``), and no module takes part in an import circle;
- ``store`` imports no service concept: who acts (``domain.users``) and what they may do
  (``security.permissions``) are the services' business, and the results of the review use case
  (``services/review/views.py``) are defined there, not in the store.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "hrdwatch"
ROOT = "hrdwatch"

#: layer -> the hrdwatch packages it may import (None: anything not forbidden below)
ALLOWED: dict[str, frozenset[str] | None] = {
    "domain": frozenset({"domain"}),
    "ingest": frozenset({"ingest", "domain", "errors", "config"}),
    "extract": frozenset({"extract", "domain", "errors", "config"}),
    "exports": frozenset({"exports", "domain", "errors", "config"}),
    "security": frozenset({"security", "domain", "errors", "config"}),
    "store": None,
    "services": None,
    "interfaces": None,
}
#: layer -> the hrdwatch packages it must not import
FORBIDDEN: dict[str, frozenset[str]] = {
    "store": frozenset({"services", "interfaces", "extract", "ingest"}),
    "services": frozenset({"interfaces"}),
    "interfaces": frozenset({"store", "extract", "ingest"}),
}

#: what the services know and the store must not: who acts, what they may do, the use cases
SERVICE_CONCEPTS = ("hrdwatch.services", "hrdwatch.domain.users", "hrdwatch.security.permissions")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute module of ``from ... import``, relative imports included."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_statements(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Each import in ``path`` as (module, names): ``import a.b`` gives ``("a.b", ())``, ``from
    .x import y, z`` gives the absolute ``x`` and ``("y", "z")``; late imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = module_name(path)
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node, module, path.name == "__init__.py")
            found.append((target, tuple(alias.name for alias in node.names)))
    return found


def hrdwatch_imports(path: Path) -> set[str]:
    """Every ``hrdwatch.*`` module ``path`` imports, as written (``from hrdwatch import x`` gives
    ``hrdwatch.x``)."""
    found: set[str] = set()
    for target, names in import_statements(path):
        if target == ROOT:
            found.update(f"{ROOT}.{name}" for name in names)
        else:
            found.add(target)
    return {name for name in found if name == ROOT or name.startswith(ROOT + ".")}


def layer_of(module: str) -> str:
    """``hrdwatch.store.uow`` -> ``store``; ``hrdwatch.config`` -> ``config``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def violations(layer: str) -> list[str]:
    allowed, forbidden = ALLOWED[layer], FORBIDDEN.get(layer, frozenset())
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for imported in sorted(hrdwatch_imports(path)):
            target = layer_of(imported)
            if (allowed is not None and target not in allowed) or target in forbidden:
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {imported}")
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_dependency_rule(layer: str) -> None:
    assert not violations(layer)


def concept_violations() -> list[str]:
    found = []
    for path in sorted((PACKAGE / "store").rglob("*.py")):
        for imported in sorted(hrdwatch_imports(path)):
            if any(imported == c or imported.startswith(c + ".") for c in SERVICE_CONCEPTS):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {imported}")
    return found


def class_names(paths: list[Path]) -> set[str]:
    return {
        node.name
        for path in paths
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }


def test_store_imports_no_service_concept() -> None:
    assert not concept_violations()
    results = class_names([PACKAGE / "services" / "review" / "views.py"])
    assert {"Decision", "FactItem", "ReviewPage"} <= results
    assert not results & class_names(sorted((PACKAGE / "store").rglob("*.py")))


def test_every_layer_is_checked() -> None:
    layers = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    assert layers - {"security"} <= set(ALLOWED)


def test_the_parser_sees_relative_and_late_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "hrdwatch" / "store"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "x.py").write_text(
        "from . import tables\nfrom ..services import cases\n"
        "def f():\n    import hrdwatch.interfaces.cli\n    from hrdwatch import extract\n"
    )
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "hrdwatch")
    assert hrdwatch_imports(fake / "x.py") == {
        "hrdwatch.store",
        "hrdwatch.services",
        "hrdwatch.interfaces.cli",
        "hrdwatch.extract",
    }
    assert violations("store") == [
        "hrdwatch/store/x.py imports hrdwatch.extract",
        "hrdwatch/store/x.py imports hrdwatch.interfaces.cli",
        "hrdwatch/store/x.py imports hrdwatch.services",
    ]
    (fake / "y.py").write_text("from hrdwatch.security.permissions import Action\n")
    assert concept_violations() == [
        "hrdwatch/store/x.py imports hrdwatch.services",
        "hrdwatch/store/y.py imports hrdwatch.security.permissions",
    ]


# --- interfaces side by side, and no import circles ------------------------------------------------

#: sibling packages that must not import each other (what both need lives in ``interfaces/http``)
SIBLINGS = (("interfaces", "api"), ("interfaces", "web"))


def _modules(package: Path) -> dict[str, Path]:
    """Every module under ``package`` by dotted name (a package by its ``__init__``)."""
    return {module_name(path): path for path in sorted(package.rglob("*.py"))}


def module_imports(path: Path, known: set[str]) -> set[str]:
    """The hrdwatch modules ``path`` imports, each resolved to a module that exists:
    ``from hrdwatch.services import browse`` gives ``hrdwatch.services.browse``, ``from
    hrdwatch.store.tables import Person`` gives ``hrdwatch.store.tables``."""
    found: set[str] = set()
    for target, names in import_statements(path):
        found.update({f"{target}.{n}" if f"{target}.{n}" in known else target for n in names} or {target})
    module = module_name(path)
    return {name for name in found if name in known and name != module}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = _modules(package)
    known = set(modules)
    return {name: module_imports(path, known) for name, path in modules.items()}


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted: the circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(circles)


def test_no_import_circles() -> None:
    """Two modules that each need the other (late imports included, and a package's ``__init__``
    counted as a module) should share a third instead."""
    assert import_circles(import_graph()) == []


def test_the_circle_finder_sees_late_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "hrdwatch" / "web"
    pkg.mkdir(parents=True)
    (tmp_path / "hrdwatch" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "app.py").write_text("def make():\n    from hrdwatch.web import pages\n")
    (pkg / "pages.py").write_text("from hrdwatch.web.app import make\n")
    (pkg / "other.py").write_text("from hrdwatch.web import app\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "hrdwatch")
    assert import_circles(import_graph(tmp_path / "hrdwatch")) == [["hrdwatch.web.app", "hrdwatch.web.pages"]]


@pytest.mark.parametrize("sibling", SIBLINGS, ids=lambda s: "/".join(s))
def test_api_and_web_never_import_each_other(sibling: tuple[str, ...]) -> None:
    others = [".".join((ROOT, *s)) for s in SIBLINGS if s != sibling]
    found = [
        f"{path.relative_to(PACKAGE.parent)} imports {imported}"
        for path in sorted(PACKAGE.joinpath(*sibling).rglob("*.py"))
        for imported in sorted(hrdwatch_imports(path))
        if any(imported == o or imported.startswith(o + ".") for o in others)
    ]
    assert not found
