"""The door page's Traditional → Simplified character map, written into door-list.js.

The door page searches its offline list by name without OpenCC; it folds names and the
query character by character with this map, made from OpenCC's t2s (as `search_key`
folds them on the server). Run `python -m events_app.languages.fold_map` after an OpenCC
upgrade; tests/unit/test_fold_map.py fails while door-list.js holds another map.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from events_app.languages.scripts import search_key

DOOR_LIST_JS = Path(__file__).resolve().parents[1] / "pages" / "static" / "door-list.js"
BLOCK = re.compile(r"(  // BEGIN FOLD[^\n]*\n).*?(\n  // END FOLD)", re.S)
FIRST, LAST = 0x3400, 0x9FFF
"""The CJK characters the map covers (Extension A and the Unified Ideographs)."""


def fold_pairs() -> str:
    """Return every covered Traditional character followed by its Simplified one."""
    pairs = []
    for code in range(FIRST, LAST + 1):
        folded = search_key(chr(code))
        if folded != chr(code) and len(folded) == 1 and ord(folded) <= 0xFFFF:
            pairs.append(chr(code) + folded)
    return "".join(pairs)


def fold_line() -> str:
    """Return the line of JavaScript that holds the map."""
    return f"  var FOLD = {json.dumps(fold_pairs(), ensure_ascii=False)};"


def held_line(source: str) -> str:
    """Return the map's line as door-list.js holds it ('' when it holds none)."""
    found = BLOCK.search(source)
    return found.group(0).split("\n")[1] if found else ""


def write(path: Path = DOOR_LIST_JS) -> None:
    """Write the current map into door-list.js between its BEGIN FOLD and END FOLD lines."""
    source = path.read_text(encoding="utf-8")
    replaced = BLOCK.sub(lambda m: m.group(1) + fold_line() + m.group(2), source, count=1)
    path.write_text(replaced, encoding="utf-8")


if __name__ == "__main__":
    write()
