"""The scans of an event mix, judged by the real scan `Judgement`, in the order received.

Scans are spread evenly over the gathering's day, from a quarter of an hour before the
main door opens to the end. Guests arrive mostly around the start (a first entry each);
the other scans are guests already in coming and going (a repeat scan, an exit, a
re-entry, a visit to the ceremony hall) and some noise: forged or damaged codes, badges
of no registration or of another event, cancelled or unconfirmed guests, replaced badges.
Each device drops offline twice for a few minutes: its scans then wait on the device and
are judged when it uploads them, after the scans other doors sent meanwhile, exactly as
`POST /api/v1/scans` would judge them (which is how offline conflicts arise).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from benchmarks.event_mix_setup import Cast
from domain.attendance import Attendance
from domain.registration import Registration, RegistrationState
from domain.scan import Scan
from domain.scan_judgement import Judgement, ScanRequest
from events_app.services.badge_tokens import BadgeClaims, BadgeSigner, InvalidBadge, fingerprint

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ARRIVING = 0.9
"""The share of confirmed guests who come."""
NOISE = 0.012
"""The share of scans (once the doors are open) that are not of a confirmed guest's badge."""
NEAR = timedelta(minutes=10)
"""Guests try the other checkpoints from this long before they open until after they close."""


@dataclass(frozen=True)
class Intent:
    """A scan before it is judged: who (if anyone), where, which way, when, on which device."""

    token: str
    checkpoint: str
    direction: str
    scanned_at: datetime
    device: int


class ScanMix:
    """Makes `scans` scans of a cast, judges them and hands their events to `emit`."""

    def __init__(
        self, cast: Cast, signer: BadgeSigner, rng: random.Random, emit: Callable[..., None]
    ) -> None:
        self.cast, self.signer, self.rng, self.emit = cast, signer, rng, emit
        gathering = cast.gathering
        self.checkpoints = {code: gathering.checkpoint(code) for code in gathering.checkpoints}
        self.main = max(self.checkpoints, key=lambda c: len(self.checkpoints[c].categories))
        self.others = [code for code in self.checkpoints if code != self.main]
        self.main_opens = self.checkpoints[self.main].window(
            gathering.starts_at, gathering.ends_at
        )[0]
        self.attendances: dict[UUID, Attendance] = {}
        self.arrived: list[Registration] = []
        self.by_status: Counter[str] = Counter()
        self.by_device: Counter[str] = Counter()
        self.offline = 0
        self.conflicts = 0
        self._claims: dict[str, tuple[BadgeClaims | None, str]] = {}
        self._tokens: dict[tuple[UUID, int], str] = {}
        self._seq = [0] * len(cast.devices)
        self._doors = self._assign_doors()
        self._windows = [self._offline_windows() for _ in cast.devices]
        self._waiting: dict[int, tuple[datetime, list[tuple[Intent, str]]]] = {}
        self._local: dict[int, set[UUID]] = {}
        everyone = list(cast.registrations.values())
        self._all = everyone
        self._confirmed = [r for r in everyone if r.state is RegistrationState.CONFIRMED]
        self._unconfirmed = [r for r in everyone if r.state is not RegistrationState.CONFIRMED]
        self._replaced = [r for r in everyone if r.badge_serial > 1]
        self._arrivals = self._arrival_times()

    # Planning ------------------------------------------------------------------------

    def _assign_doors(self) -> dict[str, list[int]]:
        """Put a quarter of the devices (at least one) at the other checkpoints."""
        count = len(self.cast.devices)
        extra = max(1, count // 4) if self.others and count > 1 else 0
        doors: dict[str, list[int]] = {code: [] for code in self.checkpoints}
        doors[self.main] = list(range(count - extra))
        for n, device in enumerate(range(count - extra, count)):
            doors[self.others[n % len(self.others)]].append(device)
        return {code: found or doors[self.main] for code, found in doors.items()}

    def _offline_windows(self) -> list[tuple[datetime, datetime]]:
        gathering = self.cast.gathering
        span = (gathering.ends_at - gathering.starts_at).total_seconds()
        windows = []
        for _ in range(2):
            start = gathering.starts_at + timedelta(seconds=self.rng.uniform(-0.1, 0.85) * span)
            windows.append((start, start + timedelta(minutes=self.rng.uniform(6, 15))))
        return windows

    def _arrival_times(self) -> list[tuple[datetime, Registration]]:
        """Return when the coming guests arrive, latest first (popped from the end)."""
        gathering, rng = self.cast.gathering, self.rng
        coming = rng.sample(self._confirmed, int(len(self._confirmed) * ARRIVING))
        rush = (gathering.starts_at - self.main_opens).total_seconds() + 1800
        later = (gathering.ends_at - gathering.starts_at).total_seconds() / 2
        times = []
        for registration in coming:
            if rng.random() < 0.75:
                offset = rng.triangular(0, rush, rush * 0.6)
            else:
                offset = rush + rng.uniform(0, later)
            times.append((self.main_opens + timedelta(seconds=offset), registration))
        return sorted(times, key=lambda pair: pair[0], reverse=True)

    # Choosing what is scanned ------------------------------------------------------

    def token(self, registration: Registration, serial: int | None = None) -> str:
        """Return the badge token of a registration (its current one unless `serial`)."""
        serial = registration.badge_serial if serial is None else serial
        key = (registration.id, serial)
        token = self._tokens.get(key)
        if token is None:
            token = self.signer.sign(registration.gathering_id, registration.id, serial)
            self._tokens[key] = token
        return token

    def _intent(self, at: datetime) -> Intent:
        if at < self.main_opens and self._all:
            return self._at(self.main, self.token(self.rng.choice(self._all)), "in", at)
        if self._arrivals and self._arrivals[-1][0] <= at:
            registration = self._arrivals.pop()[1]
            self.arrived.append(registration)
            return self._at(self.main, self.token(registration), "in", at)
        if not self.arrived or self.rng.random() < NOISE:
            return self._at(self.main, self._noise(), "in", at)
        return self._movement(at)

    def _at(self, code: str, token: str, direction: str, at: datetime) -> Intent:
        return Intent(token, code, direction, at, self.rng.choice(self._doors[code]))

    def _movement(self, at: datetime) -> Intent:
        """A guest already in comes or goes, at the main hall or another checkpoint."""
        rng = self.rng
        registration = rng.choice(self.arrived)
        code = self.main
        if self.others:
            other = rng.choice(self.others)
            checkpoint = self.checkpoints[other]
            gathering = self.cast.gathering
            opens, closes = checkpoint.window(gathering.starts_at, gathering.ends_at)
            near = opens - NEAR <= at < closes + NEAR
            chance = 0.3 if checkpoint.admits(registration.category) else 0.02
            if near and rng.random() < chance:
                code = other
        attendance = self.attendances.get(registration.id)
        if attendance is not None and attendance.is_inside(code):
            direction = "in" if rng.random() < 0.4 else "out"
        else:
            direction = "out" if rng.random() < 0.03 else "in"
        return self._at(code, self.token(registration), direction, at)

    def _noise(self) -> str:
        rng, roll = self.rng, self.rng.random()
        if roll < 0.15:
            return self.signer.sign(self.cast.gathering.id, uuid4(), 1)  # unknown
        if roll < 0.2:
            return self.signer.sign(uuid4(), uuid4(), 1)  # another event's badge
        if roll < 0.4 and self._unconfirmed:
            return self.token(rng.choice(self._unconfirmed))  # cancelled, waitlisted...
        if roll < 0.5 and self._replaced:
            return self.token(rng.choice(self._replaced), serial=1)  # the lost badge
        if roll < 0.75:
            return "".join(rng.choice(BASE32) for _ in range(55))  # forged
        return str(rng.randrange(10**12, 10**13))  # a product's barcode

    # Judging -----------------------------------------------------------------------

    def run(self, scans: int) -> None:
        """Make, judge and emit `scans` scans, in the order the server would receive them."""
        gathering = self.cast.gathering
        first = self.main_opens - timedelta(minutes=15)
        span = (gathering.ends_at - first).total_seconds()
        for k in range(scans):
            at = first + timedelta(seconds=span * (k + self.rng.random()) / scans)
            self._upload_due(at)
            intent = self._intent(at)
            window = self._offline_until(intent.device, at)
            if window is None:
                received = at + timedelta(milliseconds=self.rng.randint(150, 1500))
                self.judge(intent, received)
            else:
                self._wait(intent, window)
        for device in list(self._waiting):
            self._upload(device)

    def _offline_until(self, device: int, at: datetime) -> datetime | None:
        for start, end in self._windows[device]:
            if start <= at < end:
                return end
        return None

    def _wait(self, intent: Intent, until: datetime) -> None:
        """Keep a scan on the offline device, with what the device said locally."""
        queue = self._waiting.setdefault(intent.device, (until, []))[1]
        claims = self.claims(intent.token)[0]
        local = "invalid" if claims is None else "ok"
        if claims is not None and intent.direction == "in":
            seen = self._local.setdefault(intent.device, set())
            local = "already_checked_in" if claims.registration_id in seen else "ok"
            seen.add(claims.registration_id)
        queue.append((intent, local))

    def _upload_due(self, at: datetime) -> None:
        for device, (until, _queue) in list(self._waiting.items()):
            if until <= at:
                self._upload(device)

    def _upload(self, device: int) -> None:
        until, queue = self._waiting.pop(device)
        self._local.pop(device, None)
        for n, (intent, local) in enumerate(queue):
            self.judge(intent, until + timedelta(milliseconds=200 + 20 * n), local)

    def claims(self, token: str) -> tuple[BadgeClaims | None, str]:
        """Return what a token says (or why it is no badge), as CheckIn does; kept per token."""
        found = self._claims.get(token)
        if found is None:
            try:
                found = self.signer.verify(token), ""
            except InvalidBadge as error:
                found = None, str(error)
            self._claims[token] = found
        return found

    def judge(self, intent: Intent, received_at: datetime, local: str | None = None) -> None:
        """Judge one scan as the server does and emit the Scan and the changed Attendance."""
        device = self.cast.devices[intent.device]
        client_scan_id = f"mix-{self._seq[intent.device]:08d}"
        self._seq[intent.device] += 1
        request = ScanRequest(
            intent.token,
            intent.checkpoint,
            client_scan_id,
            intent.scanned_at,
            intent.direction,
            offline=local is not None,
            local_status=local or "",
        )
        scan_id = Scan.create_id(device.id, client_scan_id)
        checkpoint = self.checkpoints[intent.checkpoint]
        judged = Judgement(self.cast.gathering, checkpoint, device, request, scan_id)
        claims, reason = self.claims(intent.token)
        registration = (
            None if claims is None else self.cast.registrations.get(claims.registration_id)
        )
        # The guest's attendance comes from the mix instead of the store.
        judged.judge(claims, registration, self.attendances.get, reason)
        scan = judged.record(fingerprint(intent.token), received_at)
        self.emit(scan, *judged.changed)
        for attendance in judged.changed:
            self.attendances[attendance.registration_id] = attendance
        self.by_status[judged.status.value] += 1
        self.by_device[str(device.id)] += 1
        self.offline += local is not None
        self.conflicts += judged.conflict
