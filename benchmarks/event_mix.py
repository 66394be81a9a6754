"""Fill an event store fast with a realistic launch day, and say what its figures must be.

`fill` writes a gathering (or uses one) with a main hall and a ceremony hall, registrations
across the categories (most confirmed by approval, some waitlisted, rejected or cancelled,
a few badges reissued), enrolled door devices, and then the day's scans. Every aggregate is
made with the domain classes and every scan is judged by the real `Judgement`
(see event_mix_scans), so the store holds exactly the events the commands would record
(Scan.Recorded, Attendance.Started/Entered/Left/ConflictFlagged, ...), in the order the
commands would record them; only, they are saved in chunks of `chunk` events, one atomic
insert each, through the application's own mapper and recorder (see event_mix_writer).

The returned `Mix` holds the figures a correct projection must show for what was written.

    from benchmarks.event_mix import fill
    mix = fill(services.box_office, registrations=2000, scans=100_000, signer=services.signer)
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from benchmarks.event_mix_scans import ScanMix
from benchmarks.event_mix_setup import (
    Cast,
    define_checkpoints,
    enrol_devices,
    new_gathering,
    register_all,
)
from benchmarks.event_mix_writer import Writer
from domain.guest_list import GuestList
from domain.registration import RegistrationState
from events_app.services.badge_tokens import BadgeSigner, signer_from_config
from events_app.services.box_office import BoxOffice

CHUNK = 2_000
"""How many domain events one save writes."""


@dataclass
class Mix:
    """What `fill` wrote, and the figures a correct projection of it shows."""

    gathering_id: UUID
    slug: str
    events: int
    registrations: int
    by_state: dict[str, int]
    expected: dict[str, int]
    """Confirmed registrations by category."""
    devices: list[str]
    scans: int
    arrived: int
    """Distinct confirmed guests with an accepted entry at some checkpoint."""
    inside: int
    """Confirmed guests inside some checkpoint now."""
    arrived_by_category: dict[str, int]
    inside_by_category: dict[str, int]
    arrived_by_checkpoint: dict[str, int]
    inside_by_checkpoint: dict[str, int]
    scans_by_status: dict[str, int]
    scans_by_device: dict[str, int]
    offline_scans: int
    conflicts: int
    seconds: float = 0.0
    attendances: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    """Per registration id: the checkpoints entered first ({code: scanned_at}) and inside."""


def fill(
    events: BoxOffice,
    *,
    gathering_id: UUID | None = None,
    registrations: int,
    scans: int,
    devices: int = 4,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    signer: BadgeSigner | None = None,
    chunk: int = CHUNK,
    background: bool = True,
) -> Mix:
    """Write a launch day into `events`' store; return what a projection of it must show.

    Without `gathering_id` a new gathering held yesterday (by the app's clock) is made;
    with one, its day and checkpoints are used (the mix's are defined if it has none).
    Badges are signed with `signer` (pass the app's so its door page knows them). Events
    are saved `chunk` at a time, inserted by a writer thread unless `background` is False.
    """
    if registrations < 0 or scans < 0 or devices < 1:
        raise ValueError("registrations and scans must be >= 0, devices >= 1")
    started = time.perf_counter()
    rng = random.Random(seed)
    writer = Writer(events, chunk, progress, background=background)
    try:
        cast = _cast(events, gathering_id, registrations, rng)
        define_checkpoints(cast)
        enrol_devices(cast, devices)
        writer.add(cast.pending)
        register_all(cast, registrations, rng)
        writer.add(cast.pending)
        writer.sync()
        if events.snapshots is not None:
            events.take_snapshot(GuestList.create_id(cast.gathering.id))
        scanner = ScanMix(cast, signer or signer_from_config("event-mix", ""), rng, writer.emit)
        scanner.run(scans)
        writer.close()
    except BaseException:
        writer.abort()  # write nothing more after a failure
        raise
    mix = figures(cast, scanner, writer.written)
    mix.seconds = time.perf_counter() - started
    return mix


def _cast(
    events: BoxOffice, gathering_id: UUID | None, registrations: int, rng: random.Random
) -> Cast:
    if gathering_id is not None:
        gathering = events.gathering_by_id(gathering_id)
        guest_list = events.guest_list(gathering_id)
        return Cast(
            gathering, guest_list, {}, [], load=events.registration, hasher=events.email_hash
        )
    gathering = new_gathering(events.clock(), registrations, rng)
    cast = Cast(
        gathering,
        GuestList(gathering_id=gathering.id),
        {},
        [],
        events.registration,
        hasher=events.email_hash,
    )
    cast.take(gathering, cast.guest_list)
    return cast


def figures(cast: Cast, scanner: ScanMix, written: int) -> Mix:
    """Return the figures of the mix from the final state of its aggregates."""
    confirmed = [r for r in cast.registrations.values() if r.state is RegistrationState.CONFIRMED]
    codes = list(cast.gathering.checkpoints)
    arrived, inside = Counter[str](), Counter[str]()
    at_checkpoint, inside_at = Counter[str](), Counter[str]()
    attendances: dict[str, dict[str, Any]] = {}
    for registration in confirmed:
        attendance = scanner.attendances.get(registration.id)
        if attendance is None or not attendance.first_entry:
            continue
        arrived[registration.category] += 1
        inside[registration.category] += any(attendance.inside.values())
        for code in attendance.first_entry:
            at_checkpoint[code] += 1
            inside_at[code] += attendance.is_inside(code)
        attendances[str(registration.id)] = {
            "first": {c: e["scanned_at"] for c, e in attendance.first_entry.items()},
            "inside": sorted(c for c, i in attendance.inside.items() if i),
        }
    return Mix(
        gathering_id=cast.gathering.id,
        slug=cast.gathering.slug,
        events=written,
        registrations=len(cast.registrations),
        by_state=dict(Counter(r.state.value for r in cast.registrations.values())),
        expected=dict(Counter(r.category for r in confirmed)),
        devices=[str(d.id) for d in cast.devices],
        scans=sum(scanner.by_status.values()),
        arrived=sum(arrived.values()),
        inside=sum(inside.values()),
        arrived_by_category=dict(arrived),
        inside_by_category=dict(inside),
        arrived_by_checkpoint={c: at_checkpoint[c] for c in codes},
        inside_by_checkpoint={c: inside_at[c] for c in codes},
        scans_by_status=dict(scanner.by_status),
        scans_by_device=dict(scanner.by_device),
        offline_scans=scanner.offline,
        conflicts=scanner.conflicts,
        attendances=attendances,
    )
