"""A small streaming PDF writer: pages go out as they are drawn, the fonts when it closes.

reportlab's Canvas keeps every page in memory until ``save()``, so a batch of 10,000 badges
would hold them all. This writer instead writes each page's content stream (Flate-compressed)
and page object to the output at once, and keeps only the byte offsets of the objects and the
set of glyphs used so far. The fonts are written last: each is a Type 0 font with a
``CIDFontType2`` descendant (``Identity-H``, the face's glyph codes as character codes),
whose embedded TrueType program is made of just the used glyphs (``printing.font_program``); a
``CIDToGIDMap`` stream maps each code to its glyph in the subset, so pages written before the
subset existed stay valid. A ``ToUnicode`` map keeps the text extractable.

Only what the badges and documents need is here: filled and stroked paths, text in the
embedded fonts, colours and transformations, on pages of any size. ``Content.show`` sets text
as the documents do: quotes trimmed next to English (see ``printing.textfit.trims``), optional
letter spacing, and each character the font lacks drawn as a visible fallback (a question mark
in a box) inside an ``ActualText`` span, so that the original character is still what a text
extractor reads.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import BinaryIO

from printing.font_program import FONT_TIMESTAMP
from printing.fonts import Face
from printing.textfit import trims

Colour = tuple[float, float, float]


def mm(value: float) -> float:
    """Return millimetres in points."""
    return value * 72.0 / 25.4


def _num(value: float) -> str:
    """Format a number for a content stream: short, no exponent."""
    if value == int(value):
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _pdf_string(text: str) -> str:
    """Return text as a PDF literal string (for the document information)."""
    encoded = ("\ufeff" + text).encode("utf-16-be")
    return "<" + encoded.hex() + ">"


class EmbeddedFont:
    """A font of the document: encodes text into glyph ids and records the glyphs used."""

    def __init__(self, face: Face, resource: str) -> None:
        self.face = face
        self.resource = resource
        self.used: dict[int, str] = {}  # character code (CID) -> the character it shows
        # Trimmed forms of glyphs (see Content.show): CID -> (glyph id, units cut before, after).
        self.variants: dict[int, tuple[int, int, int]] = {}
        self._variant_cids: dict[tuple[int, int, int], int] = {}

    def variant(self, gid: int, before: int, after: int, char: str) -> int:
        """Return the code of glyph gid with before/after units of its sides cut away.

        The embedded subset gets a copy of the glyph, moved left by before and narrower by
        both, under a code above the font's glyph ids; so the glyph keeps its own advance and
        text extraction sees no overlapping characters.
        """
        key = (gid, before, after)
        cid = self._variant_cids.get(key)
        if cid is None:
            cid = len(self.face.advances) + len(self.variants)
            self._variant_cids[key] = cid
            self.variants[cid] = key
            self.used[cid] = char
        return cid

    def width(self, cid: int) -> int:
        """Return the advance of a character code in font units."""
        variant = self.variants.get(cid)
        if variant is None:
            return self.face.advances[cid]
        gid, before, after = variant
        return self.face.advances[gid] - before - after

    def encode(self, text: str) -> str:
        """Return text as a hex string of 2-byte glyph ids, recording each glyph."""
        cmap, used = self.face.cmap, self.used
        gids = []
        for char in text:
            gid = cmap.get(ord(char), 0)
            if gid not in used:
                used[gid] = char
            gids.append(gid)
        return "<" + "".join(f"{gid:04x}" for gid in gids) + ">"


class Content:
    """The drawing operators of one page (or of a part of one)."""

    def __init__(self) -> None:
        self.ops: list[str] = []
        self._fill: Colour = (0.0, 0.0, 0.0)
        self._saved: list[Colour] = []

    def save(self) -> None:
        """Save the graphics state."""
        self.ops.append("q")
        self._saved.append(self._fill)

    def restore(self) -> None:
        """Restore the graphics state."""
        self.ops.append("Q")
        if self._saved:
            self._fill = self._saved.pop()

    def translate(self, x: float, y: float) -> None:
        """Move the origin."""
        self.ops.append(f"1 0 0 1 {_num(x)} {_num(y)} cm")

    def fill_colour(self, colour: Colour) -> None:
        """Set the fill colour (RGB, 0..1)."""
        self._fill = colour
        self.ops.append(f"{_num(colour[0])} {_num(colour[1])} {_num(colour[2])} rg")

    def stroke_colour(self, colour: Colour) -> None:
        """Set the stroke colour (RGB, 0..1)."""
        self.ops.append(f"{_num(colour[0])} {_num(colour[1])} {_num(colour[2])} RG")

    def line_width(self, width: float) -> None:
        """Set the stroke width in points."""
        self.ops.append(f"{_num(width)} w")

    def rect(self, x: float, y: float, width: float, height: float) -> None:
        """Fill a rectangle with the fill colour."""
        self.ops.append(f"{_num(x)} {_num(y)} {_num(width)} {_num(height)} re f")

    def rounded_rect(self, x: float, y: float, width: float, height: float, radius: float) -> None:
        """Fill a rectangle with rounded corners."""
        k = radius * 0.4477  # distance of the control points from the corners (1 - 0.5523)
        right, top = x + width, y + height
        self.ops.append(
            f"{_num(x + radius)} {_num(y)} m {_num(right - radius)} {_num(y)} l "
            f"{_num(right - k)} {_num(y)} {_num(right)} {_num(y + k)} {_num(right)} "
            f"{_num(y + radius)} c {_num(right)} {_num(top - radius)} l "
            f"{_num(right)} {_num(top - k)} {_num(right - k)} {_num(top)} {_num(right - radius)} "
            f"{_num(top)} c {_num(x + radius)} {_num(top)} l "
            f"{_num(x + k)} {_num(top)} {_num(x)} {_num(top - k)} {_num(x)} {_num(top - radius)} c "
            f"{_num(x)} {_num(y + radius)} l "
            f"{_num(x)} {_num(y + k)} {_num(x + k)} {_num(y)} {_num(x + radius)} {_num(y)} c f"
        )

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """Stroke a straight line with the stroke colour and width."""
        self.ops.append(f"{_num(x1)} {_num(y1)} m {_num(x2)} {_num(y2)} l S")

    def stroke_rect(self, x: float, y: float, width: float, height: float) -> None:
        """Stroke the outline of a rectangle with the stroke colour and width."""
        self.ops.append(f"{_num(x)} {_num(y)} {_num(width)} {_num(height)} re S")

    def dash(self, on: float = 0.0, off: float = 0.0) -> None:
        """Stroke dashed lines from now on (on, off in points); no arguments: solid again."""
        self.ops.append(f"[{_num(on)} {_num(off)}] 0 d" if on else "[] 0 d")

    def polyline(
        self, points: Sequence[tuple[float, float]], *, close: bool = False, fill: bool = False
    ) -> None:
        """Stroke (or fill) a path through points, closed if asked."""
        if len(points) < 2:
            return
        (x0, y0), rest = points[0], points[1:]
        path = f"{_num(x0)} {_num(y0)} m " + " ".join(f"{_num(x)} {_num(y)} l" for x, y in rest)
        self.ops.append(path + (" h" if close else "") + (" f" if fill else " S"))

    def show(
        self,
        x: float,
        y: float,
        text: str,
        font: EmbeddedFont,
        size: float,
        *,
        tracking: float = 0.0,
    ) -> float:
        """Draw text with its baseline starting at (x, y); return the x it ends at.

        Quotes next to English are trimmed, tracking (points) spaces the letters, and a
        character the font lacks is drawn as a question mark in a box, read back as itself.
        """
        face = font.face
        cmap, advances, scale = face.cmap, face.advances, size / face.units_per_em
        trimmed = trims(text, face)
        codes: list[str] = []
        run_x = x

        def flush(next_x: float) -> None:
            nonlocal run_x
            if codes:
                spacing = f"{_num(tracking)} Tc " if tracking else ""
                reset = " 0 Tc" if tracking else ""
                self.ops.append(
                    f"BT /{font.resource} {_num(size)} Tf {spacing}{_num(run_x)} {_num(y)} Td "
                    f"<{''.join(codes)}> Tj{reset} ET"
                )
                codes.clear()
            run_x = next_x

        used = font.used
        for index, char in enumerate(text):
            gid = cmap.get(ord(char))
            if gid is None:
                flush(x)
                self._fallback(x, y, char, font, size)
                x += advances[0] * scale + tracking
                run_x = x
                continue
            before, after = trimmed.get(index, (0, 0))
            if before or after:
                cid = font.variant(gid, before, after, char)
            else:
                cid = gid
                if gid not in used:
                    used[gid] = char
            codes.append(f"{cid:04x}")
            x += (advances[gid] - before - after) * scale + tracking
        flush(x)
        return x

    def _fallback(self, x: float, y: float, char: str, font: EmbeddedFont, size: float) -> None:
        """Draw a question mark in a box one em wide, which text extraction reads as char."""
        em = font.face.advances[0] * size / font.face.units_per_em
        colour = self._fill
        self.ops.append(
            f"q {_num(colour[0])} {_num(colour[1])} {_num(colour[2])} RG "
            f"{_num(max(0.3, size * 0.05))} w [] 0 d {_num(x + em * 0.1)} {_num(y - size * 0.1)} "
            f"{_num(em * 0.8)} {_num(size * 0.92)} re S Q"
        )
        mark = size * 0.6
        question = font.face.cmap.get(ord("?"), 0)
        square = font.face.cmap.get(0x25A1, 0)  # an em wide: the span covers the whole box
        for gid, shown in ((question, "?"), (square, "\u25a1")):
            if gid not in font.used:
                font.used[gid] = shown
        width = font.face.advances[question] * mark / font.face.units_per_em
        actual = ("\ufeff" + char).encode("utf-16-be").hex()
        # An invisible square from x to x + em, the question mark, the square again: text
        # extraction reads the span as char, spread over the whole em (no gap either side).
        offset_x, offset_y = (em - width) / 2, size * 0.12
        self.ops.append(
            f"/Span <</ActualText <{actual}>>> BDC BT /{font.resource} {_num(size)} Tf 3 Tr "
            f"{_num(x)} {_num(y)} Td <{square:04x}> Tj 0 Tr /{font.resource} {_num(mark)} Tf "
            f"{_num(offset_x)} {_num(offset_y)} Td <{question:04x}> Tj "
            f"/{font.resource} {_num(size)} Tf 3 Tr {_num(-offset_x)} {_num(-offset_y)} Td "
            f"<{square:04x}> Tj 0 Tr ET EMC"
        )

    def text(self, x: float, y: float, text: str, font: EmbeddedFont, size: float) -> None:
        """Draw text with its baseline starting at (x, y), in the fill colour."""
        if text:
            self.ops.append(
                f"BT /{font.resource} {_num(size)} Tf {_num(x)} {_num(y)} Td "
                f"{font.encode(text)} Tj ET"
            )

    def raw(self, operators: str) -> None:
        """Append operators as they are."""
        self.ops.append(operators)

    def extend(self, other: Content) -> None:
        """Append the operators of another content."""
        self.ops.extend(other.ops)

    def to_bytes(self) -> bytes:
        """Return the operators as a content stream body."""
        return "\n".join(self.ops).encode("latin-1")


class PdfWriter:
    """Write a PDF to a binary stream page by page; call close() to finish it."""

    def __init__(
        self, out: BinaryIO, faces: Sequence[Face], *, title: str = "", lang: str = ""
    ) -> None:
        self._out = out
        self._position = 0
        self._offsets: list[int] = [0]  # index = object number; 0 is the free-list head
        self._pages: list[int] = []
        self._forms: list[tuple[str, int]] = []
        self.fonts = [EmbeddedFont(face, f"F{i + 1}") for i, face in enumerate(faces)]
        self._title = title
        self.lang = lang
        """The document's language tag (e.g. zh-Hant-HK), written at close(); "" for none."""
        self._closed = False
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self._catalog = self._reserve()
        self._pages_root = self._reserve()
        self._resources = self._reserve()

    @property
    def page_count(self) -> int:
        """Return how many pages were written."""
        return len(self._pages)

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._position += len(data)

    def _reserve(self) -> int:
        """Return a new object number, whose offset is set when the object is written."""
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def _object(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        """Write object `number`: a dictionary (body) and, if given, its stream data."""
        self._offsets[number] = self._position
        if stream is None:
            self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        else:
            self._write(
                b"%d 0 obj\n<<%s /Length %d>>\nstream\n%s\nendstream\nendobj\n"
                % (number, body, len(stream), stream)
            )

    def add_form(self, width: float, height: float, content: Content) -> str:
        """Write a drawing that pages can repeat (a Form XObject); return its name for Do.

        A page draws it with ``content.raw(f"/{name} Do")``; it is stored once however many
        pages use it.
        """
        data = zlib.compress(content.to_bytes(), 6)
        number = self._reserve()
        self._object(
            number,
            b"/Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources %d 0 R "
            b"/Filter /FlateDecode"
            % (_num(width).encode(), _num(height).encode(), self._resources),
            data,
        )
        name = f"X{len(self._forms) + 1}"
        self._forms.append((name, number))
        return name

    def add_page(self, width: float, height: float, content: Content) -> None:
        """Write one page of width x height points with its content, now."""
        data = zlib.compress(content.to_bytes(), 6)
        stream = self._reserve()
        self._object(stream, b"/Filter /FlateDecode", data)
        page = self._reserve()
        self._object(
            page,
            b"<</Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %d 0 R "
            b"/Contents %d 0 R>>"
            % (
                self._pages_root,
                _num(width).encode(),
                _num(height).encode(),
                self._resources,
                stream,
            ),
        )
        self._pages.append(page)

    def close(self) -> None:
        """Write the fonts, the page tree and the cross-reference table."""
        if self._closed:
            return
        self._closed = True
        font_refs = []
        forms = ""
        if self._forms:
            forms = " /XObject <<" + " ".join(f"/{n} {o} 0 R" for n, o in self._forms) + ">>"
        for font in self.fonts:
            if font.used:
                font_refs.append(f"/{font.resource} {self._write_font(font)} 0 R")
        self._object(
            self._resources,
            b"<</Font <<%s>>%s /ProcSet [/PDF /Text]>>"
            % (" ".join(font_refs).encode(), forms.encode()),
        )
        kids = " ".join(f"{page} 0 R" for page in self._pages)
        self._object(
            self._pages_root,
            b"<</Type /Pages /Kids [%s] /Count %d>>" % (kids.encode(), len(self._pages)),
        )
        tag = "".join(c for c in self.lang if c.isascii() and (c.isalnum() or c == "-"))
        lang = f" /Lang ({tag})" if tag else ""
        self._object(
            self._catalog,
            b"<</Type /Catalog /Pages %d 0 R%s>>" % (self._pages_root, lang.encode()),
        )
        info = self._reserve()
        title = f"/Title {_pdf_string(self._title)} " if self._title else ""
        self._object(info, f"<<{title}/Producer (launch-events printing)>>".encode())
        xref = self._position
        lines = [b"xref\n0 %d\n" % len(self._offsets), b"0000000000 65535 f \n"]
        lines.extend(b"%010d 00000 n \n" % offset for offset in self._offsets[1:])
        self._write(b"".join(lines))
        self._write(
            b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self._offsets), self._catalog, info, xref)
        )

    def _write_font(self, font: EmbeddedFont) -> int:
        """Write a Type 0 font with the used glyphs embedded; return its object number."""
        face = font.face
        scale = 1000 / face.units_per_em
        used = sorted(font.used)
        subset, new_gids = _subset_program(face, used, font.variants)
        program = zlib.compress(subset, 6)
        file_ref = self._reserve()
        self._object(file_ref, b"/Filter /FlateDecode", program)

        prefix = _subset_tag(used)
        name = f"{prefix}+{face.postscript_name}".encode()
        x_min, y_min, x_max, y_max = (round(v * scale) for v in face.bbox)
        descriptor = self._reserve()
        self._object(
            descriptor,
            b"<</Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%d %d %d %d] "
            b"/ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R>>"
            % (
                name,
                x_min,
                y_min,
                x_max,
                y_max,
                round(face.ascent * scale),
                round(face.descent * scale),
                round(face.cap_height * scale),
                80 if face.weight < 600 else 140,
                file_ref,
            ),
        )
        widths = " ".join(f"{cid} [{round(font.width(cid) * scale)}]" for cid in used)
        cid_to_gid = bytearray(2 * (max(used) + 1))
        for cid, gid in new_gids.items():
            cid_to_gid[2 * cid : 2 * cid + 2] = gid.to_bytes(2, "big")
        gid_map = self._reserve()
        self._object(gid_map, b"/Filter /FlateDecode", zlib.compress(bytes(cid_to_gid), 9))
        cid_font = self._reserve()
        self._object(
            cid_font,
            b"<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
            b"/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> "
            b"/FontDescriptor %d 0 R /DW 1000 /W [%s] /CIDToGIDMap %d 0 R>>"
            % (name, descriptor, widths.encode(), gid_map),
        )
        to_unicode = self._reserve()
        self._object(to_unicode, b"/Filter /FlateDecode", zlib.compress(_to_unicode(font.used)))
        type0 = self._reserve()
        self._object(
            type0,
            b"<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
            b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>" % (name, cid_font, to_unicode),
        )
        return type0


def _subset_tag(gids: Sequence[int]) -> str:
    """Return the six capital letters that name a font subset (derived from its glyphs)."""
    value = zlib.crc32(",".join(map(str, gids)).encode())
    letters = []
    for _ in range(6):
        value, digit = divmod(value, 26)
        letters.append(chr(ord("A") + digit))
    return "".join(letters)


# The created and modified dates of every embedded font program (see printing.font_program).
_FONT_TIMESTAMP = FONT_TIMESTAMP


def _subset_program(
    face: Face, codes: Sequence[int], variants: dict[int, tuple[int, int, int]] | None = None
) -> tuple[bytes, dict[int, int]]:
    """Return the TrueType program of the face cut down to codes, and {code: glyph id in it}.

    codes are glyph codes of the face, or codes of trimmed variants (code, cut before, after),
    whose glyphs are added to the subset: a copy moved left and given a narrower advance.
    """
    variants = variants or {}
    plain = sorted({variants[c][0] if c in variants else c for c in codes} - {0})
    mapping = {code: index + 1 for index, code in enumerate(plain)}
    mapping[0] = 0
    trimmed = [variants[code] for code in sorted(codes) if code in variants]
    for number, code in enumerate(c for c in sorted(codes) if c in variants):
        mapping[code] = len(plain) + 1 + number
    return face.program(plain, trimmed), {code: mapping[code] for code in codes}


def _to_unicode(used: dict[int, str]) -> bytes:
    """Return a ToUnicode CMap from glyph ids to the characters they stand for."""
    entries = [(gid, char) for gid, char in sorted(used.items()) if gid]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, char in chunk:
            lines.append(f"<{gid:04x}> <{char.encode('utf-16-be').hex()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
