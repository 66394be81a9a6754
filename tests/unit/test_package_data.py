"""The wheel holds every file the app reads: templates, static files and the demo's seed data."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "events_app"


def package_data_patterns() -> list[str]:
    """Return the package-data globs pyproject.toml gives for events_app."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return list(config["tool"]["setuptools"]["package-data"]["events_app"])


DATA_FILES = sorted(
    path
    for path in APP.rglob("*")
    if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(APP)))
def test_every_file_the_app_reads_is_package_data(path: Path) -> None:
    relative = path.relative_to(APP)
    assert any(relative.match(pattern) for pattern in package_data_patterns()), relative


def test_the_demo_seed_files_are_there() -> None:
    names = {p.name for p in DATA_FILES if p.parent == APP / "demo" / "data"}
    assert names == {
        "gathering.toml",
        "slots.csv",
        "firms.csv",
        "ceremonies.toml",
        "running_order.toml",
        "questions.toml",
        "checkpoints.toml",
    }
