"""Language tags: which of the product's languages a browser, a guest or a URL asks for."""

from __future__ import annotations

LANGUAGES = ("en", "zh_Hant_HK", "zh_Hans_CN")
"""English, Traditional Chinese as written in Hong Kong, Simplified Chinese as in mainland China."""
DEFAULT = "en"
COOKIE = "lang"
NAMES = {"en": "English", "zh_Hant_HK": "繁體中文", "zh_Hans_CN": "简体中文"}
"""Each language named in itself, as a language switch shows it."""
HTML_LANG = {"en": "en", "zh_Hant_HK": "zh-Hant-HK", "zh_Hans_CN": "zh-Hans-CN"}
TRADITIONAL = {"hant", "hk", "tw", "mo"}
SIMPLIFIED = {"hans", "cn", "sg", "my"}


def best_language(tag: str | None) -> str | None:
    """Return the product's language for a BCP 47 or POSIX tag (zh-HK, zh_Hans, en-GB), or None.

    A script (Hant, Hans) decides; else the region (HK, TW and MO write Traditional; CN, SG
    and MY Simplified); a bare `zh` is Simplified, as most of its readers write it.
    """
    if not tag or len(tag) > 35:
        return None
    parts = [p.lower() for p in tag.replace("_", "-").split("-") if p]
    if not parts:
        return None
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    rest = set(parts[1:])
    if "hant" in rest:
        return "zh_Hant_HK"
    if "hans" in rest:
        return "zh_Hans_CN"
    if rest & TRADITIONAL:
        return "zh_Hant_HK"
    return "zh_Hans_CN"


def html_lang(language: str) -> str:
    """Return the `lang` attribute of a page in `language`."""
    return HTML_LANG.get(language, "en")
