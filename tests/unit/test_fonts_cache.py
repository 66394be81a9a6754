"""The font cache: a cold cache is cheap, and a broken file is never used.

No PDF is ever made from a whole converted face: a fresh process on an empty cache makes its
first badge from the source face in about a second, in well under 300 MB, and leaves only the
glyph cache of the face it used (the badge's CJK glyphs) in the cache. An empty, truncated
or garbled glyph cache, or unreadable glyph data in it, is ignored and made again.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from printing import font_source, typefaces

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "「孫東」 Sun Dong · 河套"

# A first badge in a fresh process; prints its seconds, peak resident size and PDF size.
CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from printing.badges import BadgeData, render_badge
from printing.wording import Wording
pdf = render_badge(BadgeData(
    full_name="Sun Dong", name_zh="孫東", organisation="HKSAR Government",
    job_title="Secretary for Innovation, Technology and Industry", category="vip",
    qr_payload="b1.k1." + "x" * 50, event_title_en="Launch ceremony",
    event_title_zh="「一園兩地、深港共創」啟動儀式", event_date="2 March 2026", venue="Futian",
    wording=Wording({"VIP": "貴賓"}),
))
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
try:  # Linux: ru_maxrss keeps the parent's size from before exec; VmHWM is this program's
    with open("/proc/self/status") as status:
        rss = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM:"))
except OSError:
    pass
print(json.dumps({"seconds": seconds, "maxrss": rss, "bytes": len(pdf)}))
"""


def first_badge(cache: Path) -> dict[str, float]:
    """Make a first badge in a fresh process with cache as its font cache."""
    env = {**os.environ, font_source.CACHE_ENV: str(cache), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return json.loads(result.stdout.decode().splitlines()[-1])


def program_of(text: str) -> bytes:
    """Return the Regular HK program of text's CJK characters, as a document would make it."""
    return typefaces._cjk_program("Sample-400", "Noto Sans CJK HK", 400, text)


def test_a_cold_cache_first_badge_is_made_without_converting_the_whole_face(tmp_path) -> None:
    cache = tmp_path / "fonts"
    cold = first_badge(cache)
    assert cold["bytes"] > 5_000
    assert cold["maxrss"] < 300 * 2**20, cold  # converting the whole face peaked near 580 MB
    assert cold["seconds"] < 15, cold  # converting the whole face took 23 s at best
    files = sorted(path.name for path in cache.iterdir())
    expected = [font_source.glyph_cache_path()]  # the HK face's glyphs, nothing else
    assert files == sorted(path.name for path in expected)
    assert all((cache / name).stat().st_size < 2 * 2**20 for name in files)
    with sqlite3.connect(cache / font_source.glyph_cache_path().name) as connection:
        (converted,) = connection.execute("SELECT count(*) FROM glyphs").fetchone()
    assert 20 < converted < 300  # the badge's own CJK glyphs, not the face's 65,535
    warm = first_badge(cache)
    assert warm["seconds"] < cold["seconds"]
    assert warm["maxrss"] < cold["maxrss"]  # the source face is not even opened


@pytest.fixture
def cache(monkeypatch, tmp_path) -> Path:
    """An empty font cache for this test."""
    monkeypatch.setenv(font_source.CACHE_ENV, str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage"])
def test_a_broken_glyph_cache_is_ignored_and_made_again(cache, damage) -> None:
    expected = program_of(SAMPLE)
    path = font_source.glyph_cache_path()
    whole = path.read_bytes()
    broken = {"empty": b"", "truncated": whole[: len(whole) // 3], "garbage": b"x" * 8192}
    path.write_bytes(broken[damage])
    assert program_of(SAMPLE) == expected
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT count(*) FROM glyphs").fetchone()[0]
    assert rows >= len(set(SAMPLE))  # filled again (after a truncation: a new file)
    assert program_of(SAMPLE) == expected


def test_cached_glyphs_make_the_same_program_as_converted_ones(cache) -> None:
    converted = program_of(SAMPLE)  # converted from the source, then cached
    assert font_source.glyph_cache_path().exists()
    assert program_of(SAMPLE) == converted  # read back from the cache


def test_unreadable_cached_glyph_data_is_converted_again(cache) -> None:
    expected = program_of(SAMPLE)
    with sqlite3.connect(font_source.glyph_cache_path()) as connection:
        connection.execute("UPDATE glyphs SET data = x'ffff0000'")  # no valid glyph
    assert program_of(SAMPLE) == expected
    assert program_of(SAMPLE) == expected  # and the rows were written again


def test_a_forked_worker_opens_the_source_face_again() -> None:
    import multiprocessing

    from printing import font_program

    parent = font_program.source_face()
    context = multiprocessing.get_context("fork")  # as gunicorn --preload makes its workers
    with context.Pool(1) as pool:
        assert pool.apply(_is_own_source, (id(parent),)) is True
    assert font_program.source_face() is parent


def _is_own_source(parent_id: int) -> bool:
    from printing import font_program

    return id(font_program.source_face()) != parent_id
