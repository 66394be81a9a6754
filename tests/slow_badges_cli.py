"""The organiser CLI that stops part-way through a badge batch, for tests that kill it there.

Each finished sheet is announced on stderr ("sheet done: N badge(s)"); once HOLD_AFTER_BADGES
badges are written the run waits (ten minutes) to be killed, so a test kills it at a known
point, not by a lucky timing. Without HOLD_AFTER_BADGES it runs through.

    python tests/slow_badges_cli.py badges print --gathering SLUG -o FILE
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import events_app.services.badge_print as badge_print
from events_app.cli import main
from printing.badges import BadgeData

HOLD_AFTER = int(os.environ.get("HOLD_AFTER_BADGES") or 0)
write_badge_sheets = badge_print.write_badge_sheets


def slow_sheets(
    badges: Iterable[BadgeData],
    out: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the sheets as usual, announcing each one on stderr; hold after HOLD_AFTER."""

    def sheet_done(count: int) -> None:
        out.flush()  # so the test sees the part written so far on disk
        print(f"sheet done: {count} badge(s)", file=sys.stderr, flush=True)
        if count == HOLD_AFTER:
            time.sleep(600)
        if progress is not None:
            progress(count)

    return write_badge_sheets(badges, out, progress=sheet_done)


badge_print.write_badge_sheets = slow_sheets  # type: ignore[assignment]

if __name__ == "__main__":
    main()
