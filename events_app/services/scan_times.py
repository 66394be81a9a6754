"""When a scan may say it happened: not in the future, not far from its gathering."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.checkpoint import REACH, within_reach
from domain.errors import DomainError
from domain.gathering import Gathering

FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of the server's clock a device's clock may run."""


class ScanInFuture(DomainError):
    """The scan says it happened well after the server received it."""

    code = "scanned_at_in_future"


class ScanOutOfReach(DomainError):
    """The scan is dated far before or after its gathering: a mistake, never an arrival."""

    code = "scanned_at_out_of_range"


def check_scan_times(gathering: Gathering, now: datetime, times: list[datetime]) -> None:
    """Raise for the first time that is in the future or beyond REACH of the gathering.

    The field is `scanned_at`, or `scans.N.scanned_at` for the N-th scan of a batch.
    """
    for n, at in enumerate(times):
        field = f"scans.{n}.scanned_at" if len(times) > 1 else "scanned_at"
        if at > now + FUTURE_TOLERANCE:
            raise ScanInFuture("scanned_at is in the future", field=field)
        if not within_reach(at, gathering.starts_at, gathering.ends_at):
            raise ScanOutOfReach(
                "scanned_at must lie within %(days)s days of the gathering's hours",
                field=field,
                days=REACH.days,
            )
