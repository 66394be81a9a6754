"""The door page's character map is OpenCC's t2s of today, and folds as `search_key` does."""

from __future__ import annotations

from events_app.languages.fold_map import DOOR_LIST_JS, fold_line, fold_pairs, held_line
from events_app.languages.scripts import search_key


def test_door_list_js_holds_the_current_map() -> None:
    held = held_line(DOOR_LIST_JS.read_text(encoding="utf-8"))
    assert held, "door-list.js has no BEGIN FOLD / END FOLD block"
    assert held == fold_line(), "run: python -m events_app.languages.fold_map"


def fold(text: str) -> str:
    """Fold as the door page does: character by character with the map."""
    table = dict(zip(fold_pairs()[::2], fold_pairs()[1::2], strict=True))
    return "".join(table.get(ch, ch) for ch in text.lower())


def test_the_map_folds_names_as_the_server_search_does() -> None:
    for text in ("黃秉修", "黃偉", "鍾海", "陳大文", "香港科技園", "皇崗邊檢站", "孫東"):
        assert fold(text) == search_key(text), text
    assert fold("黄伟") == "黄伟"  # Simplified stays as it is
