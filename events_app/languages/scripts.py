"""Chinese scripts: Traditional (Hong Kong) and Simplified text, converted by OpenCC.

Text stays as people typed it; it is converted where it is shown in the other script (a
Traditional title on a Simplified page) and folded into one script for search, so 黄秉 finds
黃秉修 and 香港科技园 finds 香港科技園.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import opencc

_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _convert(config: str, text: str) -> str:
    if not text or text.isascii():
        return text
    with _LOCK:  # one converter per configuration, shared by the threads of a process
        return str(_converter(config).convert(text))


QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
"""Hong Kong's corner brackets as the mainland's quotation marks."""


def to_simplified(text: str) -> str:
    """Return `text` in Simplified characters (Hong Kong forms read as such)."""
    return _convert("hk2s", text)


def to_traditional(text: str) -> str:
    """Return `text` in Traditional characters as written in Hong Kong."""
    return _convert("s2hk", text)


def search_key(text: str) -> str:
    """Return `text` folded for search: lower case, in one script (Simplified)."""
    return _convert("t2s", text.lower())


def in_script(text: str, language: str) -> str:
    """Return Chinese `text` in the script of `language` (English pages keep it as it is).

    Simplified text also takes the mainland's quotation marks (「」 → “”).
    """
    if language == "zh_Hans_CN":
        return to_simplified(text).translate(QUOTES)
    if language == "zh_Hant_HK":
        return to_traditional(text)
    return text


def name_in(language: str, english: str, chinese: str) -> str:
    """Return what something is called in `language`: its Chinese in that script, else English.

    English pages show the English name, or the Chinese one when there is no other.
    """
    if language == "en":
        return english or chinese
    return in_script(chinese or english, language)
