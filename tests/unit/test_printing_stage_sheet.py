"""The stage manager's sheet on reportlab: who stands where, text, type sizes, fonts, bytes.

Pure: no Flask. The PDFs are read back with poppler's tools (see tests/pdf_helpers.py).
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import time
import unicodedata
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from events_app.services.print_wording import wording
from printing import stage_sheet
from printing.documents import CeremonyData, CeremonyItemData, Person, StageSheetData
from tests import document_samples as samples
from tests.pdf_helpers import (
    font_rows,
    page_count,
    page_size_mm,
    page_texts,
    run,
    squeezed,
    tool,
    write,
)

AS_OF = "1 March 2026, 18:00 (UTC+8)"
NAMES = (
    "Łukasz Wałęsa-Dvořák",
    unicodedata.normalize("NFD", "Nguyễn Thị Hồng"),
    "Αλέξανδρος",
    "Жуковский",
    "山田はなこ",
    "김민준",
)
"""The issue's sample names; the Vietnamese one decomposed, as a form may send it."""
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Render the sample sheet once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("stage")
    return write(folder, "stage.pdf", stage_sheet.render_stage_sheet(samples.stage_sheet()))


def _world_sheet(**changes: object) -> StageSheetData:
    """Return a sheet whose award goes to people with the issue's sample names."""
    people = tuple(Person(name, "", "Founder", f"Firm {n}") for n, name in enumerate(NAMES))
    item = replace(samples.VISA_AWARD, people=people, presenters=samples.VISA_AWARD.presenters[:1])
    ceremony = replace(samples.CEREMONIES[-1], items=(item,))
    data = StageSheetData(samples.OCCASION, AS_OF, (ceremony,), wording=samples.WORDING)
    return replace(data, **changes)


def _text_sizes(pdf: bytes) -> list[float]:
    """Return the size of every font set (Tf) in the PDF's content streams."""
    sizes = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            data = zlib.decompress(base64.a85decode(stream.strip(), adobe=True))
        except ValueError:
            try:
                data = zlib.decompress(stream)
            except zlib.error:
                continue
        sizes += [float(size) for size in re.findall(rb"/F[\d+]+ ([\d.]+) Tf", data)]
    return sizes


# Who stands where


def test_signatories_stand_in_party_order_cut_into_left_centre_right() -> None:
    item = samples.GLOBAL_CONNECT
    shuffled = replace(item, people=tuple(reversed(item.people)))
    positions = stage_sheet.stage_positions("signing", shuffled)
    front = [p for p in positions if p.row == "front"]
    assert [p.person for p in front] == list(item.people)  # the order of the parties
    assert [p.zone for p in front] == ["left", "left", "centre", "centre", "right", "right"]
    assert {p.role for p in front} == {"signatory"}
    back = [p for p in positions if p.row == "back"]
    assert [p.person.name_en for p in back] == ["Sun Dong", "Huang Wei"]
    assert [p.role for p in back] == ["witness", "witness"]
    assert [p.number for p in positions] == list(range(1, 9))

    pledge = stage_sheet.stage_positions("pledge", replace(item, people=item.people[:1]))
    assert [(p.zone, p.role) for p in pledge if p.row == "front"] == [("centre", "partner")]
    pair = stage_sheet.stage_positions("signing", samples.TENANCY)
    assert [p.zone for p in pair] == ["left", "right"]


def test_recipients_stand_left_and_presenters_right() -> None:
    positions = stage_sheet.stage_positions("award", samples.VISA_AWARD)
    assert [p.role for p in positions] == ["recipient"] * 3 + ["presenter"] * 3
    assert [p.zone for p in positions] == ["left", "left", "centre", "centre", "right", "right"]
    assert positions[0].person == samples.VISA_AWARD.people[0]
    assert positions[3].person == samples.VISA_AWARD.presenters[0]


# What it says


def test_stage_sheet_lists_cues_positions_and_as_of_on_every_page(sheet: Path) -> None:
    assert page_size_mm(sheet) == (210.0, 297.0)
    pages = page_texts(sheet)
    text = "\n".join(pages)
    flat = squeezed(text)
    for number, page in enumerate(pages, start=1):
        assert AS_OF in page
        assert f"Page {number} of {len(pages)}" in page
        assert f"第 {number} 頁，共 {len(pages)} 頁" in page
        assert "STAGE MANAGER’S SHEET" in page  # letter-spaced, yet whole words
    assert "house left = stage right" in text
    for cue in ("01", "02", "03", "04"):
        assert re.search(rf"(?m)^{cue}$", text), cue
    for time_ in ("10:12", "10:18", "10:30", "11:05"):
        assert time_ in text
    for ceremony in samples.CEREMONIES:
        for item in ceremony.items:
            assert item.reference in text
            for person in (*item.people, *item.presenters):
                assert squeezed(person.name_zh or person.organisation_zh) in flat
    for zone in ("Left 左", "Centre 中", "Right 右"):
        assert zone in text
    assert "Backrow後排" in flat  # the zone column's second line: English over Chinese
    for role in ("Recipient 獲頒者", "Signatory 簽署人", "Witness 見證嘉賓"):
        assert role in text
    assert "Presenter頒授嘉賓" in flat
    for chip in ("SIGNATORY", "WITNESS", "RECIPIENT", "PRESENTER", "BACKDROP", "AUDIENCE"):
        assert chip in text
    assert "DRAFT" not in text


def test_stage_sheet_without_ceremonies_says_so(tmp_path: Path) -> None:
    empty = StageSheetData(
        occasion=samples.OCCASION, as_of=AS_OF, ceremonies=(), wording=samples.WORDING
    )
    pdf = write(tmp_path, "empty-stage.pdf", stage_sheet.render_stage_sheet(empty))
    assert page_count(pdf) == 1
    assert "No signings or presentations are planned yet." in run(tool("pdftotext"), pdf, "-")
    unplaced = StageSheetData(
        occasion=samples.OCCASION,
        as_of=AS_OF,
        ceremonies=(
            CeremonyData(
                "signing", "Signing", "簽約", "10:00", items=(CeremonyItemData("R-1", "A", "甲"),)
            ),
        ),
        wording=samples.WORDING,
    )
    pdf = write(tmp_path, "unplaced.pdf", stage_sheet.render_stage_sheet(unplaced))
    assert "No one placed yet." in run(tool("pdftotext"), pdf, "-")


def test_names_in_every_script_print_and_every_font_is_embedded(tmp_path: Path) -> None:
    pdf = write(tmp_path, "world.pdf", stage_sheet.render_stage_sheet(_world_sheet()))
    text = unicodedata.normalize("NFC", run(tool("pdftotext"), pdf, "-"))
    for name in NAMES:
        assert squeezed(unicodedata.normalize("NFC", name)) in squeezed(text), name
    assert "□" not in text
    rows = font_rows(pdf)
    assert rows
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni
        assert "Helvetica" not in row[0], row
    faces = {re.sub(r"^[A-Z]{6}\+|-\d+-[0-9a-f]+$", "", row[0]) for row in rows}
    assert faces == {"NotoSans", "NotoSansCJKHK", "NotoSansCJKJP", "NotoSansCJKKR"}


def test_simplified_wording_takes_the_sc_face(tmp_path: Path) -> None:
    data = replace(samples.stage_sheet(), wording=wording("zh_Hans_CN"))
    pdf = stage_sheet.render_stage_sheet(data)
    path = write(tmp_path, "hans.pdf", pdf)
    names = " ".join(row[0] for row in font_rows(path))
    assert "NotoSansCJKSC" in names
    assert "NotoSansCJKHK" not in names
    assert b"/Lang (zh-Hans-CN)" in pdf
    assert "舞台监督表" in run(tool("pdftotext"), path, "-")


def test_every_text_is_at_least_8_points() -> None:
    sizes = _text_sizes(stage_sheet.render_stage_sheet(samples.stage_sheet()))
    assert sizes
    assert min(sizes) >= 8, sorted(set(sizes))


def test_metadata_names_the_gathering_and_the_sheet(sheet: Path) -> None:
    info = run(tool("pdfinfo"), sheet)
    assert re.search(r"(?m)^Title: +Stage sheet: “One Park, Two Places", info), info
    assert "「一園兩地、深港共創」暨河套香港青年科創谷啟動儀式" in info
    assert re.search(r"(?m)^Author: +Hong Kong Science and Technology Parks Corporation", info)
    assert re.search(r"(?m)^Subject: +Stage manager’s sheet 舞台監督表 · Plan as of", info)
    assert b"/Lang (zh-Hant-HK)" in sheet.read_bytes()


def test_a_draft_carries_the_watermark_on_every_page(tmp_path: Path) -> None:
    draft = replace(samples.stage_sheet(), draft=True)
    pdf = write(tmp_path, "draft.pdf", stage_sheet.render_stage_sheet(draft))
    pages = run(tool("pdftotext"), "-raw", pdf, "-").split("\f")[:-1]  # -raw: diagonal text too
    assert len(pages) == 3
    for page in pages:
        assert "DRAFT" in page
        assert "草稿" in squeezed(page)


# The same bytes, and how long it takes


CHILD = """
import sys
from printing.stage_sheet import render_stage_sheet
from tests import document_samples as samples
sys.stdout.buffer.write(render_stage_sheet(samples.stage_sheet()))
"""


def test_the_same_plan_gives_the_same_bytes_in_other_processes() -> None:
    here = stage_sheet.render_stage_sheet(samples.stage_sheet())
    assert stage_sheet.render_stage_sheet(samples.stage_sheet()) == here
    made = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, timeout=300
        )
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        made.append(result.stdout)
        time.sleep(1.1)  # the next one in another second
    assert made[0] == made[1] == here


def test_seconds_per_stage_sheet(capsys: pytest.CaptureFixture[str]) -> None:
    data = samples.stage_sheet()
    stage_sheet.render_stage_sheet(data)  # fonts registered
    started = time.perf_counter()
    for _ in range(5):
        stage_sheet.render_stage_sheet(replace(data, as_of=f"{AS_OF} · v{_}"))
    seconds = (time.perf_counter() - started) / 5
    with capsys.disabled():
        print(f"\nstage sheet: {seconds:.3f} s per sheet (3 pages, 4 cues)")
    assert seconds < 5
