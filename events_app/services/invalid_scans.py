"""Invalid badges beyond a device's first few are counted, not kept one by one.

A device scanning forged or unknown badges (statuses invalid, unknown, wrong_event) has
its first ones in each window (INVALID_SCAN_SAMPLES, e.g. 20 in 2 minutes) recorded as
Scan aggregates, samples organisers can look at; the window is decided on the rate
limiter's storage, so all workers share it. Beyond that, each process adds the scans up
per device and minute and writes them as one `DoorDevice.InvalidScansCounted` event per
device and minute at most every INVALID_SCAN_FLUSH_SECONDS, from a background thread (and
when the app closes or the process exits). The store thus grows by a bounded amount
whatever the rate. A process killed with SIGKILL loses the counts of its last few seconds
(those not yet flushed); a failed write keeps them for the next flush.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections import Counter
from datetime import UTC, datetime
from uuid import UUID

from limits import RateLimitItem
from limits.strategies import FixedWindowRateLimiter

from domain.door_device import DoorDevice
from domain.scan import ScanStatus
from events_app.services.box_office import BoxOffice

COUNTED = frozenset({ScanStatus.INVALID, ScanStatus.UNKNOWN, ScanStatus.WRONG_EVENT})
"""Statuses of badges that are forged or name nothing here: sampled, then counted."""
log = logging.getLogger(__name__)
Bucket = tuple[UUID, UUID, int]  # device, gathering, minute (epoch seconds // 60)


class InvalidScans:
    """Decide which invalid scans are kept as samples, and count the others compactly."""

    def __init__(
        self,
        app: BoxOffice,
        limiter: FixedWindowRateLimiter,
        samples: RateLimitItem,
        flush_seconds: float,
    ) -> None:
        self._app = app
        self._limiter = limiter
        self._samples = samples
        self._flush_seconds = flush_seconds
        self._pending: dict[Bucket, Counter[str]] = {}
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def keeps(self, device_id: UUID) -> bool:
        """Tell whether this invalid scan of the device is one of its window's samples."""
        try:
            return self._limiter.hit(self._samples, "invalid-scan-samples", device_id.hex)
        except Exception:  # the limiter's storage is down: record the scan, as before
            log.exception("cannot tell whether to keep an invalid scan; it is recorded")
            return True

    def only_counts(self, device_id: UUID, status: ScanStatus, kept: list[bool]) -> bool:
        """Tell whether a scan is invalid beyond the samples (`kept` memoises the answer)."""
        if status not in COUNTED:
            return False
        if not kept:
            kept.append(self.keeps(device_id))
        return not kept[0]

    def count(self, device: DoorDevice, status: ScanStatus, received_at: datetime) -> None:
        """Count one invalid scan that is not kept; written at the next flush."""
        minute = int(received_at.timestamp()) // 60
        with self._lock:
            bucket = self._pending.setdefault((device.id, device.gathering_id, minute), Counter())
            bucket[status.value] += 1
            if self._thread is None:
                self._start()

    def pending(self) -> int:
        """Return how many counted scans this process has not written yet."""
        with self._lock:
            return sum(sum(c.values()) for c in self._pending.values())

    def flush(self) -> int:
        """Write the counted scans as events (one per device and minute); return how many."""
        with self._flushing:
            with self._lock:
                taken, self._pending = self._pending, {}
            by_device: dict[UUID, list[tuple[Bucket, Counter[str]]]] = {}
            for bucket, statuses in sorted(taken.items(), key=lambda item: item[0][2]):
                by_device.setdefault(bucket[0], []).append((bucket, statuses))
            written = 0
            for device_id, buckets in by_device.items():
                try:
                    self._write(device_id, buckets)
                    written += len(buckets)
                except Exception:  # kept for the next flush: a count is never dropped
                    log.exception("invalid scans of device %s not written yet", device_id)
                    self._put_back(buckets)
            return written

    def close(self) -> None:
        """Stop the background flushes and write what is left."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
        self.flush()

    def _write(self, device_id: UUID, buckets: list[tuple[Bucket, Counter[str]]]) -> None:
        def command() -> tuple[None, list[DoorDevice]]:
            device = self._app.load(DoorDevice, device_id, "device")
            at = self._app.clock()
            for (_, _, minute), statuses in buckets:
                device.count_invalid_scans(
                    gathering_id=device.gathering_id,
                    window_start=datetime.fromtimestamp(minute * 60, UTC),
                    count=sum(statuses.values()),
                    statuses=dict(sorted(statuses.items())),
                    at=at,
                )
            return None, [device]

        self._app.execute(device_id, command)

    def _put_back(self, buckets: list[tuple[Bucket, Counter[str]]]) -> None:
        with self._lock:
            for bucket, statuses in buckets:
                self._pending.setdefault(bucket, Counter()).update(statuses)

    def _start(self) -> None:
        """Start the flushing thread (in the process that counts, so after a fork)."""
        self._thread = threading.Thread(
            target=_run, args=(weakref.ref(self), self._stop, self._flush_seconds), daemon=True
        )
        self._thread.start()
        atexit.register(_flush_at_exit, weakref.ref(self))


def _run(ref: weakref.ref[InvalidScans], stop: threading.Event, seconds: float) -> None:
    while not stop.wait(seconds):
        scans = ref()
        if scans is None:
            return
        scans.flush()
        del scans


def _flush_at_exit(ref: weakref.ref[InvalidScans]) -> None:
    scans = ref()
    if scans is not None and not scans._stop.is_set():
        scans.close()
