"""TrueType programs made from the source CFF2 faces, a document's glyphs at a time.

The sources (the SC, HK, JP and KR faces of the variable collection of
``manimgx-fonts-cjk``) have CFF2 outlines, which PDF viewers embed as TrueType only after
conversion. Converting a whole face takes minutes and hundreds of megabytes, so nothing
here ever does: a document's program is made from just its glyphs, each drawn at the
weight (``wght`` axis, through ``avar``) and converted from cubic to quadratic curves with
``Cu2QuPen`` into a ``TTGlyphPen``; a millisecond or two per glyph. Converted glyphs are
kept in the glyph cache (``printing.glyph_cache``), so a glyph is converted once per
machine, not once per document. A face is opened lazily, once per process and only when a
glyph is missing from the cache (its ``CFF2`` table is read on first use, about 50 MB); a
lock keeps threads from reading the shared font file at once.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from printing import font_source
from printing.font_source import MAX_ERROR

# The created and modified dates of every font program: 2026-01-01 00:00 UTC, in seconds
# since 1904-01-01 (fontTools reads a value below 1970 as a Unix time, so not 0). Fixed, so
# the same document is the same bytes whenever and wherever it is made.
FONT_TIMESTAMP = 3_850_070_400

_LOCK = threading.RLock()


@dataclass(frozen=True)
class Names:
    """What a standalone font (one other programs install, as reportlab does) is called."""

    family: str
    style: str
    postscript: str
    weight: int
    cmap: Mapping[int, int] = field(default_factory=dict)  # code point -> source glyph id


def source_face(face: str = font_source.SOURCE_FACE) -> Any:
    """Return a face of the source collection (lazy fontTools TTFont), opened once per process."""
    return _source_face(os.getpid(), face)


@functools.cache
def _source_face(pid: int, face: str) -> Any:
    """Open the source face for one process.

    Keyed by the process id: the lazy font reads its file as it goes, and a child forked
    from a process that had it open (gunicorn --preload) would share the file offset.
    """
    from fontTools.ttLib import TTCollection

    with _LOCK:
        collection = TTCollection(str(font_source.source_path()), lazy=True)
        for font in collection.fonts:
            if font["name"].getDebugName(1) == face:
                # Glyph names of our own: else fontTools derives them from the whole cmap
                # (half a second); glyphs are only ever looked up by id here.
                count = font["maxp"].numGlyphs
                font.setGlyphOrder([".notdef", *(f"g{gid}" for gid in range(1, count))])
                return font
    raise LookupError(f"{face!r} is not in {font_source.source_path()}")


def _glyph_set(weight: int, face: str) -> Any:
    """Return a face's glyphs at a weight (CFF2 blended at the normalised location)."""
    return _process_glyph_set(os.getpid(), weight, face)


@functools.cache
def _process_glyph_set(pid: int, weight: int, face: str) -> Any:
    with _LOCK:
        return source_face(face).getGlyphSet(location={"wght": weight})


def _convert(weight: int, gid: int, face: str) -> tuple[bytes, int]:
    """Return one source glyph at a weight as compiled quadratic glyf data, and its advance."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    with _LOCK:
        glyph = _glyph_set(weight, face)[source_face(face).getGlyphOrder()[gid]]
        pen = TTGlyphPen(None)
        glyph.draw(Cu2QuPen(pen, max_err=MAX_ERROR, reverse_direction=True))
        return pen.glyph().compile(None), round(glyph.width)


def glyphs(
    weight: int, gids: Sequence[int], face: str = font_source.SOURCE_FACE
) -> dict[int, tuple[Any, int]]:
    """Return {gid: (fontTools Glyph of its own, advance)} of source glyphs at a weight.

    Glyphs come from the glyph cache when it has them; the others are converted from the
    source face and added to it.
    """
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    from printing import glyph_cache

    wanted = sorted(set(gids))
    path = font_source.glyph_cache_path(face)
    result = {}
    for gid, (data, advance) in glyph_cache.read(path, weight, wanted).items():
        with contextlib.suppress(Exception):  # unreadable data: converted again below
            glyph = Glyph(data)
            glyph.expand(None)
            result[gid] = (glyph, advance)
    made = [(gid, *_convert(weight, gid, face)) for gid in wanted if gid not in result]
    glyph_cache.write(path, weight, made)
    for gid, data, advance in made:
        glyph = Glyph(data)
        glyph.expand(None)
        result[gid] = (glyph, advance)
    return result


def program(
    weight: int, gids: Sequence[int], names: Names, face: str = font_source.SOURCE_FACE
) -> bytes:
    """Return a standalone TrueType font of .notdef then the source glyphs gids at a weight.

    Glyph i + 1 is gids[i]; names gives the font its names and cmap, so reportlab can
    install it.
    """
    from fontTools.fontBuilder import FontBuilder

    made = glyphs(weight, [0, *gids], face)
    order, outlines, metrics = [".notdef"], {}, {}
    outlines[".notdef"], advance = made[0]
    metrics[".notdef"] = (advance, _lsb(outlines[".notdef"]))
    for gid in gids:
        name = f"g{gid}"
        outlines[name], advance = copy.deepcopy(made[gid])
        metrics[name] = (advance, _lsb(outlines[name]))
        order.append(name)
    source = source_face(face)
    builder = FontBuilder(source["head"].unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupGlyf(outlines)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=source["hhea"].ascent, descent=source["hhea"].descent)
    _name_the_font(builder, names, order, gids, source)
    bold = names.weight >= 600
    builder.updateHead(created=FONT_TIMESTAMP, modified=FONT_TIMESTAMP, macStyle=int(bold))
    builder.font.recalcTimestamp = False
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


def _lsb(converted: Any) -> int:
    """Return a glyph's left side bearing (its xMin; 0 when it draws nothing)."""
    return converted.xMin if converted.numberOfContours else 0


def _name_the_font(
    builder: Any, names: Names, order: list[str], gids: Sequence[int], source: Any
) -> None:
    """Add the cmap, name, OS/2 and post tables that a standalone font needs."""
    by_gid = {gid: order[index + 1] for index, gid in enumerate(gids)}
    builder.setupCharacterMap(
        {code: by_gid[gid] for code, gid in names.cmap.items() if gid in by_gid}
    )
    credits = source["name"]
    entries = {
        "copyright": credits.getDebugName(0),
        "familyName": names.family,
        "styleName": names.style,
        "uniqueFontIdentifier": f"{names.postscript};launch-events",
        "fullName": f"{names.family} {names.style}",
        "psName": names.postscript,
        "trademark": credits.getDebugName(7),
        "licenseDescription": credits.getDebugName(13),
        "licenseInfoURL": credits.getDebugName(14),
    }
    builder.setupNameTable({key: value for key, value in entries.items() if value})
    os2 = source["OS/2"]
    builder.setupOS2(
        usWeightClass=names.weight,
        fsType=0,  # installable embedding, as the licence allows
        fsSelection=0x20 if names.weight >= 600 else 0x40,
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        sTypoLineGap=os2.sTypoLineGap,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        sxHeight=os2.sxHeight,
        sCapHeight=os2.sCapHeight,
        achVendID=os2.achVendID,
    )
    builder.setupPost()
