"""QR codes as vector graphics: the ``qrcode`` library's matrix, drawn as merged rectangles.

Error correction is level M. The dark modules of each row are merged into runs, and a run
that repeats in the rows below grows into one taller rectangle, so a version 4 code takes
about 200 rectangles instead of about 600 modules. The drawing includes the quiet zone
(4 modules, as the standard asks) painted white, so the code reads on any background.

Speed: ``qrcode`` picks the mask by building and scoring all eight masked matrices in pure
Python (about 3 ms a code, most of a badge's time). ``make_qr`` gets exactly the same matrix
about three times faster: qrcode builds it once with mask 0; the seven other candidates
are derived from it with integer bit operations (rows as ints: flip the data modules where
two masks differ), scored with qrcode's own penalty rules computed on bit strings, and the
winner gets its format bits. The tests check the result against ``qrcode``'s own ``make()``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4


@dataclass(frozen=True)
class QrCode:
    """A QR matrix: version, side in modules (no quiet zone), rows as ints (MSB left, 1 dark)."""

    version: int
    size: int
    bits: tuple[int, ...]

    @property
    def rows(self) -> tuple[tuple[bool, ...], ...]:
        """Return the modules row by row, True where dark."""
        size = self.size
        return tuple(
            tuple(bool(row >> (size - 1 - c) & 1) for c in range(size)) for row in self.bits
        )


def make_qr(payload: str) -> QrCode:
    """Encode payload at error correction M in the smallest version that holds it."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    code.add_data(payload)
    code.make(fit=True)
    size = len(code.modules)
    first = [_row_bits(row) for row in code.modules]
    layout = _layout(code.version)
    best, best_score = 0, -1
    for mask in range(8):
        candidate = [
            (row & layout.keep_in_test[i]) ^ (layout.mask_rows[0][i] ^ layout.mask_rows[mask][i])
            for i, row in enumerate(first)
        ]
        score = _penalty(candidate, size)
        if best_score < 0 or score < best_score:
            best, best_score = mask, score
    rows = [
        ((row & ~layout.format_mask[i]) ^ layout.mask_rows[0][i] ^ layout.mask_rows[best][i])
        | layout.format_rows[best][i]
        for i, row in enumerate(first)
    ]
    return QrCode(version=code.version, size=size, bits=tuple(rows))


def make_qr_reference(payload: str) -> QrCode:
    """Encode payload with qrcode's own mask choice (slow; the reference for make_qr)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    rows = code.get_matrix()
    return QrCode(version=code.version, size=len(rows), bits=tuple(map(_row_bits, rows)))


def _row_bits(row: Sequence[bool | None]) -> int:
    """Return a row of modules as an int, the first module the most significant bit."""
    return int(bytes(bool(cell) for cell in row).translate(_BINARY_DIGITS), 2)


@dataclass(frozen=True)
class _Layout:
    """Per-version bit masks (one int per row) to derive every masked matrix from one."""

    mask_rows: tuple[tuple[int, ...], ...]  # data modules that mask p darkens, per p
    keep_in_test: tuple[int, ...]  # modules qrcode keeps when scoring (not format/version)
    format_mask: tuple[int, ...]  # format information modules and the dark module
    format_rows: tuple[tuple[int, ...], ...]  # their values for each mask


@functools.cache
def _layout(version: int) -> _Layout:
    """Build the bit masks of a version by drawing its function patterns as qrcode does."""
    size = version * 4 + 17

    def blank(test: bool | None, mask: int) -> list[list[bool | None]]:
        probe = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M)
        probe.modules_count = size
        probe.modules = [[None] * size for _ in range(size)]
        probe.setup_position_probe_pattern(0, 0)
        probe.setup_position_probe_pattern(size - 7, 0)
        probe.setup_position_probe_pattern(0, size - 7)
        probe.setup_position_adjust_pattern()
        probe.setup_timing_pattern()
        if test is not None:
            probe.setup_type_info(test, mask)
            if version >= 7:
                probe.setup_type_number(test)
        return probe.modules

    patterns = blank(None, 0)  # the function patterns alone
    typed = blank(True, 0)
    data = [[cell is None for cell in row] for row in typed]
    variable = [
        [typed[r][c] is not None and patterns[r][c] is None for c in range(size)]
        for r in range(size)
    ]
    format_only = [
        [variable[r][c] and not _is_version_info(version, size, r, c) for c in range(size)]
        for r in range(size)
    ]
    mask_rows = []
    format_rows = []
    for mask in range(8):
        darkens = qrcode.util.mask_func(mask)
        mask_rows.append(
            tuple(
                _row_bits([data[r][c] and darkens(r, c) for c in range(size)]) for r in range(size)
            )
        )
        final = blank(False, mask)
        format_rows.append(
            tuple(
                _row_bits([format_only[r][c] and final[r][c] for c in range(size)])
                for r in range(size)
            )
        )
    return _Layout(
        mask_rows=tuple(mask_rows),
        keep_in_test=tuple(_row_bits([not v for v in row]) for row in variable),
        format_mask=tuple(_row_bits(row) for row in format_only),
        format_rows=tuple(format_rows),
    )


def _is_version_info(version: int, size: int, row: int, column: int) -> bool:
    """Tell whether a module is one of the two version information blocks (version >= 7)."""
    if version < 7:
        return False
    return (row < 6 and size - 11 <= column < size - 8) or (
        column < 6 and size - 11 <= row < size - 8
    )


_BINARY_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_DARK_RUN = re.compile(r"1+")
_RUNS = re.compile(r"0{5,}|1{5,}")


def _penalty(rows: list[int], size: int) -> int:
    """Return qrcode's penalty score (util.lost_point) of a matrix given as row ints."""
    lines = [format(row, f"0{size}b") for row in rows]
    columns = ["".join(column) for column in zip(*lines, strict=True)]
    text = "|".join(lines) + "|" + "|".join(columns)
    score = sum(len(run) - 2 for run in _RUNS.findall(text))
    full = (1 << (size - 1)) - 1
    for above, below in itertools.pairwise(rows):
        same = ~(above ^ below)
        score += 3 * ((same & (same >> 1) & ~(above ^ (above >> 1))) & full).bit_count()
    # Neither pattern overlaps itself, so str.count finds every occurrence.
    score += 40 * (text.count("10111010000") + text.count("00001011101"))
    dark = sum(row.bit_count() for row in rows)
    score += int(abs(float(dark) / size**2 * 100 - 50) / 5) * 10
    return score


def dark_rectangles(code: QrCode) -> list[tuple[int, int, int, int]]:
    """Return rectangles (column, row, width, height) in modules covering the dark ones."""
    done: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (start, end) of a run -> its first row
    width = f"0{code.size}b"
    for y, row in enumerate(code.bits):
        runs = {match.span() for match in _DARK_RUN.finditer(format(row, width))}
        for run in [run for run in open_runs if run not in runs]:
            first = open_runs.pop(run)
            done.append((run[0], first, run[1] - run[0], y - first))
        for run in runs:
            open_runs.setdefault(run, y)
    for run, first in open_runs.items():
        done.append((run[0], first, run[1] - run[0], code.size - first))
    return done


def quiet_size(code: QrCode) -> int:
    """Return the side of the code in modules, quiet zone included."""
    return code.size + 2 * QUIET_ZONE


def content_ops(code: QrCode, x: float, y: float, side: float) -> str:
    """Return PDF operators drawing code and its quiet zone in a square, lower left at (x, y)."""
    module = side / quiet_size(code)
    top = y + side - QUIET_ZONE * module
    left = x + QUIET_ZONE * module
    path = " ".join(f"{c} {r} {w} {h} re" for c, r, w, h in dark_rectangles(code))
    return (
        f"q 1 1 1 rg {x:.3f} {y:.3f} {side:.3f} {side:.3f} re f "
        f"{module:.5f} 0 0 {-module:.5f} {left:.3f} {top:.3f} cm 0 0 0 rg {path} f Q"
    )


def draw_on_canvas(canvas: Any, payload: str, x: float, y: float, side: float) -> QrCode:
    """Draw payload's QR code on a reportlab canvas in a side x side square at (x, y)."""
    code = make_qr(payload)
    module = side / quiet_size(code)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    top = y + side - QUIET_ZONE * module
    for column, row, width, height in dark_rectangles(code):
        path.rect(
            x + (QUIET_ZONE + column) * module,
            top - (row + height) * module,
            width * module,
            height * module,
        )
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return code
