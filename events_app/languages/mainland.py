"""Simplified Chinese as the mainland writes it, made from Hong Kong text.

OpenCC's `hk2s` converts the characters only: 搜尋 becomes 搜寻, which no mainland page
says. The words of `catalogues/simplified_terms.toml` then replace the Hong Kong usage with
the mainland one (搜索, 设置, 胸卡...), longest match first and in one pass, so a longer term
is how a word is worded differently in one context (不会储存 → 不会存储, else 储存 → 保存)
and what a term writes is never converted again. Corner brackets become the mainland's
quotation marks: 「」 → “”, 『』 → ‘’.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from events_app.languages.scripts import QUOTES, to_simplified

TERMS = Path(__file__).resolve().parent / "catalogues" / "simplified_terms.toml"


def mainland_terms() -> dict[str, str]:
    """Return the mainland words that differ from the converted Hong Kong ones."""
    with TERMS.open("rb") as handle:
        return dict(tomllib.load(handle)["terms"])


class Mainland:
    """Hong Kong text in mainland Simplified: OpenCC, then one table of terms, then quotes."""

    def __init__(self, terms: Mapping[str, str]) -> None:
        self._terms = {hong_kong: mainland for hong_kong, mainland in terms.items() if hong_kong}
        longest_first = sorted(self._terms, key=len, reverse=True)
        alternatives = "|".join(map(re.escape, longest_first))
        self._pattern = re.compile(alternatives) if longest_first else None

    def __call__(self, text: str) -> str:
        """Return `text` (Traditional, as written in Hong Kong) as a mainland reader writes it."""
        converted = to_simplified(text)
        if self._pattern is not None:
            converted = self._pattern.sub(lambda found: self._terms[found[0]], converted)
        return converted.translate(QUOTES)


def unmatchable(terms: Mapping[str, str]) -> list[str]:
    """Return the terms that can never match: not what `hk2s` writes, or empty."""
    return [
        f"simplified_terms.toml: {hong_kong!r} is not what OpenCC hk2s writes: it never matches"
        for hong_kong in terms
        if not hong_kong or to_simplified(hong_kong) != hong_kong
    ]


@lru_cache(maxsize=1)
def _committed() -> Mainland:
    return Mainland(mainland_terms())


def to_mainland(text: str) -> str:
    """Return Hong Kong `text` as the Simplified catalogues word it (the committed terms)."""
    return _committed()(text)
