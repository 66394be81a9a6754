"""Dependencies run one way, with no circle: entry points -> services -> read models, store, domain.

Read from the source with `ast`, so an import inside a function counts as much as one at
the top of a module. What the entry points share (schemas, presenters, page support)
lives in `events_app.schemas`, `events_app.presenters` and `events_app.pages`' own modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "events_app"
ENTRY_POINTS = (
    "events_app.api",
    "events_app.cli",
    "events_app.pages.guest",
    "events_app.pages.door",
    "events_app.pages.console",
)
"""Each entry point's package: none of them imports another."""
BENEATH_ENTRY_POINTS = (
    "events_app.services",
    "events_app.read_models",
    "events_app.store",
    "events_app.mail",
    "events_app.demo",
)
"""Layers the entry points call: they import no entry point, no schema, no page support."""
ENTRY_POINT_SUPPORT = ("events_app.schemas", "events_app.presenters", "events_app.pages")
LOWER = {
    "events_app.read_models": ("events_app.services", "events_app.mail", "events_app.demo"),
    "events_app.store": (
        "events_app.services",
        "events_app.read_models",
        "events_app.mail",
        "events_app.demo",
    ),
}
"""What each lower layer may not import: the read models and the store sit beneath services."""
DOMAIN_MAY_NOT = ("flask", "marshmallow", "reportlab", "events_app", "printing", "psycopg")
PRINTING_MAY_NOT = ("flask", "events_app", "eventsourcing", "psycopg", "marshmallow")


def module_of(path: Path) -> str:
    """Return the dotted module name of a source file under the project root."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Return every module `path` imports, absolute, wherever in the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def within(module: str, package: str) -> bool:
    """Tell whether `module` is `package` or inside it."""
    return module == package or module.startswith(package + ".")


def first(module: str, packages: Iterable[str]) -> str | None:
    """Return the first package of `packages` that holds `module`."""
    return next((package for package in packages if within(module, package)), None)


SOURCES = sorted(APP.rglob("*.py"))
IDS = {"ids": lambda p: str(p.relative_to(ROOT))}


@pytest.mark.parametrize("path", SOURCES, **IDS)
def test_an_entry_point_imports_no_other_entry_point(path: Path) -> None:
    own = first(module_of(path), ENTRY_POINTS)
    if own is None:
        return
    crossing = sorted(
        module for module in imports_of(path) if first(module, ENTRY_POINTS) not in (None, own)
    )
    assert crossing == [], f"{path.relative_to(ROOT)} ({own}) imports {crossing}"


@pytest.mark.parametrize("path", SOURCES, **IDS)
def test_services_and_what_is_beneath_them_import_no_entry_point(path: Path) -> None:
    layer = first(module_of(path), BENEATH_ENTRY_POINTS)
    if layer is None:
        return
    upward = ENTRY_POINTS + ENTRY_POINT_SUPPORT + LOWER.get(layer, ())
    bad = sorted(m for m in imports_of(path) if first(m, upward) or m == "events_app.context")
    assert bad == [], f"{path.relative_to(ROOT)} ({layer}) imports {bad}"


@pytest.mark.parametrize("path", sorted((APP / "rate_limits").rglob("*.py")), **IDS)
def test_rate_limits_import_no_entry_point(path: Path) -> None:
    """The pages register how they answer a 429; the limits never reach into them."""
    bad = sorted(m for m in imports_of(path) if first(m, ENTRY_POINTS + ENTRY_POINT_SUPPORT))
    assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", sorted((ROOT / "domain").rglob("*.py")), **IDS)
def test_the_domain_imports_no_framework_and_no_adapter(path: Path) -> None:
    bad = sorted(m for m in imports_of(path) if m.split(".")[0] in DOMAIN_MAY_NOT)
    bad += sorted(m for m in imports_of(path) if m.startswith("eventsourcing.persistence"))
    assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("path", sorted((ROOT / "printing").rglob("*.py")), **IDS)
def test_printing_is_plain_data_to_pdf(path: Path) -> None:
    bad = sorted(m for m in imports_of(path) if m.split(".")[0] in PRINTING_MAY_NOT)
    assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"


def import_graph(sources: Iterable[Path]) -> dict[str, set[str]]:
    """Return, for each project module, the project modules it imports."""
    modules = {module_of(path): path for path in sources}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {
            target
            for imported in imports_of(path)
            for target in (imported, imported.rsplit(".", 1)[0])
            if target in modules and target != name
        }
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one import circle per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = [stack.pop()]
            while group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


PROJECT = (
    SOURCES + sorted((ROOT / "domain").rglob("*.py")) + sorted((ROOT / "printing").rglob("*.py"))
)


PRINTING_ONLY = ("reportlab",)
"""The PDF library: only printing draws PDFs, the app hands it plain data."""


@pytest.mark.parametrize("path", SOURCES + sorted((ROOT / "domain").rglob("*.py")), **IDS)
def test_only_printing_imports_the_pdf_library(path: Path) -> None:
    bad = sorted(m for m in imports_of(path) if m.split(".")[0] in PRINTING_ONLY)
    assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"


def package_edges_removed(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Drop a package's imports of its own modules (an `__init__` gathering its parts)."""
    return {name: {t for t in targets if not within(t, name)} for name, targets in graph.items()}


def test_no_import_circle() -> None:
    found = circles(package_edges_removed(import_graph(PROJECT)))
    assert found == [], "import circles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """A crossing inside a function and a circle of two modules are both seen."""
    source = tmp_path / "view.py"
    source.write_text("def f():\n    from events_app.api.gatherings import bp\n")
    assert "events_app.api.gatherings" in imports_of(source)
    assert first("events_app.api.gatherings", ENTRY_POINTS) == "events_app.api"
    assert first("events_app.apis", ENTRY_POINTS) is None
    assert first("events_app.pages.console.sign_in", ENTRY_POINTS) == "events_app.pages.console"
    assert circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert circles({"a": {"b"}, "b": set()}) == []
