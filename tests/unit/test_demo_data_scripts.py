"""The demo data's Chinese is Hong Kong Traditional throughout: s2hk changes none of it."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from events_app.languages.scripts import to_traditional

DATA = Path(__file__).resolve().parents[2] / "events_app" / "demo" / "data"
TRADITIONAL_ALREADY = {
    "余家俊": "the surname 余 (Yu), which s2hk takes for the Simplified 余 (餘, 'remaining')",
    "后海": "Houhai in Shenzhen, written 后海 in Traditional too (s2hk makes it 後海)",
}
"""Words s2hk would change that are right as they are, each with why."""
MAINLAND_FORMS = {"伙伴": "夥伴"}
"""Forms s2hk keeps (both are Traditional characters) that Hong Kong writes otherwise."""


def strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Yield every string in a parsed TOML value, with where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from strings(item, f"{where}[{n}]")


def fields_of(path: Path) -> Iterator[tuple[str, str]]:
    """Yield every text field of a demo data file, with where it is."""
    if path.suffix == ".toml":
        yield from strings(tomllib.loads(path.read_text(encoding="utf-8")), path.name)
        return
    with path.open(encoding="utf-8", newline="") as file:
        for line, row in enumerate(csv.DictReader(file), start=2):
            for column, text in row.items():
                yield f"{path.name}:{line}:{column}", text


def not_traditional(text: str) -> list[str]:
    """Return the characters of `text` that s2hk would change, as 'before→after'."""
    for word in TRADITIONAL_ALREADY:
        text = text.replace(word, "")
    found = [f"{word}→{hk}" for word, hk in MAINLAND_FORMS.items() if word in text]
    converted = to_traditional(text)
    if found:
        return found
    if len(converted) != len(text):
        return [f"{text}→{converted}"]
    return [f"{a}→{b}" for a, b in zip(text, converted, strict=True) if a != b]


FILES = sorted(p for p in DATA.iterdir() if p.suffix in {".toml", ".csv"})


def test_there_is_demo_data_with_chinese() -> None:
    chinese = [
        t for p in FILES for _, t in fields_of(p) if any("\u4e00" <= c <= "\u9fff" for c in t)
    ]
    assert {p.name for p in FILES} >= {"gathering.toml", "firms.csv", "ceremonies.toml"}
    assert len(chinese) > 50


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_demo_data_is_in_traditional_characters(path: Path) -> None:
    wrong = {where: found for where, text in fields_of(path) if (found := not_traditional(text))}
    assert wrong == {}


def test_the_check_catches_simplified_characters() -> None:
    assert not_traditional("主禮嘉賓：钟海") == ["钟→鍾"]
    assert not_traditional("皇岗邊檢站") == ["岗→崗"]
    assert not_traditional("「Global Connect」合作伙伴簽約儀式") == ["伙伴→夥伴"]
    assert not_traditional("Yu Ka Chun 余家俊、后海電力電子") == []


def test_the_exceptions_are_ones_s2hk_would_change() -> None:
    assert all(to_traditional(word) != word for word in TRADITIONAL_ALREADY)
