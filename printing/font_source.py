"""Where the CJK faces come from and where the glyphs converted from them are cached.

Shared by the font programs (``printing.font_program``) and the fallback chain
(``printing.typefaces``): the source package, file and default face, and the recipe digest
that names every cache file, so a change to any of them is never read from a stale cache.
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
CACHE_ENV = "LAUNCH_EVENTS_FONT_CACHE"
RECIPE_VERSION = 3
MAX_ERROR = 1.0  # font units allowed between the cubic outline and its quadratic version


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


def recipe_digest(face: str = SOURCE_FACE) -> str:
    """Return a short digest of everything a face's converted glyphs depend on."""
    version = importlib.metadata.version(SOURCE_PACKAGE)
    recipe = (RECIPE_VERSION, version, face, MAX_ERROR)
    return hashlib.sha256(repr(recipe).encode()).hexdigest()[:12]


def glyph_cache_path(face: str = SOURCE_FACE) -> Path:
    """Return where a face's converted glyphs are cached (see ``printing.glyph_cache``)."""
    tag = face.rsplit(" ", 1)[-1].lower()  # "Noto Sans CJK SC" -> "sc"
    return cache_dir() / f"NotoSansCJK{tag}-glyphs-{recipe_digest(face)[:8]}.sqlite"
