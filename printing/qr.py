"""QR codes for PDFs: the ``qrcode`` library's matrix, as rectangles or as a 1-bit image mask.

Error correction is level M. ``content_ops`` draws vectors: the dark modules of each row are
merged into runs, and a run that repeats in the rows below grows into one taller rectangle,
so a version 4 code takes about 200 rectangles instead of about 600 modules. ``mask_ops``
draws the matrix as an inline image mask, one sample a module and not interpolated, so each
module is still a sharp square at any resolution, in about 470 bytes instead of 3 kB (what
badge batches use). Both include the quiet zone (4 modules, as the standard asks) painted
white, so the code reads on any background.

Speed: ``qrcode`` encodes in pure Python with a slow polynomial class and picks the mask
by building and scoring all eight masked matrices (about 3 ms a code, most of a badge's
time). ``make_qr`` makes the same matrix about ten times faster: the payload is encoded as
one segment (numeric, alphanumeric or UTF-8 bytes, as ``qrcode`` does with ``optimize=0``),
the error correction comes from table-driven Reed-Solomon, the bits are placed along a
per-version module order computed once, and the mask is chosen as ``qrcode`` does, with its
penalty rules computed on rows held as ints: the seven other candidates are derived from
the mask 0 matrix by flipping the data modules where two masks differ. The tests check the
result against ``qrcode``'s own ``make()``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

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
    version, codewords = _codewords(payload.encode())
    layout = _layout(version)
    size = 4 * version + 17
    placed = [0] * size
    bits = "".join(map(_BYTE_BITS.__getitem__, codewords))
    for index in _ones(bits):
        if index >= len(layout.order):
            break
        row, column = layout.order[index]
        placed[row] |= 1 << (size - 1 - column)
    first = [
        base | (data ^ mask)
        for base, data, mask in zip(layout.base_rows, placed, layout.mask_rows[0], strict=True)
    ]
    best = _best_mask(first, version)
    rows = [
        ((row & ~layout.format_mask[i]) ^ layout.mask_rows[0][i] ^ layout.mask_rows[best][i])
        | layout.format_rows[best][i]
        for i, row in enumerate(first)
    ]
    return QrCode(version=version, size=size, bits=tuple(rows))


def make_qr_reference(payload: str) -> QrCode:
    """Encode payload with qrcode's own mask choice (slow; the reference for make_qr)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload, optimize=0)
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
    base_rows: tuple[int, ...]  # function patterns and mask 0's format modules, no data
    order: tuple[tuple[int, int], ...]  # (row, column) of the data modules, in bit order


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
        base_rows=tuple(_row_bits(row) for row in blank(False, 0)),
        order=_placement_order(data),
    )


def _placement_order(data: list[list[bool]]) -> tuple[tuple[int, int], ...]:
    """Return the data modules in the order bits fill them (two columns, zigzag, from right)."""
    size = len(data)
    order = []
    upward = True
    for right in range(size - 1, 0, -2):
        if right <= 6:  # the vertical timing pattern takes column 6
            right -= 1
        rows = range(size - 1, -1, -1) if upward else range(size)
        order += [(r, c) for r in rows for c in (right, right - 1) if data[r][c]]
        upward = not upward
    return tuple(order)


def _is_version_info(version: int, size: int, row: int, column: int) -> bool:
    """Tell whether a module is one of the two version information blocks (version >= 7)."""
    if version < 7:
        return False
    return (row < 6 and size - 11 <= column < size - 8) or (
        column < 6 and size - 11 <= row < size - 8
    )


_BINARY_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_BYTE_BITS = tuple(format(value, "08b") for value in range(256))
_ONE = re.compile("1")


def _ones(bits: str) -> Iterator[int]:
    """Yield the indexes of the 1s in a string of binary digits."""
    return (match.start() for match in _ONE.finditer(bits))


# Encoding: one segment, level M ------------------------------------------------------

_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALPHANUMERIC_VALUE = {ord(char): value for value, char in enumerate(_ALPHANUMERIC)}
_NUMERIC, _ALPHA, _BYTES = 1, 2, 4  # mode indicators
_LENGTH_BITS = {_NUMERIC: (10, 12, 14), _ALPHA: (9, 11, 13), _BYTES: (8, 16, 16)}
_PADS = (0xEC, 0x11)


def _segment(data: bytes) -> tuple[int, str]:
    """Return the mode and the payload bits of data in the most compact single mode."""
    if data.isdigit():
        groups = [data[i : i + 3] for i in range(0, len(data), 3)]
        return _NUMERIC, "".join(format(int(g), f"0{len(g) * 3 + 1}b") for g in groups)
    if all(byte in _ALPHANUMERIC_VALUE for byte in data):
        values = [_ALPHANUMERIC_VALUE[byte] for byte in data]
        pairs = [values[i : i + 2] for i in range(0, len(values), 2)]
        return _ALPHA, "".join(
            format(p[0] * 45 + p[1], "011b") if len(p) == 2 else format(p[0], "06b") for p in pairs
        )
    return _BYTES, "".join(map(_BYTE_BITS.__getitem__, data))


def _codewords(data: bytes) -> tuple[int, list[int]]:
    """Return the smallest version holding data and its interleaved data and EC codewords."""
    mode, payload = _segment(data)
    for version in range(1, 41):
        blocks = _blocks(version)
        capacity = 8 * sum(data_count for data_count, _ in blocks)
        length_bits = _LENGTH_BITS[mode][0 if version < 10 else 1 if version < 27 else 2]
        if len(data) >= 1 << length_bits:
            continue
        bits = format(mode, "04b") + format(len(data), f"0{length_bits}b") + payload
        if len(bits) <= capacity:
            return version, _interleave(_padded(bits, capacity), blocks)
    raise ValueError(f"{len(data)} bytes do not fit in a QR code at level M")


def _padded(bits: str, capacity: int) -> list[int]:
    """Terminate bits, fill the last byte and pad to capacity with the standard pad bytes."""
    bits += "0" * min(4, capacity - len(bits))
    bits += "0" * (-len(bits) % 8)
    words = [int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)]
    return words + [_PADS[i % 2] for i in range(capacity // 8 - len(words))]


def _interleave(words: list[int], blocks: tuple[tuple[int, int], ...]) -> list[int]:
    """Split data words into blocks, add each block's EC words, and interleave them."""
    data_blocks, ec_blocks, start = [], [], 0
    for data_count, ec_count in blocks:
        block = words[start : start + data_count]
        start += data_count
        data_blocks.append(block)
        ec_blocks.append(_reed_solomon(block, ec_count))
    out = [word for column in itertools.zip_longest(*data_blocks) for word in column]
    out += [word for column in itertools.zip_longest(*ec_blocks) for word in column]
    return [word for word in out if word is not None]


@functools.cache
def _blocks(version: int) -> tuple[tuple[int, int], ...]:
    """Return (data words, EC words) of each block of a version at level M."""
    return tuple(
        (block.data_count, block.total_count - block.data_count)
        for block in qrcode.base.rs_blocks(version, ERROR_CORRECT_M)
    )


def _gf_tables() -> tuple[list[int], list[int]]:
    """Return the exp and log tables of GF(256) with the QR polynomial 0x11D."""
    exp, log = [0] * 512, [0] * 256
    value = 1
    for power in range(255):
        exp[power] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    for power in range(255, 512):
        exp[power] = exp[power - 255]
    return exp, log


_EXP, _LOG = _gf_tables()


@functools.cache
def _generator_logs(degree: int) -> tuple[int, ...]:
    """Return the logs of the RS generator polynomial's coefficients (leading 1 omitted)."""
    poly = [1]
    for power in range(degree):
        poly = [
            a ^ (_EXP[_LOG[b] + power] if b else 0)
            for a, b in zip([*poly, 0], [0, *poly], strict=True)
        ]
    return tuple(_LOG[c] for c in poly[1:])


def _reed_solomon(block: list[int], ec_count: int) -> list[int]:
    """Return the ec_count error correction words of a data block.

    The remainder is one int of ec_count bytes; each data word shifts it by a byte and
    adds the generator times the leading factor, looked up in a per-degree table.
    """
    table = _factor_table(ec_count)
    shift, mask = 8 * (ec_count - 1), (1 << (8 * ec_count)) - 1
    remainder = 0
    for word in block:
        factor = word ^ (remainder >> shift)
        remainder = ((remainder << 8) & mask) ^ table[factor]
    return list(remainder.to_bytes(ec_count, "big"))


@functools.cache
def _factor_table(degree: int) -> tuple[int, ...]:
    """Return, for each factor 0-255, the generator's coefficients times it, as one int."""
    generator = _generator_logs(degree)
    rows = [0]
    for factor in range(1, 256):
        shift = _LOG[factor]
        words = bytes(_EXP[g + shift] for g in generator)
        rows.append(int.from_bytes(words, "big"))
    return tuple(rows)


# Mask choice: qrcode's penalty rules on whole matrices held as one int ---------------
#
# A matrix is one int, row r in bits r*size .. r*size+size-1 (its left module highest),
# so each rule is a few operations on that int and on its transpose (the columns), for
# every row at once. Bit j of `same_beside` says module j equals its left neighbour, j + 1.


@dataclass(frozen=True)
class _Scoring:
    """Per-version ints for scoring the eight masked candidates of a matrix."""

    size: int
    keep: tuple[int, int]  # modules scored (not format/version), rows and columns
    flips: tuple[tuple[int, int], ...]  # data modules mask 0 and mask p disagree on, per p
    pairs: int  # bits j whose left neighbour (bit j + 1) is in the same row
    above_pairs: int  # the same, without the last row (for 2 x 2 blocks)
    windows: int  # bits where an 11-module window starting there stays in the row


def _as_int(rows: Sequence[int], size: int) -> int:
    """Return a matrix of row ints as one int, row 0 in the lowest bits."""
    matrix = 0
    for row in reversed(rows):
        matrix = (matrix << size) | row
    return matrix


def _transposed(rows: Sequence[int], size: int) -> list[int]:
    """Return the columns of a matrix of row ints as row ints (top module highest)."""
    modules = "".join([format(row, f"0{size}b") for row in rows])
    return [int(modules[column::size], 2) for column in range(size)]


def _both(rows: Sequence[int], size: int) -> tuple[int, int]:
    """Return a matrix and its transpose, each as one int."""
    return _as_int(rows, size), _as_int(_transposed(rows, size), size)


@functools.cache
def _scoring(version: int) -> _Scoring:
    """Build the scoring ints of a version."""
    layout = _layout(version)
    size = 4 * version + 17
    row_of = functools.partial(_as_int, size=size)
    pairs = row_of([(1 << (size - 1)) - 1] * size)  # excludes each row's leftmost bit
    windows = row_of([(1 << (size - 10)) - 1] * size)
    return _Scoring(
        size=size,
        keep=_both(layout.keep_in_test, size),
        flips=tuple(
            _both([a ^ b for a, b in zip(layout.mask_rows[0], rows, strict=True)], size)
            for rows in layout.mask_rows
        ),
        pairs=pairs,
        above_pairs=pairs & ((1 << (size * (size - 1))) - 1),
        windows=windows,
    )


def _best_mask(first: Sequence[int], version: int) -> int:
    """Return the mask qrcode would pick for a matrix made with mask 0."""
    scoring = _scoring(version)
    rows, columns = _both(first, scoring.size)
    rows &= scoring.keep[0]
    columns &= scoring.keep[1]
    scores = [
        _penalty(rows ^ flip_rows, columns ^ flip_columns, scoring)
        for flip_rows, flip_columns in scoring.flips
    ]
    return scores.index(min(scores))


def _penalty(rows: int, columns: int, scoring: _Scoring) -> int:
    """Return qrcode's penalty score (util.lost_point) of a candidate matrix."""
    size = scoring.size
    score = _runs_of_five(rows, scoring) + _runs_of_five(columns, scoring)
    same_beside = ~(rows ^ (rows >> 1))
    same_below = ~(rows ^ (rows >> size))
    blocks = same_below & (same_below >> 1) & same_beside & scoring.above_pairs
    score += 3 * blocks.bit_count()
    score += 40 * (_finder_like(rows, scoring) + _finder_like(columns, scoring))
    dark = rows.bit_count()
    score += int(abs(float(dark) / size**2 * 100 - 50) / 5) * 10
    return score


def _runs_of_five(matrix: int, scoring: _Scoring) -> int:
    """Score runs of 5 or more same-coloured modules in rows: length - 2 each."""
    same = ~(matrix ^ (matrix >> 1)) & scoring.pairs
    fives = same & (same >> 1) & (same >> 2) & (same >> 3)  # a run of L gives L - 4 bits
    return fives.bit_count() + 2 * (fives & ~(fives >> 1)).bit_count()


_FINDER_LIKE = ("10111010000", "00001011101")


def _finder_like(matrix: int, scoring: _Scoring) -> int:
    """Count 1:1:3:1:1 patterns with four light modules on one side, in rows."""
    light = ~matrix
    count = 0
    for pattern in _FINDER_LIKE:
        found = scoring.windows
        for offset, module in enumerate(reversed(pattern)):
            found &= (matrix if module == "1" else light) >> offset
        count += found.bit_count()
    return count


def dark_rectangles(code: QrCode) -> list[tuple[int, int, int, int]]:
    """Return rectangles (column, row, width, height) in modules covering the dark ones."""
    done: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (start, end) of a run -> its first row
    size = code.size
    for y, row in enumerate(code.bits):
        runs = set()
        while row:
            low = row & -row
            above = row + low  # the run of ones from low up, carried past its end
            end = (above & -above).bit_length() - 1
            runs.add((size - end, size - low.bit_length() + 1))
            row &= above
        for run in [run for run in open_runs if run not in runs]:
            first = open_runs.pop(run)
            done.append((run[0], first, run[1] - run[0], y - first))
        for run in runs:
            open_runs.setdefault(run, y)
    for run, first in open_runs.items():
        done.append((run[0], first, run[1] - run[0], size - first))
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


def mask_ops(code: QrCode, x: float, y: float, side: float) -> str:
    """Return PDF operators drawing code as a 1-bit image mask, one sample a module.

    The quiet zone is a white square; the modules are an inline image mask (``/IM true``,
    not interpolated, so each module stays a sharp square at any resolution) painted black.
    """
    module = side / quiet_size(code)
    size = code.size
    pad = -size % 8
    data = b"".join((row << pad).to_bytes((size + pad) // 8, "big") for row in code.bits)
    inner = module * size
    left, bottom = x + QUIET_ZONE * module, y + QUIET_ZONE * module
    return (
        f"q 1 1 1 rg {x:.3f} {y:.3f} {side:.3f} {side:.3f} re f 0 0 0 rg "
        f"{inner:.4f} 0 0 {inner:.4f} {left:.3f} {bottom:.3f} cm "
        f"BI /W {size} /H {size} /IM true /D [1 0] /F /AHx ID {data.hex()}> EI Q"
    )
