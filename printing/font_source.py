"""Where the CJK font comes from and where what is made of it is cached.

Shared by the metrics (``printing.fonts``) and the font programs (``printing.font_program``):
the source package, file and face, the weights and code points the documents use, and the
recipe digest that names every cache file, so a change to any of them is never read from a
stale cache.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import os
import sys
from pathlib import Path

SOURCE_PACKAGE = "manimgx-fonts-cjk"
SOURCE_MODULE = "manimgx_fonts_cjk"
SOURCE_FILE = "NotoSansCJK-VF.otf.ttc"
SOURCE_FACE = "Noto Sans CJK HK"
WEIGHTS = {"Regular": 400, "Bold": 700}
CACHE_ENV = "LAUNCH_EVENTS_FONT_CACHE"
RECIPE_VERSION = 2
MAX_ERROR = 1.0  # font units allowed between the cubic outline and its quadratic version

# Characters whose glyph bounds the metrics keep (quotes, dots and brackets that
# printing.textfit trims next to Latin text).
BOUNDED_CHARS = "“‘”’·•「『（【〔〈《〖"

# Code point ranges the documents use from the font (inclusive).
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


def cache_dir() -> Path:
    """Return the directory that holds the cached font metrics."""
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


def recipe_digest(style: str) -> str:
    """Return a short digest of everything the metrics depend on."""
    version = importlib.metadata.version(SOURCE_PACKAGE)
    recipe = (RECIPE_VERSION, version, SOURCE_FACE, style, WEIGHTS[style], UNICODE_RANGES)
    recipe += (BOUNDED_CHARS, MAX_ERROR)
    return hashlib.sha256(repr(recipe).encode()).hexdigest()[:12]


def glyph_cache_path(face: str = SOURCE_FACE) -> Path:
    """Return where a face's converted glyphs are cached (see ``printing.glyph_cache``)."""
    tag = face.rsplit(" ", 1)[-1].lower()  # "Noto Sans CJK SC" -> "sc"
    return cache_dir() / f"NotoSansCJK{tag}-glyphs-{recipe_digest('Regular')[:8]}.sqlite"


def metrics_path(style: str) -> Path:
    """Return where the metrics of a style ("Regular" or "Bold") are cached."""
    return cache_dir() / f"NotoSansCJKhk-{style}-{recipe_digest(style)}.json"
