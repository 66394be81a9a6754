"""Files replaced whole or not at all, however the writer stops (exception, Ctrl-C, SIGKILL).

``replacing(target)`` hands out a temporary file in the target's own directory (so the
rename cannot cross filesystems), named ``.<target name>.<12 hex digits>.tmp``. Only when
the block ends without an exception is it flushed, fsync'd and renamed over the target with
``os.replace``, which is atomic on POSIX: a reader sees the old file or the new one, never
a part. On an exception the temporary file is removed and the old file stays as it was.

A process killed with SIGKILL (or by the OOM killer, or a power cut) cannot remove its
temporary file, so each writer holds an exclusive ``flock`` on its temporary file from
creation to rename; the kernel drops that lock when the process dies, however it dies.
Every new write of a target first removes that target's temporaries whose lock it can take
at once: their writers are gone. A concurrent writer's temporary is locked and left alone.

Why not ``O_TMPFILE`` (an unnamed file linked into place when complete): it is Linux only,
not every filesystem has it (older NFS and overlay mounts refuse it), and linking it needs
``/proc`` and still a named file, since ``linkat`` cannot replace an existing target. The
named, locked temporary works the same on every POSIX system and filesystem with one code
path, and the leftovers of a killed run are recognisable and cleaned up by the next one.

Like ``open(target, "wb")``, writing through a symbolic link replaces the file it points
to; a new file gets the usual mode (0o666 less the umask), a replaced one keeps its mode.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

SUFFIX = ".tmp"


def temporary_name(target: str | os.PathLike[str]) -> Path:
    """Return a fresh temporary file name for target: .<name>.<random>.tmp beside it."""
    path = Path(target)
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}{SUFFIX}")


def temporaries_of(target: str | os.PathLike[str]) -> list[Path]:
    """Return the temporary files of target that exist now (live writers' and dead ones')."""
    path = Path(target)
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{12}}{re.escape(SUFFIX)}")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return sorted(path.parent / name for name in names if pattern.fullmatch(name))


def remove_stale(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporaries of target that no live writer holds; return them."""
    removed = []
    for leftover in temporaries_of(target):
        try:
            fd = os.open(leftover, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            continue  # renamed into place or removed meanwhile
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if _names(fd, leftover):
                os.unlink(leftover)
                removed.append(leftover)
        except OSError:
            pass  # locked: a writer is at work on it
        finally:
            os.close(fd)
    return removed


@contextlib.contextmanager
def replacing(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces target when the block ends without an exception."""
    path = Path(os.path.realpath(target))
    remove_stale(path)
    fd, temporary = _create_locked(path)
    out = os.fdopen(fd, "wb")
    try:
        try:
            yield out
            out.flush()
            os.fsync(fd)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _sync_directory(path.parent)
    finally:
        out.close()  # releases the lock, after the rename


def create_once(target: str | os.PathLike[str], data: bytes, mode: int = 0o600) -> bool:
    """Write data as the new file target, whole, unless it exists; return whether it did."""
    path = Path(target)
    remove_stale(path)
    fd, temporary = _create_locked(path)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(os.dup(fd), "wb") as out:
            out.write(data)
        os.fsync(fd)
        try:
            os.link(temporary, path)  # unlike a rename, never replaces: the first one wins
        except FileExistsError:
            return False
        _sync_directory(path.parent)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        os.close(fd)


def _create_locked(path: Path) -> tuple[int, Path]:
    """Create and lock a new temporary file for path; return its descriptor and name."""
    while True:
        temporary = temporary_name(path)
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _names(fd, temporary):
                with contextlib.suppress(FileNotFoundError):
                    os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
                return fd, temporary
        except BaseException:
            os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        os.close(fd)  # a cleaner took it for stale between open and lock: take another


def _names(fd: int, path: Path) -> bool:
    """Return whether path still names the file open as fd."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (best effort: not every system can fsync a directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
