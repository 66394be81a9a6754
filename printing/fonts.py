"""The one CJK font set-up for every PDF: Noto Sans CJK HK, embedded, Regular and Bold.

Source: the Python package ``manimgx-fonts-cjk`` ships Noto Sans CJK unmodified (the variable
``NotoSansCJK-VF.otf.ttc``, SIL Open Font License 1.1). Its outlines are CFF2, which reportlab
cannot embed, so on first use each weight is built once into a TrueType-outline font:

1. take the Hong Kong face (Traditional Chinese glyph shapes; it also covers every Simplified
   character of the CJK Unified Ideographs block) and subset it to Latin, punctuation, symbols,
   CJK Unified Ideographs and full-width forms;
2. draw every glyph at the weight (400 Regular, 700 Bold) and convert the cubic outlines to
   quadratic ones with fontTools' ``Cu2QuPen`` into a ``TTGlyphPen``;
3. write the font to the cache directory (``LAUNCH_EVENTS_FONT_CACHE``, or the user cache dir),
   under a name that changes with the source and the recipe. A file lock keeps two processes
   from building at once, and each build goes to a temporary file renamed into place, so a
   reader never sees half a font.

``register_fonts()`` registers both with reportlab; ``load_face()`` gives the metrics that the
streaming PDF writer (``printing.pdf``) needs. Characters outside the font are shown as
``REPLACEMENT`` (see ``substitute_uncovered``), never as a blank or an error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.resources
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SOURCE_PACKAGE = "manimgx-fonts-cjk"
SOURCE_MODULE = "manimgx_fonts_cjk"
SOURCE_FILE = "NotoSansCJK-VF.otf.ttc"
SOURCE_FACE = "Noto Sans CJK HK"
FAMILY = "Noto Sans CJK HK"
WEIGHTS = {"Regular": 400, "Bold": 700}
CACHE_ENV = "LAUNCH_EVENTS_FONT_CACHE"
RECIPE_VERSION = 1

# The mark shown in place of a character the font lacks (U+25A1 WHITE SQUARE).
REPLACEMENT = "\u25a1"

# Code point ranges kept in the built font (inclusive).
UNICODE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x214F),  # Letterlike Symbols
    (0x2190, 0x21FF),  # Arrows
    (0x25A0, 0x25FF),  # Geometric Shapes (the replacement mark)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)


@dataclass(frozen=True)
class FontSet:
    """The reportlab names of the registered fonts and the files behind them."""

    regular: str
    bold: str
    regular_path: Path
    bold_path: Path


@dataclass(frozen=True)
class Face:
    """Metrics of one built font, in font units, for measuring and embedding text."""

    path: Path
    postscript_name: str
    units_per_em: int
    cmap: dict[int, int]
    advances: tuple[int, ...]
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    weight: int

    def glyph(self, char: str) -> int:
        """Return the glyph id of one character (0, the missing glyph, when absent)."""
        return self.cmap.get(ord(char), 0)

    def string_width(self, text: str, size: float) -> float:
        """Return the width of text set at size points, in points."""
        cmap, advances = self.cmap, self.advances
        units = sum(advances[cmap.get(ord(c), 0)] for c in text)
        return units * size / self.units_per_em


def cache_dir() -> Path:
    """Return the directory that holds the built fonts."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "launch-events" / "fonts"


def source_path() -> Path:
    """Return the path of the Noto Sans CJK collection that the source package installed."""
    return Path(str(importlib.resources.files(SOURCE_MODULE).joinpath(SOURCE_FILE)))


def _recipe_digest(style: str) -> str:
    """Return a short digest of everything the built font depends on."""
    version = importlib.metadata.version(SOURCE_PACKAGE)
    recipe = repr((RECIPE_VERSION, version, SOURCE_FACE, style, WEIGHTS[style], UNICODE_RANGES))
    return hashlib.sha256(recipe.encode()).hexdigest()[:12]


def font_path(style: str) -> Path:
    """Return where the built font of a style ("Regular" or "Bold") lives in the cache."""
    return cache_dir() / f"NotoSansCJKhk-{style}-{_recipe_digest(style)}.ttf"


@contextlib.contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache directory (no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the atomic rename still protects readers
        yield
        return
    with open(directory / ".build.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_font(style: str) -> Path:
    """Return the built font of a style, building it first if the cache lacks it."""
    path = font_path(style)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path.parent):
        if path.exists():  # another process built it while we waited
            return path
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent
        )
        os.close(handle)
        try:
            _build(style, Path(temporary))
            os.chmod(temporary, 0o644)  # mkstemp makes it private; the cache may be shared
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    return path


def _open_source_face():  # type: ignore[no-untyped-def]
    """Return the fontTools font of SOURCE_FACE from the collection."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(source_path()), lazy=False)
    for font in collection.fonts:
        if font["name"].getDebugName(1) == SOURCE_FACE:
            return font
    raise LookupError(f"{SOURCE_FACE!r} is not in {source_path()}")


def _build(style: str, target: Path) -> None:
    """Build the TrueType-outline font of one style into target."""
    from fontTools import subset
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    source = _open_source_face()
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "VVAR"]
    subsetter = subset.Subsetter(options)
    unicodes = [code for low, high in UNICODE_RANGES for code in range(low, high + 1)]
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(source)

    weight = WEIGHTS[style]
    glyph_set = source.getGlyphSet(location={"wght": weight})
    order = source.getGlyphOrder()
    glyphs = {}
    widths = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph = glyph_set[name]
        glyph.draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
        widths[name] = round(glyph.width)

    upem = source["head"].unitsPerEm
    old_os2 = source["OS/2"]
    builder = FontBuilder(upem, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(source.getBestCmap())
    builder.setupGlyf(glyphs)
    glyf = builder.font["glyf"]
    metrics = {}
    for name in order:
        glyph = glyf[name]
        glyph.recalcBounds(glyf)
        metrics[name] = (widths[name], getattr(glyph, "xMin", 0))
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=source["hhea"].ascent, descent=source["hhea"].descent)
    names = source["name"]
    entries = {
        "copyright": names.getDebugName(0),
        "familyName": FAMILY,
        "styleName": style,
        "uniqueFontIdentifier": f"NotoSansCJKhk-{style};launch-events-{RECIPE_VERSION}",
        "fullName": f"{FAMILY} {style}",
        "psName": f"NotoSansCJKhk-{style}",
        "trademark": names.getDebugName(7),
        "licenseDescription": names.getDebugName(13),
        "licenseInfoURL": names.getDebugName(14),
    }
    builder.setupNameTable({key: value for key, value in entries.items() if value})
    builder.setupOS2(
        usWeightClass=weight,
        fsType=0,
        fsSelection=0x20 if style == "Bold" else 0x40,
        sTypoAscender=old_os2.sTypoAscender,
        sTypoDescender=old_os2.sTypoDescender,
        sTypoLineGap=old_os2.sTypoLineGap,
        usWinAscent=old_os2.usWinAscent,
        usWinDescent=old_os2.usWinDescent,
        sxHeight=old_os2.sxHeight,
        sCapHeight=old_os2.sCapHeight,
        achVendID=old_os2.achVendID,
        ulUnicodeRange1=old_os2.ulUnicodeRange1,
        ulUnicodeRange2=old_os2.ulUnicodeRange2,
        ulUnicodeRange3=old_os2.ulUnicodeRange3,
        ulUnicodeRange4=old_os2.ulUnicodeRange4,
        ulCodePageRange1=old_os2.ulCodePageRange1,
        ulCodePageRange2=old_os2.ulCodePageRange2,
    )
    builder.setupPost()
    builder.font["head"].macStyle = 0x01 if style == "Bold" else 0
    builder.save(str(target))


@functools.cache
def load_face(style: str) -> Face:
    """Return the metrics of the built font of a style, building it if needed."""
    from fontTools.ttLib import TTFont

    path = ensure_font(style)
    font = TTFont(str(path), lazy=True)
    order = font.getGlyphOrder()
    index = {name: gid for gid, name in enumerate(order)}
    hmtx = font["hmtx"].metrics
    head = font["head"]
    return Face(
        path=path,
        postscript_name=font["name"].getDebugName(6),
        units_per_em=head.unitsPerEm,
        cmap={code: index[name] for code, name in font.getBestCmap().items()},
        advances=tuple(hmtx[name][0] for name in order),
        ascent=font["OS/2"].sTypoAscender,
        descent=font["OS/2"].sTypoDescender,
        cap_height=font["OS/2"].sCapHeight,
        bbox=(head.xMin, head.yMin, head.xMax, head.yMax),
        weight=font["OS/2"].usWeightClass,
    )


@functools.cache
def register_fonts() -> FontSet:
    """Register Regular and Bold with reportlab (once) and return their names and files."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = ensure_font("Regular"), ensure_font("Bold")
    names = FontSet("NotoSansCJKhk-Regular", "NotoSansCJKhk-Bold", regular, bold)
    pdfmetrics.registerFont(TTFont(names.regular, str(regular)))
    pdfmetrics.registerFont(TTFont(names.bold, str(bold)))
    pdfmetrics.registerFontFamily(
        names.regular, normal=names.regular, bold=names.bold, italic=names.regular
    )
    return names


def uncovered_chars(text: str) -> list[str]:
    """Return the characters of text that the font cannot show, in order, without repeats."""
    cmap = load_face("Regular").cmap
    return list(dict.fromkeys(c for c in text if ord(c) not in cmap))


def is_covered(text: str) -> bool:
    """Tell whether the font can show every character of text."""
    return not uncovered_chars(text)


def substitute_uncovered(text: str, mark: str = REPLACEMENT) -> str:
    """Return text with each character the font cannot show replaced by a visible mark."""
    cmap = load_face("Regular").cmap
    if all(ord(c) in cmap for c in text):
        return text
    return "".join(c if ord(c) in cmap else mark for c in text)
