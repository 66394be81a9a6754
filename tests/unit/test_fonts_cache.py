"""The font cache: a cold cache is cheap, and a broken or half-written file is never used.

No PDF is ever made from a whole converted face: a fresh process on an empty cache makes its
first badge from the source face in about a second, in well under 300 MB, and leaves only the
glyph cache (the badge's CJK glyphs) in the cache; the metrics files belong to the documents
not yet on reportlab. An empty, truncated or foreign metrics file is ignored
and written again; a writer that dies leaves no file under the final name.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from printing import fonts

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
    env = {**os.environ, fonts.CACHE_ENV: str(cache), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return json.loads(result.stdout.decode().splitlines()[-1])


def program_of(text: str) -> bytes:
    """Return the embedded Regular program of text, as a document would make it."""
    face = fonts.load_face("Regular")
    return face.program(sorted({face.glyph(char) for char in text} - {0}), [])


def test_a_cold_cache_first_badge_is_made_without_converting_the_whole_face(tmp_path) -> None:
    cache = tmp_path / "fonts"
    cold = first_badge(cache)
    assert cold["bytes"] > 5_000
    assert cold["maxrss"] < 300 * 2**20, cold  # converting the whole face peaked near 580 MB
    assert cold["seconds"] < 15, cold  # converting the whole face took 23 s at best
    files = sorted(path.name for path in cache.iterdir())
    expected = [fonts.glyph_cache_path()]  # badges (reportlab) read no metrics file
    assert files == sorted(path.name for path in expected)
    assert all((cache / name).stat().st_size < 2 * 2**20 for name in files)
    with sqlite3.connect(cache / fonts.glyph_cache_path().name) as connection:
        (converted,) = connection.execute("SELECT count(*) FROM glyphs").fetchone()
    assert 20 < converted < 300  # the badge's own CJK glyphs, not the face's 65,535
    warm = first_badge(cache)
    assert warm["seconds"] < cold["seconds"]
    assert warm["maxrss"] < cold["maxrss"]  # the source face is not even opened


@pytest.fixture
def cache(monkeypatch, tmp_path) -> Path:
    """An empty font cache for this test, with the in-process faces forgotten."""
    monkeypatch.setenv(fonts.CACHE_ENV, str(tmp_path))
    fonts.load_face.cache_clear()
    yield tmp_path
    fonts.load_face.cache_clear()


@pytest.mark.parametrize("damage", ["empty", "truncated", "foreign"])
def test_a_broken_metrics_file_is_ignored_and_written_again(cache, damage) -> None:
    good = fonts.load_face("Regular")
    path = fonts.metrics_path("Regular")
    whole = path.read_bytes()
    broken = {
        "empty": b"",
        "truncated": whole[: len(whole) // 2],
        "foreign": json.dumps({**json.loads(whole), "recipe": "other"}).encode(),
    }[damage]
    path.write_bytes(broken)
    fonts.load_face.cache_clear()
    again = fonts.load_face("Regular")
    assert (again.cmap, again.advances, again.gids) == (good.cmap, good.advances, good.gids)
    assert path.read_bytes() == whole


def test_a_writer_that_dies_leaves_no_file_and_does_not_block_the_next(cache, monkeypatch) -> None:
    def die(descriptor: int) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", die)
        fonts.load_face("Bold")  # measured all the same, only not cached
    assert not fonts.metrics_path("Bold").exists()
    assert [path for path in cache.iterdir() if path.suffix != ".sqlite"] == []
    fonts.load_face.cache_clear()
    fonts.load_face("Bold")
    assert fonts.metrics_path("Bold").stat().st_size > 0


def test_a_stale_temporary_file_is_removed_and_a_fresh_one_left_alone(cache) -> None:
    stale = cache / ".NotoSansCJKhk-Regular-0123-abc.tmp"
    stale.write_bytes(b"")  # what an interrupted writer leaves
    old = time.time() - 2 * fonts.STALE_SECONDS
    os.utime(stale, (old, old))
    fresh = cache / ".NotoSansCJKhk-Bold-0123-def.tmp"
    fresh.write_bytes(b"half")  # another process writing now
    fonts.load_face("Regular")
    assert not stale.exists()
    assert fresh.exists()
    assert fonts.metrics_path("Regular").exists()


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage"])
def test_a_broken_glyph_cache_is_ignored_and_made_again(cache, damage) -> None:
    expected = program_of(SAMPLE)
    path = fonts.glyph_cache_path()
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
    assert fonts.glyph_cache_path().exists()
    assert program_of(SAMPLE) == converted  # read back from the cache


def test_unreadable_cached_glyph_data_is_converted_again(cache) -> None:
    expected = program_of(SAMPLE)
    with sqlite3.connect(fonts.glyph_cache_path()) as connection:
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
