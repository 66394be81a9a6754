"""Read-your-writes without waiting for a backlog: which store position a request needs.

Every save notes the position of its last event (`note_written`). A page request that
follows one of the visitor's own writes carries that position in the session; an API
request may send it back in the `X-Min-Position` header it got as `X-Position`. Reads
wait, for at most `READ_WAIT_SECONDS`, for the end of the log as it stood; falling short,
they answer with what is projected and say how far behind (`X-Read-Model-Behind`),
unless even the visitor's own write is not yet projected: then 503 with `Retry-After`
(`ReadModelBehind`). So no request ever waits for a whole backlog.
"""

from __future__ import annotations

import math
import time
from contextvars import ContextVar
from dataclasses import dataclass

_written: ContextVar[int | None] = ContextVar("written", default=None)
_needed: ContextVar[int | None] = ContextVar("needed", default=None)
_behind: ContextVar[int | None] = ContextVar("behind", default=None)
_serving: ContextVar[bool] = ContextVar("serving", default=False)
_until: ContextVar[float | None] = ContextVar("until", default=None)


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
    """The position a read must reach (its visitor's own write), and whether it may wait.

    Outside a request (commands, the mail sender, tests calling services) a read is
    `patient`: it waits for everything recorded before it, as long as that takes.
    """

    position: int | None
    patient: bool = False


def note_written(position: int) -> None:
    """Remember that this request (or command) wrote up to `position`."""
    current = _written.get()
    _written.set(position if current is None else max(current, position))


def written() -> int | None:
    """Return the position of this request's own latest write, if it wrote."""
    return _written.get()


def need() -> Need:
    """Return what the current read must reach: its visitor's own write, if any."""
    if not _serving.get():
        return Need(None, patient=True)
    own = [p for p in (_needed.get(), _written.get()) if p is not None]
    return Need(max(own) if own else None)


def allowance(seconds: float) -> float:
    """Return how long the current read may still wait: `seconds` for the whole request.

    A request making several reads waits `seconds` in all, not for each of them.
    """
    until = _until.get()
    if until is None:
        until = time.monotonic() + seconds
        _until.set(until)
    return max(0.0, until - time.monotonic())


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
    _until.set(None)
    _serving.set(True)


def end_request() -> None:
    """End the current request: later reads in this thread are patient again."""
    _serving.set(False)
    _needed.set(None)
