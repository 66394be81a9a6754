"""The fonts of every PDF: a fallback chain chosen per character, registered with reportlab.

Two well-kept packages of Noto fonts (SIL Open Font License 1.1) supply the faces:

- ``manimgx-fonts``: Noto Sans, for Latin (every European letter, Vietnamese), Greek and
  Cyrillic; a variable TrueType font, instanced at each weight;
- ``manimgx-fonts-cjk``: Noto Sans CJK, whose collection holds the SC, HK, JP and KR faces.
  Simplified Chinese text takes the SC face's glyph forms, Traditional text the HK face's
  (the caller says which: the script of the text's language); a text with kana takes the JP
  face, a text with Hangul the KR face, for its ideographs too.

The chain, per character: the CJK face for ideographs, kana, Hangul and CJK punctuation;
Noto Sans for anything it covers (quotes and dashes beside CJK text go with the CJK face);
else the CJK face, if it covers it. A character no face covers is ``uncovered``: callers
flag it to the organiser before printing, and the PDF shows ``REPLACEMENT`` in its place.

A ``FontBook`` registers, for one document, one reportlab TrueType font per face and weight
holding exactly the document's characters (the CJK ones converted from CFF2 a glyph at a
time, see ``printing.font_program``; converted glyphs are cached on disk), under names that
change with the characters, so the same texts always give the same fonts and the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import io
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from printing import font_program

HANT, HANS = "hant", "hans"
SCRIPTS = (HANT, HANS)
LATIN = "latin"
CJK_FACES = {HANT: "Noto Sans CJK HK", HANS: "Noto Sans CJK SC", "ja": "Noto Sans CJK JP"}
CJK_FACES["ko"] = "Noto Sans CJK KR"
WEIGHTS = {False: 400, True: 700}
LATIN_FILE = "NotoSans[wght].ttf"
REPLACEMENT = "\u25a1"  # WHITE SQUARE, where no face has the character
FONT_TIMESTAMP = font_program.FONT_TIMESTAMP

_LOCK = threading.RLock()


def _is_cjk(code: int) -> bool:
    """Tell whether a character belongs to the CJK face whatever Noto Sans has."""
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0x1100 <= code <= 0x11FF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


def _is_ambiguous(code: int) -> bool:
    """Tell whether a character takes the face of the CJK text it stands beside (quotes, dashes)."""
    return 0x2010 <= code <= 0x206F or code == 0x00B7


def normal(text: str) -> str:
    """Return text in NFC, as it is printed (decomposed Vietnamese input composes)."""
    return unicodedata.normalize("NFC", text)


@functools.cache
def latin_cmap() -> frozenset[int]:
    """Return the code points Noto Sans covers."""
    return frozenset(_latin_source().getBestCmap())  # a private copy: no lock needed


@functools.cache
def cjk_cmap() -> frozenset[int]:
    """Return the code points Noto Sans CJK covers (its faces all cover the same)."""
    return frozenset(_cjk_gids(CJK_FACES[HANT]))


def _printable(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def uncovered(text: str) -> list[str]:
    """Return the characters of text that no face can show, in order, without repeats."""
    latin, cjk = latin_cmap(), cjk_cmap()
    found = (
        c for c in normal(text) if ord(c) not in latin and ord(c) not in cjk and not _printable(c)
    )
    return list(dict.fromkeys(found))


_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def cjk_face(text: str, script: str) -> str:
    """Return the CJK face for a text: JP when it has kana, KR with Hangul, else the script's."""
    if _KANA.search(text):
        return CJK_FACES["ja"]
    if _HANGUL.search(text):
        return CJK_FACES["ko"]
    return CJK_FACES[script if script in SCRIPTS else HANT]


def runs(text: str, script: str = HANT) -> list[tuple[str, str]]:
    """Split text into (face, text) runs: LATIN or a CJK face name; uncovered chars replaced."""
    if text.isascii() and text.isprintable():  # Noto Sans has every printable ASCII char
        return [(LATIN, text)] if text else []
    text = normal(text)
    latin, cjk, east = latin_cmap(), cjk_cmap(), cjk_face(text, script)
    result: list[tuple[str, str]] = []
    previous = LATIN
    for char in text:
        code = ord(char)
        beside_cjk = _is_ambiguous(code) and previous != LATIN
        if code in cjk and (_is_cjk(code) or beside_cjk):
            face = east
        elif code in latin or _printable(char):
            face = LATIN if not (char == " " and previous != LATIN) else previous
        elif code in cjk:
            face = east
        else:
            face, char = east, REPLACEMENT  # the CJK faces have the white square
        if not char.isspace():
            previous = face
        if result and result[-1][0] == face:
            result[-1] = (face, result[-1][1] + char)
        else:
            result.append((face, char))
    return result


@dataclass(frozen=True)
class Registered:
    """The reportlab name of one face at one weight, with the characters it holds."""

    name: str
    chars: frozenset[str]


class FontBook:
    """reportlab fonts registered for one document: every face its texts need, both weights."""

    def __init__(self, texts: Iterable[tuple[str, str]]) -> None:
        """Register fonts covering texts, given as (text, script) pairs."""
        self._chars: dict[str, str] = {LATIN: " 0123456789"}
        self._sets: dict[str, frozenset[str]] = {}
        self._fonts: dict[tuple[str, bool], str] = {}
        self._add(texts)

    def _add(self, texts: Iterable[tuple[str, str]]) -> None:
        """Register (again, larger) the fonts of faces that lack characters of texts."""
        wanted = {face: set(chars) for face, chars in self._chars.items()}
        for text, script in texts:
            for face, part in runs(text, script):
                wanted.setdefault(face, set()).update(part)
        for face, chars in sorted(wanted.items()):
            joined = "".join(sorted(chars))
            if self._chars.get(face) != joined or (face, False) not in self._fonts:
                self._chars[face] = joined
                self._sets[face] = frozenset(joined)
                for bold in (False, True):
                    self._fonts[(face, bold)] = _register(face, WEIGHTS[bold], joined)

    @classmethod
    def covering(cls, texts: Iterable[str], script: str = HANT) -> FontBook:
        """Return a book for texts all in one script."""
        return cls((text, script) for text in texts)

    def font(self, face: str = LATIN, bold: bool = False) -> str:
        """Return the reportlab font name of a face at a weight."""
        return self._fonts[(face, bold)]

    @property
    def base(self) -> str:
        """Return the regular Latin font's name (a style's fontName)."""
        return self.font(LATIN, False)

    @property
    def bold_base(self) -> str:
        """Return the bold Latin font's name."""
        return self.font(LATIN, True)

    def runs(self, text: str, script: str = HANT, bold: bool = False) -> list[tuple[str, str]]:
        """Return text as (reportlab font name, text) runs (fonts grow for text not yet seen)."""
        split = runs(text, script)
        if any(not self._sets.get(face, frozenset()).issuperset(part) for face, part in split):
            self._add([(text, script)])
        return [(self.font(face, bold), part) for face, part in split]

    def markup(self, text: str, script: str = HANT, bold: bool = False) -> str:
        """Return text as paragraph markup: XML-escaped runs in <font name="..."> tags."""
        return "".join(
            f'<font name="{name}">{escape(part)}</font>'
            for name, part in self.runs(text, script, bold)
        )

    def width(self, text: str, size: float, script: str = HANT, bold: bool = False) -> float:
        """Return the width of text at size points, in points."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(part, name, size) for name, part in self.runs(text, script, bold))

    def draw(self, canvas: Any, x: float, y: float, text: str, size: float, **how: Any) -> float:
        """Draw text on a canvas from (x, y) at size points; return its width.

        ``how`` may give ``script``, ``bold`` and ``char_space`` (points between letters,
        kept as one string per run so the text extracts as words).
        """
        script, bold = how.get("script", HANT), how.get("bold", False)
        char_space = how.get("char_space", 0.0)
        from reportlab.pdfbase.pdfmetrics import stringWidth

        text_object = canvas.beginText(x, y)
        if char_space:
            text_object.setCharSpace(char_space)
        start = x
        for name, part in self.runs(text, script, bold):
            text_object.setFont(name, size)
            text_object.textOut(part)
            x += stringWidth(part, name, size) + char_space * len(part)
        if not char_space:
            canvas.drawText(text_object)
            return x - start
        # Spaced letters are one string, but readers split them by the gaps: ActualText
        # says what they read; q/Q ends the spacing (Tc outlives the text object).
        actual = normal(text).encode("utf-16-be").hex().upper()
        canvas.saveState()
        canvas.addLiteral(f"/Span <</ActualText <FEFF{actual}>>> BDC")
        canvas.drawText(text_object)
        canvas.addLiteral("EMC")
        canvas.restoreState()
        return x - start


def _register(face: str, weight: int, chars: str) -> str:
    """Register a font of a face at a weight holding chars with reportlab; return its name."""
    digest = hashlib.sha256(f"{face}|{weight}|{chars}".encode()).hexdigest()[:10]
    tag = "NotoSans" if face == LATIN else face.replace(" ", "")
    name = f"{tag}-{weight}-{digest}"
    _install(name, face, weight, chars)
    return name


@functools.lru_cache(maxsize=256)
def _install(name: str, face: str, weight: int, chars: str) -> None:
    """Make and register the font (once per process and name)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _LOCK:
        if face == LATIN:
            data = _latin_program(name, weight, chars)
        else:
            data = _cjk_program(name, face, weight, chars)
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))


@functools.cache
def _latin_bytes() -> bytes:
    """Return the bytes of the Noto Sans variable font."""
    return importlib.resources.files("manimgx_fonts").joinpath(LATIN_FILE).read_bytes()


def _latin_source() -> Any:
    """Return a fresh, lazily read copy of Noto Sans (its tables load as they are used)."""
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(_latin_bytes()), lazy=True)


def _latin_program(name: str, weight: int, chars: str) -> bytes:
    """Return Noto Sans cut down to chars and instanced at weight, as a static TrueType font."""
    from fontTools import subset
    from fontTools.varLib import instancer

    font = _latin_source()
    for tag in ("GSUB", "GPOS", "GDEF"):  # reportlab applies no layout features
        if tag in font:
            del font[tag]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    static = instancer.instantiateVariableFont(font, {"wght": weight})
    static["name"].setName(name, 6, 3, 1, 0x409)  # the PostScript name, unique per program
    static["name"].setName(name, 6, 1, 0, 0)
    static["head"].created = static["head"].modified = FONT_TIMESTAMP
    static["head"].macStyle = int(weight >= 600)
    static.recalcTimestamp = False
    out = io.BytesIO()
    static.save(out)
    return out.getvalue()


@functools.cache
def _cjk_gids(face: str) -> dict[int, int]:
    """Return a CJK face's code point -> glyph id map."""
    with _LOCK:
        source = font_program.source_face(face)
        index = {glyph: gid for gid, glyph in enumerate(source.getGlyphOrder())}
        return {code: index[glyph] for code, glyph in source.getBestCmap().items()}


def _cjk_program(name: str, face: str, weight: int, chars: str) -> bytes:
    """Return the CJK face's glyphs of chars at weight as a standalone TrueType font."""
    best = _cjk_gids(face)
    cmap = {ord(c): best[ord(c)] for c in chars if ord(c) in best}
    gids = sorted(set(cmap.values()) - {0})
    style = "Bold" if weight >= 600 else "Regular"
    names = font_program.Names(face, style, name, weight, cmap)
    return font_program.program(weight, gids, names=names, face=face)


def script_of(language: str) -> str:
    """Return the script (HANS or HANT) of a BCP 47 tag: zh-Hans-CN, zh-CN, zh-SG are HANS."""
    tag = language.lower().replace("_", "-")
    simplified = "hans" in tag or tag in ("zh-cn", "zh-sg", "zh-my")
    return HANS if simplified else HANT


def warm() -> None:
    """Load the faces' character maps now (at start-up), so the first PDF does not wait."""
    latin_cmap()
    cjk_cmap()
