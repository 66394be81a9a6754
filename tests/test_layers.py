"""Dependencies run one way: entry points never import each other; the domain imports no adapter.

Read from the source with `ast`, so an import inside a function counts as much as one at
the top of a module. What the entry points share (schemas, presenters, page support)
lives in `events_app.schemas`, `events_app.presenters` and `events_app.pages`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "events_app"
ENTRY_POINTS = {
    "api": "events_app.api",
    "web": "events_app.web",
    "console": "events_app.console",
    "cli": "events_app.cli",
}
"""Each entry point's package or module prefix (the CLI is `cli.py` and `*_cli.py`)."""
DOMAIN_MAY_NOT = ("flask", "marshmallow", "reportlab", "events_app", "printing", "psycopg")


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


def entry_point_of(path: Path) -> str | None:
    """Return which entry point a source file belongs to, if any."""
    relative = path.relative_to(APP)
    if relative.parts[0] in ("api", "web", "console"):
        return relative.parts[0]
    if len(relative.parts) == 1 and (path.stem == "cli" or path.stem.endswith("_cli")):
        return "cli"
    return None


def belongs_to(module: str, entry: str) -> bool:
    if entry == "cli":
        last = module.rsplit(".", 1)[-1]
        return module.startswith("events_app.") and (last == "cli" or last.endswith("_cli"))
    prefix = ENTRY_POINTS[entry]
    return module == prefix or module.startswith(prefix + ".")


SOURCES = sorted(APP.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_entry_point_imports_no_other_entry_point(path: Path) -> None:
    own = entry_point_of(path)
    if own is None:
        return
    crossing = sorted(
        module
        for module in imports_of(path)
        for other in ENTRY_POINTS
        if other != own and belongs_to(module, other)
    )
    assert crossing == [], f"{path.relative_to(ROOT)} ({own}) imports {crossing}"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "domain").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_domain_imports_no_framework_and_no_adapter(path: Path) -> None:
    bad = sorted(m for m in imports_of(path) if m.split(".")[0] in DOMAIN_MAY_NOT)
    bad += sorted(m for m in imports_of(path) if m.startswith("eventsourcing.persistence"))
    assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"


def test_the_rule_itself_catches_a_crossing(tmp_path: Path) -> None:
    """The checker sees an import hidden inside a function."""
    source = tmp_path / "view.py"
    source.write_text("def f():\n    from events_app.api.gatherings import bp\n")
    assert belongs_to("events_app.api.gatherings", "api")
    assert "events_app.api.gatherings" in imports_of(source)
    assert not belongs_to("events_app.apis", "api")
    assert belongs_to("events_app.read_models_cli", "cli")
