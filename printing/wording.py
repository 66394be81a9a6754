"""The Chinese half of the printed documents' bilingual labels, as plain data.

Every English label a document prints is marked ``N_("Agreement")`` (or ``NC_(context,
"Notes")`` where the same English has another Chinese elsewhere): it is a message of the
``print`` catalogue (events_app/languages). The caller passes a ``Wording`` with the document's
data: the Chinese of each message in one script (Traditional as in Hong Kong or Simplified),
and that script's language tag for the PDF. Labels with placeholders use named ones:
``N_("Page {page} of {total}")``. A message the wording lacks prints as a visible stand-in
(``【Agreement】``), never as nothing. Nothing here knows how a page is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

CONTEXT = "\x04"
"""Separates a message's context from its English, as in a compiled catalogue's keys."""
TRADITIONAL_TAG, SIMPLIFIED_TAG = "zh-Hant-HK", "zh-Hans-CN"


def N_(message: str) -> str:  # noqa: N802 (the catalogues' marker)
    """Mark an English label as a message of the print catalogue; return it unchanged."""
    return message


def NC_(context: str, message: str) -> str:  # noqa: N802 (the catalogues' marker)
    """Mark a label whose English means something else elsewhere; return its key."""
    return f"{context}{CONTEXT}{message}"


def english(key: str) -> str:
    """Return the English of a message key (its context left out)."""
    return key.rpartition(CONTEXT)[2]


@dataclass(frozen=True)
class Wording:
    """The Chinese of the print catalogue's messages in one script, and its language tag."""

    texts: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Message key (the English, or ``context\\x04English``) -> its Chinese."""
    language: str = TRADITIONAL_TAG
    """The BCP 47 tag of the Chinese: zh-Hant-HK or zh-Hans-CN."""

    def zh(self, key: str, **params: object) -> str:
        """Return the Chinese of a message, placeholders filled; a visible stand-in if none."""
        chinese = self.texts.get(key)
        if not chinese:
            return f"【{self.en(key, **params)}】"
        return chinese.format(**params) if params else chinese

    @staticmethod
    def en(key: str, **params: object) -> str:
        """Return the English of a message, placeholders filled."""
        text = english(key)
        return text.format(**params) if params else text

    def both(self, key: str, separator: str = "  ", **params: object) -> str:
        """Return the English, the separator, then the Chinese of a message."""
        return f"{self.en(key, **params)}{separator}{self.zh(key, **params)}"

    def missing(self, keys: list[str]) -> list[str]:
        """Return the keys of these messages that have no Chinese here."""
        return [key for key in keys if not self.texts.get(key)]
