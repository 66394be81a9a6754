"""A programme's palette, its sectors (names and colours) and plain-text helpers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from printing.documents import ProgrammeData, Sector
from printing.wording import N_

RGB = tuple[float, float, float]


def hex_colour(value: str) -> RGB:
    """Return an RGB colour (0..1) from "#RRGGBB"."""
    value = value.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def tint(colour: RGB, amount: float) -> RGB:
    """Return colour mixed with white: amount 1 is the colour, 0 is white."""
    return (
        1 - (1 - colour[0]) * amount,
        1 - (1 - colour[1]) * amount,
        1 - (1 - colour[2]) * amount,
    )


def darker(colour: RGB) -> RGB:
    """Return a sector colour darkened for text set on its tint."""
    return (colour[0] * 0.78, colour[1] * 0.78, colour[2] * 0.78)


NAVY = hex_colour("#0E2A47")
GOLD = hex_colour("#A8842F")
GOLD_LIGHT = hex_colour("#D9B45A")
INK = hex_colour("#14181F")
INK_SOFT = hex_colour("#3A4452")
INK_MUTED = hex_colour("#66717F")
HAIRLINE = hex_colour("#C9CFD8")
VACANT = hex_colour("#9AA3AE")
WHITE: RGB = (1.0, 1.0, 1.0)
HAIR = 0.35  # weight of hairline rules, in points

_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufe00-\ufe0f\U000e0000-\U000e01ef]"
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DOUBLE_OPEN = re.compile(r'(^|[\s(\[{\u2014\u2013/「『（])"')
_SINGLE_OPEN = re.compile(r"(^|[\s(\[{\u2014\u2013/「『（])'")


def clean(text: str) -> str:
    """Return text composed, invisible marks dropped, spaces collapsed, straight quotes curly."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = " ".join(_CONTROL.sub(" ", text).split())
    if '"' in text or "'" in text:
        text = _DOUBLE_OPEN.sub("\\1\u201c", text).replace('"', "\u201d")
        text = _SINGLE_OPEN.sub("\\1\u2018", text).replace("'", "\u2019")
    return text


def join(*parts: str, separator: str = " · ") -> str:
    """Return the non-empty parts, cleaned, joined by separator."""
    return separator.join(p for p in (clean(part) for part in parts) if p)


def natural_key(code: str) -> tuple[object, ...]:
    """Return a sort key that puts A-2 before A-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


@dataclass(frozen=True)
class SectorStyle:
    """How a sector is named and coloured in the directory and on the map.

    In ``SECTORS`` the Chinese is left empty: the English is a message, its Chinese the
    programme's wording.
    """

    key: str
    name_en: str
    name_zh: str
    colour: RGB


SECTORS: dict[str, SectorStyle] = {
    "life-health": SectorStyle("life-health", N_("Life and Health"), "", hex_colour("#2E7D64")),
    "ai-data": SectorStyle("ai-data", N_("AI and Data"), "", hex_colour("#2F5E9E")),
    "advanced-manufacturing": SectorStyle(
        "advanced-manufacturing", N_("Advanced Manufacturing"), "", hex_colour("#B0662B")
    ),
}
EXTRA_COLOURS = tuple(
    hex_colour(value) for value in ("#7B4F8E", "#8A7A2E", "#A23B4B", "#3F7F8C", "#5A6B7D")
)


def sector_styles(data: ProgrammeData) -> dict[str, SectorStyle]:
    """Return the style of every sector the programme names: known ones first, then others."""
    named = {s.key: s for s in data.sectors}
    keys = list(SECTORS)
    for key in [e.sector for e in data.exhibitors] + [s.sector for s in data.slots]:
        if key and key not in keys:
            keys.append(key)
    keys += [key for key in named if key not in keys]
    styles, extra = {}, 0
    for key in keys:
        known = SECTORS.get(key)
        if known is not None:
            colour = known.colour
        else:
            colour = EXTRA_COLOURS[extra % len(EXTRA_COLOURS)]
            extra += 1
        given: Sector | None = named.get(key)
        name_en = given.name_en if given else (known.name_en if known else title_of(key))
        name_zh = given.name_zh if given else (data.wording.zh(name_en) if known else "")
        styles[key] = SectorStyle(key, name_en, name_zh, colour)
    return styles


def title_of(key: str) -> str:
    """Return a sector key as a name: "life-health" -> "Life health"."""
    return clean(key.replace("-", " ").replace("_", " ")).capitalize()
