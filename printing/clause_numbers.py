"""The numbers a clause's text starts with, so that an agreement does not number it twice.

``own_number`` finds "1.", "2.1", "(a)", "（一）", "第一條", "一、" or "Article 3" at the start of
a clause; a bare "2 " counts when it is the clause's place or follows the number before.
"""

from __future__ import annotations

import re
import unicodedata

from printing.formal import clean

# What a Chinese clause heading is made of, read (never printed) in the clauses' text. Code
# points, as printing/ holds no Chinese text of its own (tests/unit/test_printing_wording.py):
# the ordinal prefix (U+7B2C) and the units of a heading, article, section or chapter in both
# scripts (U+689D U+6761 U+6B3E U+9805 U+9879 U+7AE0 U+7BC0 U+8282); the numerals are the
# ideographs Unicode gives a numeric value (one, two... ten, hundred, zero).
_ORDINAL = chr(0x7B2C)
_UNITS = "".join(map(chr, (0x689D, 0x6761, 0x6B3E, 0x9805, 0x9879, 0x7AE0, 0x7BC0, 0x8282)))
_HAN_NUMBER = "\u3007" + "".join(
    c for c in map(chr, range(0x4E00, 0xA000)) if unicodedata.numeric(c, None) is not None
)
OWN_NUMBER = re.compile(
    r"\d+(?:\.\d+)*[.)](?!\d)"  # 1.  1)  2.1.
    r"|\d+(?:\.\d+)+(?=\s)"  # 2.1
    r"|\(\d+\)|\([a-zA-Z]{1,5}\)|[a-zA-Z]\)"  # (1)  (a)  (iv)  a)
    rf"|[（(][{_HAN_NUMBER}\d]+[）)]"  # a numeral in brackets
    rf"|{_ORDINAL}[{_HAN_NUMBER}\d]+[{_UNITS}]"  # the ordinal, a numeral, a unit
    rf"|[{_HAN_NUMBER}]+[、．]"  # a numeral and the enumeration comma
    r"|(?:Article|Clause|Section)\s+\d+(?:\.\d+)*[.:]?"  # Article 3
)


def own_number(clause: str, position: int, previous: str = "") -> str:
    """Return the number the clause's text starts with ("" if none).

    A bare number followed by a space ("2 Term") counts only when it is the clause's
    position or follows the previous clause's own number ("1."), so that "3 months'
    notice..." is not taken for a number.
    """
    first = clean(clause)
    match = OWN_NUMBER.match(first)
    if match:
        return match.group(0)
    bare = re.match(r"(\d+)\s", first)
    before = re.match(r"\d+", previous)
    follows = (
        before is not None and int(before.group(0)) + 1 == int(bare.group(1)) if bare else False
    )
    if bare and (int(bare.group(1)) == position or follows):
        return bare.group(1)
    return ""
