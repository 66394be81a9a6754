"""The print catalogue as the plain `printing.wording.Wording` a document is printed with.

Printed documents and badges are bilingual: English, then Chinese in one script. The
Chinese comes from the compiled ``print`` catalogue (events_app/languages/catalogues/print):
Simplified for a reader of Simplified Chinese (zh_Hans_CN), else Traditional as written in
Hong Kong (zh_Hant_HK), which is also what English readers get beside their English.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from functools import cache
from typing import Any, TypeVar

from babel.messages.mofile import read_mo

from events_app.languages import CATALOGUES
from events_app.languages.scripts import in_script
from events_app.languages.tags import best_language
from printing.wording import NC_, SIMPLIFIED_TAG, TRADITIONAL_TAG, Wording

T = TypeVar("T")
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


def in_document_script(data: T, language: str | None) -> T:
    """Return a document's data with its Chinese in the document's script (see print_language).

    What organisers typed in Traditional (titles, venue, names, clauses) reads Simplified in a
    Simplified document, as a mainland reader expects; a Traditional document keeps it as is.
    """
    if print_language(language) != SIMPLIFIED:
        return data
    return _simplified(data)  # type: ignore[no-any-return]


def _simplified(value: Any) -> Any:
    """Return `value` with every string in it in Simplified (the wording already is)."""
    if isinstance(value, str):
        return in_script(value, SIMPLIFIED)
    if isinstance(value, Wording):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _simplified(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changes)
    if isinstance(value, tuple | list):
        return type(value)(_simplified(item) for item in value)
    if isinstance(value, dict):
        return {key: _simplified(item) for key, item in value.items()}
    return value
