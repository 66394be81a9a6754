"""The door page's offline name search (DoorList.find) finds names in either script."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_door_cases_browser import SCRIPTS
from tests.browser_support import chromium

pytestmark = pytest.mark.browser
GUESTS = [
    ("a", "Wong Ping Sau", "黃秉修"),
    ("b", "Huang Wei", "黄伟"),
    ("c", "Chan Tai Man", "陳大文"),
    ("d", "Nguyễn Thị Mai", ""),
]
FIND = """([guests, queries]) => {
  const list = { entries: new Map(guests.map(([id, full_name, name_zh]) =>
    [id, { registration_id: id, full_name, name_zh }])) };
  return queries.map((q) => DoorList.find(list, q).map((entry) => entry.registration_id));
}"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    """A blank Chromium page with the door's list scripts loaded."""
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<!doctype html><title>door search</title>")
        for script in SCRIPTS:
            page.add_script_tag(content=script.read_text(encoding="utf-8"))
        yield page


def test_offline_search_folds_traditional_and_simplified(page: Any) -> None:
    queries = ["黄秉", "黃秉修", "黃偉", "黄伟", "陈大", "黄", "HUANG", "nguyễn", "陳小"]
    found = page.evaluate(FIND, [GUESTS, queries])
    assert dict(zip(queries, found, strict=True)) == {
        "黄秉": ["a"],
        "黃秉修": ["a"],
        "黃偉": ["b"],
        "黄伟": ["b"],
        "陈大": ["c"],
        "黄": [],  # one character is too little to search by
        "HUANG": ["b"],
        "nguyễn": ["d"],
        "陳小": [],
    }


def test_fold_makes_traditional_simplified_and_lower_case(page: Any) -> None:
    folded = page.evaluate(
        "(texts) => texts.map(DoorList.fold)", ["香港科技園", "鍾海 ABC", "黄伟"]
    )
    assert folded == ["香港科技园", "钟海 abc", "黄伟"]
