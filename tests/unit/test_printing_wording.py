"""Printed words come from the print catalogue: printing/ writes no Chinese of its own."""

from __future__ import annotations

import ast
import io
import re
import string
import tokenize
import warnings
from pathlib import Path

import pytest

from events_app import languages
from events_app.languages import catalogues
from events_app.services.print_wording import print_language, wording
from printing.wording import NC_, Wording, english

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
"""A Chinese character (any CJK ideograph block)."""
STATEMENT_START = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """Return (line, text) of each string literal with Chinese in it, docstrings left out.

    A docstring (or an attribute's) is a string that is a statement of its own; comments are
    not tokens of a string at all. Escapes count: a literal is read as Python reads it.
    """
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type != tokenize.COMMENT
    ]
    found = []
    for index, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        before = tokens[index - 1].type if index else tokenize.NEWLINE
        after = tokens[index + 1].type if index + 1 < len(tokens) else tokenize.NEWLINE
        if before in STATEMENT_START and after in (tokenize.NEWLINE, tokenize.ENDMARKER):
            continue  # a docstring
        text = token.string
        try:
            text = str(ast.literal_eval(text))
        except ValueError:  # an f-string: its literal parts, escapes included, are its text
            with warnings.catch_warnings():  # a regex's "\d" is no escape of Python's
                warnings.simplefilter("ignore", DeprecationWarning)
                text = text.encode("latin-1", "backslashreplace").decode("unicode_escape")
        if HAN.search(text):
            found.append((token.start[0], token.string))
    return found


def test_the_literal_finder_sees_strings_and_escapes_but_not_docstrings() -> None:
    source = (
        '"""模組說明"""\n'
        "# 註解\n"
        'A = "協議"\n'
        "B = '\\u5354'\n"
        'C = f"共{n}家"\n'
        "def f():\n"
        '    """說明"""\n'
        '    return ("Agreement", "編號")\n'
        'D = "Agreement"\n'
        '"""屬性說明"""\n'
    )
    assert [line for line, _ in chinese_literals(source)] == [3, 4, 5, 8]


@pytest.mark.parametrize("path", sorted((ROOT / "printing").glob("**/*.py")), ids=lambda p: p.name)
def test_printing_has_no_chinese_literal_outside_comments_and_docstrings(path: Path) -> None:
    assert chinese_literals(path.read_text(encoding="utf-8")) == []


def test_a_missing_message_prints_a_visible_stand_in_never_nothing() -> None:
    words = Wording({"Date": "日期"}, "zh-Hant-HK")
    assert words.zh("Date") == "日期"
    assert words.both("Date") == "Date  日期"
    assert words.zh("Signature") == "【Signature】"
    assert words.zh("Page {page} of {total}", page=2, total=3) == "【Page 2 of 3】"
    assert words.missing(["Date", "Signature"]) == ["Signature"]
    notes = NC_("stage sheet's remarks", "Notes")
    assert english(notes) == "Notes"
    assert Wording({notes: "備註"}).both(notes) == "Notes  備註"


def test_the_wording_is_the_catalogue_s_in_the_script_asked_for() -> None:
    traditional, simplified = wording("zh_Hant_HK"), wording("zh-CN")
    assert (traditional.language, simplified.language) == ("zh-Hant-HK", "zh-Hans-CN")
    assert traditional.zh("PARTNER") == "合作夥伴"
    assert simplified.zh("PARTNER") == "合作伙伴"
    assert traditional.zh("Page {page} of {total}", page=1, total=4) == "第 1 頁，共 4 頁"
    assert simplified.zh("Page {page} of {total}", page=1, total=4) == "第 1 页，共 4 页"
    assert traditional.zh(NC_("stage sheet's remarks", "Notes")) == "備註"
    assert traditional.zh(NC_("programme's ruled page", "Notes")) == "筆記"
    assert [print_language(t) for t in ("en", None, "fr", "zh-HK", "zh_Hans_CN")] == [
        *("zh_Hant_HK", "zh_Hant_HK", "zh_Hant_HK", "zh_Hant_HK", "zh_Hans_CN")
    ]
    used = [
        NC_(m.context, m.id) if m.context else m.id
        for m in catalogues.extract(next(a for a in catalogues.AREAS if a.name == "print"))
        if m.id
    ]
    assert traditional.missing(used) == simplified.missing(used) == []


@pytest.mark.parametrize("language", ["zh_Hant_HK", "zh_Hans_CN"])
def test_every_printed_chinese_fills_only_placeholders_its_english_has(language: str) -> None:
    names = string.Formatter()
    for key, chinese in wording(language).texts.items():
        given = {field for _, field, _, _ in names.parse(english(key)) if field}
        used = {field for _, field, _, _ in names.parse(chinese) if field}
        assert used <= given, (key, chinese)


def test_the_app_reads_every_merged_catalogue_and_not_the_print_one() -> None:
    merged = tuple(area.name for area in catalogues.AREAS if area.merged)
    assert merged == languages.AREAS
    assert "print" not in merged
