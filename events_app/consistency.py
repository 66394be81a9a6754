"""Read-your-writes without waiting for a backlog: which store position a request needs.

Every save notes the position of its last event (`note_written`). A page request that
follows one of the visitor's own writes carries that position in the session; an API
request may send it back in the `X-Min-Position` header it got as `X-Position`. Reads
then wait for that position only, for at most `READ_WAIT_SECONDS`, and answer 503 with
`Retry-After` beyond it (`ReadModelBehind`). A request that needs no write of its own
waits as long for the end of the log as it stood when it asked, then answers with what
is projected and says how far behind that is (`X-Read-Model-Behind`), so no request ever
waits for a whole backlog.
"""

from __future__ import annotations

import math
from contextvars import ContextVar
from dataclasses import dataclass

_written: ContextVar[int | None] = ContextVar("written", default=None)
_needed: ContextVar[int | None] = ContextVar("needed", default=None)
_behind: ContextVar[int | None] = ContextVar("behind", default=None)
_serving: ContextVar[bool] = ContextVar("serving", default=False)


class ReadModelBehind(Exception):
    """The read models have not reached the caller's own write within the wait allowed."""

    code = "read_model_behind"

    def __init__(self, needed: int, reached: int, retry_after: float) -> None:
        super().__init__(
            f"your change is recorded but not yet shown: the read models are at event "
            f"{reached} of {needed}; try again in {math.ceil(retry_after)} s"
        )
        self.needed = needed
        self.reached = reached
        self.retry_after = max(1, math.ceil(retry_after))


@dataclass(frozen=True)
class Need:
    """The position a read must reach, whether falling short is an error, and if it may wait.

    Outside a request (commands, the mail sender, tests calling services) a read is
    `patient`: it waits for everything recorded before it, as long as that takes.
    """

    position: int | None
    strict: bool
    patient: bool = False


def note_written(position: int) -> None:
    """Remember that this request (or command) wrote up to `position`."""
    current = _written.get()
    _written.set(position if current is None else max(current, position))


def written() -> int | None:
    """Return the position of this request's own latest write, if it wrote."""
    return _written.get()


def need() -> Need:
    """Return what the current read must reach: its own write, or the end of the log."""
    if not _serving.get():
        return Need(None, strict=True, patient=True)
    own = [p for p in (_needed.get(), _written.get()) if p is not None]
    if own:
        return Need(max(own), strict=True)
    return Need(None, strict=False)


def note_behind(events: int) -> None:
    """Record that this request was answered from read models `events` behind the store."""
    current = _behind.get()
    _behind.set(events if current is None else max(current, events))


def behind() -> int | None:
    """Return how far behind the store this request's answer was, if it was."""
    return _behind.get()


def start_request(needed: int | None) -> None:
    """Begin a request that needs `needed` (its visitor's own last write), or nothing."""
    _written.set(None)
    _behind.set(None)
    _needed.set(needed)
    _serving.set(True)


def end_request() -> None:
    """End the current request: later reads in this thread are patient again."""
    _serving.set(False)
    _needed.set(None)
