"""A small streaming PDF writer: pages go out as they are drawn, the fonts when it closes.

reportlab's Canvas keeps every page in memory until ``save()``, so a batch of 10,000 badges
would hold them all. This writer instead writes each page's content stream (Flate-compressed)
and page object to the output at once, and keeps only the byte offsets of the objects and the
set of glyphs used so far. The fonts are written last: each is a Type 0 font with a
``CIDFontType2`` descendant (``Identity-H``, glyph ids as character codes), whose embedded
TrueType program is a fontTools subset of the used glyphs that keeps their ids, so pages
written before the subset existed stay valid. A ``ToUnicode`` map keeps the text extractable.

Only what the badges need is here: filled and stroked paths, text in the embedded fonts,
colours and transformations, on pages of any size.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from typing import BinaryIO

from printing.fonts import Face

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
        self.used: dict[int, str] = {}

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

    def save(self) -> None:
        """Save the graphics state."""
        self.ops.append("q")

    def restore(self) -> None:
        """Restore the graphics state."""
        self.ops.append("Q")

    def translate(self, x: float, y: float) -> None:
        """Move the origin."""
        self.ops.append(f"1 0 0 1 {_num(x)} {_num(y)} cm")

    def fill_colour(self, colour: Colour) -> None:
        """Set the fill colour (RGB, 0..1)."""
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

    def rects(self, rectangles: Sequence[tuple[float, float, float, float]]) -> None:
        """Fill many rectangles as one path."""
        if rectangles:
            path = " ".join(
                f"{_num(x)} {_num(y)} {_num(w)} {_num(h)} re" for x, y, w, h in rectangles
            )
            self.ops.append(path + " f")

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

    def __init__(self, out: BinaryIO, faces: Sequence[Face], *, title: str = "") -> None:
        self._out = out
        self._position = 0
        self._offsets: list[int] = [0]  # index = object number; 0 is the free-list head
        self._pages: list[int] = []
        self.fonts = [EmbeddedFont(face, f"F{i + 1}") for i, face in enumerate(faces)]
        self._title = title
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
        for font in self.fonts:
            if font.used:
                font_refs.append(f"/{font.resource} {self._write_font(font)} 0 R")
        self._object(
            self._resources,
            b"<</Font <<%s>> /ProcSet [/PDF /Text]>>" % " ".join(font_refs).encode(),
        )
        kids = " ".join(f"{page} 0 R" for page in self._pages)
        self._object(
            self._pages_root,
            b"<</Type /Pages /Kids [%s] /Count %d>>" % (kids.encode(), len(self._pages)),
        )
        self._object(self._catalog, b"<</Type /Catalog /Pages %d 0 R>>" % self._pages_root)
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
        program = zlib.compress(_subset_program(face, used), 6)
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
        widths = " ".join(f"{gid} [{round(face.advances[gid] * scale)}]" for gid in used)
        cid_font = self._reserve()
        self._object(
            cid_font,
            b"<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
            b"/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> "
            b"/FontDescriptor %d 0 R /DW 1000 /W [%s] /CIDToGIDMap /Identity>>"
            % (name, descriptor, widths.encode()),
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


def _subset_program(face: Face, gids: Sequence[int]) -> bytes:
    """Return the TrueType program of the face cut down to gids, every glyph id unchanged."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), lazy=True)
    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.name_IDs = []
    options.drop_tables += ["cmap", "post", "OS/2", "name"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=list(gids))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


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
