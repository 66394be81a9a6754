"""Read a reportlab PDF's structure without a PDF library: its outline and its type sizes.

reportlab writes object dictionaries in plain text and page streams ASCII85 and Flate encoded
(no object streams), so a regular expression finds the outline entries and the streams.
"""

from __future__ import annotations

import base64
import re
import zlib
from pathlib import Path


def pdf_strings(raw: bytes) -> list[str]:
    """Return the outline titles of a PDF, in order (reportlab's literal strings, UTF-16)."""
    titles = []
    for literal in re.findall(rb"/Dest \[[^\]]*\][^\n]*?/Title \(((?:\\.|[^\\)])*)\)", raw):
        data = re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda m: (
                bytes([int(m.group(1), 8)])
                if m.group(1)[:1].isdigit()
                else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
            ),
            literal,
        )
        titles.append(data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode())
    return titles


def outline(pdf: Path) -> list[tuple[str, int]]:
    """Return each bookmark's title and the number of the page it points to."""
    raw = pdf.read_bytes()
    kids = re.search(rb"/Kids \[([^\]]*)\]", raw)
    assert kids is not None
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
    targets = [int(n) for n in re.findall(rb"/Dest \[ (\d+) 0 R", raw)]
    titles = pdf_strings(raw)
    assert len(titles) == len(targets)
    return [(title, pages.index(target) + 1) for title, target in zip(titles, targets, strict=True)]


def type_sizes(pdf: Path) -> list[float]:
    """Return the size of every font setting (Tf) in the page streams."""
    sizes = []
    streams = re.findall(rb"<<([^<>]*)>>\s*stream\r?\n(.*?)endstream", pdf.read_bytes(), re.S)
    for head, stream in streams:
        if b"/ASCII85Decode" in head:
            stream = base64.a85decode(stream.strip(), adobe=True)
        if b"/FlateDecode" in head:
            stream = zlib.decompressobj().decompress(stream)
        sizes += [float(s) for s in re.findall(rb"/F\d+(?:\+\d+)? ([\d.]+) Tf", stream)]
    return sizes
