"""The one CJK font of every PDF: Noto Sans CJK HK, Regular and Bold, embedded per document.

Source: the Python package ``manimgx-fonts-cjk`` ships Noto Sans CJK unmodified (the variable
``NotoSansCJK-VF.otf.ttc``, SIL Open Font License 1.1). The Hong Kong face has Traditional
Chinese glyph shapes and covers every Simplified character of the CJK Unified Ideographs
block. Its outlines are CFF2 at a variable weight, which PDF viewers do not embed, and
converting the whole face takes minutes; so it is never converted whole:

- ``load_face(style)`` gives the metrics that measuring and setting text need (which code
  points are covered, the advance of each glyph at the weight, ascent, descent), read straight
  from the source face in about a second, and kept in the cache directory
  (``LAUNCH_EVENTS_FONT_CACHE``, or the user cache dir) as a small JSON file, so later
  processes read them in milliseconds. The file is written to a temporary name and renamed
  into place; an empty, truncated or foreign file is ignored and written again.
- each PDF embeds a TrueType program of just its own glyphs (``printing.font_program``).

Only the code points of ``UNICODE_RANGES`` count as covered; anything else is shown as
``REPLACEMENT`` (see ``substitute_uncovered``), never as a blank or an error.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from printing import font_program
from printing.font_source import BOUNDED_CHARS, UNICODE_RANGES, WEIGHTS, metrics_path, recipe_digest
from printing.font_source import CACHE_ENV as CACHE_ENV
from printing.font_source import SOURCE_FACE as SOURCE_FACE
from printing.font_source import cache_dir as cache_dir
from printing.font_source import glyph_cache_path as glyph_cache_path
from printing.font_source import source_path as source_path

FAMILY = "Noto Sans CJK HK"
STALE_SECONDS = 600  # a temporary file this old is a writer that died: removed

# The mark shown in place of a character the font lacks (U+25A1 WHITE SQUARE).
REPLACEMENT = "\u25a1"


@dataclass(frozen=True, eq=False)
class Face:
    """Metrics of one style, in font units, for measuring and embedding text.

    Glyph codes are compact: code 0 is .notdef, and code c stands for the source face's glyph
    ``gids[c]``; ``advances`` and the PDF's character codes use them.
    """

    style: str
    postscript_name: str
    units_per_em: int
    cmap: dict[int, int]
    gids: tuple[int, ...]
    advances: tuple[int, ...]
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    weight: int
    bounds: dict[str, tuple[int, int]]

    def glyph(self, char: str) -> int:
        """Return the glyph code of one character (0, the missing glyph, when absent)."""
        return self.cmap.get(ord(char), 0)

    def string_width(self, text: str, size: float) -> float:
        """Return the width of text set at size points, in points."""
        cmap, advances = self.cmap, self.advances
        units = sum(advances[cmap.get(ord(c), 0)] for c in text)
        return units * size / self.units_per_em

    def program(self, codes: list[int], variants: list[tuple[int, int, int]]) -> bytes:
        """Return a TrueType program of .notdef, the glyphs of codes, then trimmed variants."""
        gids = [self.gids[code] for code in codes]
        trimmed = [(self.gids[code], before, after) for code, before, after in variants]
        return font_program.program(self.weight, gids, trimmed)


def _measure(style: str) -> dict[str, Any]:
    """Read the metrics of a style from the source face (about a second)."""
    source, weight = font_program.source_face(), WEIGHTS[style]
    index = {name: gid for gid, name in enumerate(source.getGlyphOrder())}
    best = source.getBestCmap()
    covered = {
        code: index[best[code]]
        for low, high in UNICODE_RANGES
        for code in range(low, high + 1)
        if code in best
    }
    gids = [0, *sorted(set(covered.values()) - {0})]
    code_of = {gid: code for code, gid in enumerate(gids)}
    bounded = {char: covered[ord(char)] for char in BOUNDED_CHARS if ord(char) in covered}
    outlines = font_program.glyphs(weight, list(bounded.values()))
    bounds = {}
    for char, gid in bounded.items():
        outline, _ = outlines[gid]
        if outline.numberOfContours:
            bounds[char] = [outline.xMin, outline.xMax]
    head, os2 = source["head"], source["OS/2"]
    return {
        "recipe": recipe_digest(style),
        "cmap": sorted((code, code_of[gid]) for code, gid in covered.items()),
        "gids": gids,
        "advances": font_program.advances(weight, gids),
        "units_per_em": head.unitsPerEm,
        "ascent": os2.sTypoAscender,
        "descent": os2.sTypoDescender,
        "cap_height": os2.sCapHeight,
        "bbox": [head.xMin, head.yMin, head.xMax, head.yMax],
        "bounds": bounds,
    }


def _face(style: str, data: dict[str, Any]) -> Face:
    """Return the Face of cached metrics; raise ValueError when they do not hold together."""
    if data.get("recipe") != recipe_digest(style):
        raise ValueError("metrics of another recipe")
    gids, advances = tuple(data["gids"]), tuple(data["advances"])
    cmap = {int(code): int(glyph) for code, glyph in data["cmap"]}
    if len(gids) != len(advances) or not cmap or max(cmap.values()) >= len(gids):
        raise ValueError("inconsistent metrics")
    return Face(
        style=style,
        postscript_name=f"NotoSansCJKhk-{style}",
        units_per_em=int(data["units_per_em"]),
        cmap=cmap,
        gids=gids,
        advances=advances,
        ascent=int(data["ascent"]),
        descent=int(data["descent"]),
        cap_height=int(data["cap_height"]),
        bbox=tuple(int(v) for v in data["bbox"]),  # type: ignore[arg-type]
        weight=WEIGHTS[style],
        bounds={char: (int(low), int(high)) for char, (low, high) in data["bounds"].items()},
    )


def _read_cached(path: Path, style: str) -> Face | None:
    """Return the Face cached at path, or None when the file is missing, empty or broken."""
    try:
        return _face(style, json.loads(path.read_bytes()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file renamed into place (best effort)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(path.parent)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent
        )
    except OSError:
        return  # a read-only cache: the next process measures again
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the cache may be shared
        os.replace(temporary, path)
    except OSError:
        pass
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _remove_stale(directory: Path) -> None:
    """Remove temporary files that a writer which died left behind."""
    limit = time.time() - STALE_SECONDS
    for leftover in directory.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < limit:
                leftover.unlink()


@functools.cache
def load_face(style: str) -> Face:
    """Return the metrics of a style: from the cache, else measured and cached."""
    path = metrics_path(style)
    face = _read_cached(path, style)
    if face is None:
        data = _measure(style)
        face = _face(style, data)
        _write_atomically(path, json.dumps(data, separators=(",", ":")).encode())
    return face


def warm() -> None:
    """Load both styles' metrics now (at start-up), so the first PDF does not wait for them."""
    for style in WEIGHTS:
        load_face(style)


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
