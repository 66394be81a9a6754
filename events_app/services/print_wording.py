"""The print catalogue as the plain `printing.wording.Wording` a document is printed with.

Printed documents and badges are bilingual: English, then Chinese in one script. The
Chinese comes from the compiled ``print`` catalogue (events_app/languages/catalogues/print):
Simplified for a reader of Simplified Chinese (zh_Hans_CN), else Traditional as written in
Hong Kong (zh_Hant_HK), which is also what English readers get beside their English.
"""

from __future__ import annotations

from functools import cache

from babel.messages.mofile import read_mo

from events_app.languages import CATALOGUES
from events_app.languages.tags import best_language
from printing.wording import NC_, SIMPLIFIED_TAG, TRADITIONAL_TAG, Wording

TRADITIONAL, SIMPLIFIED = "zh_Hant_HK", "zh_Hans_CN"
TAGS = {TRADITIONAL: TRADITIONAL_TAG, SIMPLIFIED: SIMPLIFIED_TAG}
"""The catalogue of each script, and the language tag its PDFs carry."""


def print_language(language: str | None) -> str:
    """Return the Chinese to print beside the English: Simplified for zh_Hans_CN, else Traditional.

    ``language`` may be any tag the product understands (zh_Hans_CN, zh-CN, en...) or None.
    """
    return SIMPLIFIED if best_language(language) == SIMPLIFIED else TRADITIONAL


@cache
def wording(language: str | None = None) -> Wording:
    """Return the wording of the documents for a reader of `language` (see print_language)."""
    chinese = print_language(language)
    path = CATALOGUES / "print" / chinese / "LC_MESSAGES" / "messages.mo"
    with path.open("rb") as handle:  # a missing catalogue fails loudly, never prints blanks
        catalogue = read_mo(handle)
    texts: dict[str, str] = {}
    for message in catalogue:
        if message.id and isinstance(message.id, str) and message.string:
            key = NC_(message.context, message.id) if message.context else message.id
            texts[key] = str(message.string)
    return Wording(texts, TAGS[chinese])
