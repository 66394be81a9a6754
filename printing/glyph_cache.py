"""Converted glyphs kept across processes: one small SQLite file in the font cache directory.

Each row is one source glyph at one weight as compiled TrueType ``glyf`` data with its
advance, so a process that prints after another reads the glyphs instead of opening the
source face. SQLite commits whole transactions or nothing, so an interrupted writer leaves
no half-written glyph; an empty file is an empty database, and a file SQLite cannot read is
removed and made again. Every failure only means a miss: the caller converts the glyph.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

BUSY_SECONDS = 5.0  # wait this long for another process's write, then skip caching


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """Open the cache (creating it), yield the connection, commit, and close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS)
    try:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS glyphs (weight INTEGER, gid INTEGER, advance INTEGER,"
            " data BLOB, PRIMARY KEY (weight, gid))"
        )
        yield connection
        connection.commit()
    finally:
        connection.close()


def _discard_if_broken(path: Path, error: sqlite3.Error) -> None:
    """Remove a cache file that is not a database (truncated or overwritten)."""
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
        with contextlib.suppress(OSError):
            path.unlink()


def read(path: Path, weight: int, gids: Sequence[int]) -> dict[int, tuple[bytes, int]]:
    """Return {gid: (glyf data, advance)} of the glyphs the cache holds (others missing)."""
    if not gids:
        return {}
    found: dict[int, tuple[bytes, int]] = {}
    try:
        with _connect(path) as connection:
            for start in range(0, len(gids), 500):
                chunk = list(gids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT gid, data, advance FROM glyphs WHERE weight = ? AND gid IN ({marks})",  # noqa: S608
                    [weight, *chunk],
                )
                found.update((gid, (bytes(data), advance)) for gid, data, advance in rows)
    except (sqlite3.Error, OSError) as error:
        if isinstance(error, sqlite3.Error):
            _discard_if_broken(path, error)
        return {}
    return found


def write(path: Path, weight: int, glyphs: Iterable[tuple[int, bytes, int]]) -> None:
    """Store (gid, glyf data, advance) rows of a weight, in one transaction (best effort)."""
    rows = [(weight, gid, advance, data) for gid, data, advance in glyphs]
    if not rows:
        return
    try:
        with _connect(path) as connection:
            connection.executemany("INSERT OR REPLACE INTO glyphs VALUES (?, ?, ?, ?)", rows)
    except (sqlite3.Error, OSError) as error:
        if isinstance(error, sqlite3.Error):
            _discard_if_broken(path, error)
