"""Live arrival figures for organisers: who is in, by category, checkpoint and 5 minutes.

Only confirmed registrations count, on both sides of "checked in / expected": a guest
cancelled after checking in leaves both (and is counted apart), a re-entry or a repeated
scan is still one arrival, and an exit only changes who is inside now. A guest arrives at
their earliest accepted entry at any checkpoint, by the time the scan was made, so an
offline scan uploaded late lands in the 5 minutes it was made in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from domain.gathering import Gathering
from domain.gathering_categories import GuestCategory
from events_app.read_models.arrivals import SLOT_SECONDS
from events_app.read_models.arrivals_view import ArrivalCounts, ArrivalsView
from events_app.services.box_office import BoxOffice

ORDER = {category.value: place for place, category in enumerate(GuestCategory)}
"""Categories are listed in this order: guests first, then VIPs, speakers, press..."""
MAX_SLOTS = 288
"""At most 24 hours of 5-minute slots; arrivals before them are summed as `earlier`."""
TRAILING_SLOTS = 12
"""The chart runs on to the current slot when that is within an hour of the latest arrival."""


@dataclass(frozen=True)
class CategoryFigures:
    """Arrivals of one guest category."""

    category: str
    expected: int
    checked_in: int
    inside: int


@dataclass(frozen=True)
class CheckpointFigures:
    """Arrivals at one checkpoint, out of the confirmed guests it admits."""

    code: str
    name_en: str
    name_zh: str
    expected: int
    checked_in: int
    inside: int


@dataclass(frozen=True)
class Slot:
    """Five minutes, labelled in the gathering's timezone, and who arrived in them."""

    start: datetime
    label: str
    count: int


@dataclass(frozen=True)
class ArrivalFigures:
    """Everything the live arrivals page shows, as of one moment."""

    slug: str
    title_en: str
    title_zh: str
    timezone: str
    as_of: datetime
    expected: int
    checked_in: int
    inside: int
    not_arrived: int
    cancelled_after_check_in: int
    by_category: list[CategoryFigures]
    by_checkpoint: list[CheckpointFigures]
    slot_minutes: int
    slots: list[Slot]
    earlier: int
    latest_arrival_at: datetime | None


class Arrivals:
    """The one query behind the arrivals endpoint and page."""

    def __init__(self, app: BoxOffice, view: ArrivalsView) -> None:
        self._app = app
        self._view = view

    def figures(self, slug: str) -> ArrivalFigures:
        """Return the live arrival figures of a gathering; raise NotFound for an unknown slug."""
        gathering = self._app.gathering(slug)
        counts = self._view.counts(str(gathering.id))
        zone = ZoneInfo(gathering.timezone)
        now = self._app.clock()
        by_category = _by_category(gathering, counts)
        expected = sum(c.expected for c in by_category)
        checked_in = sum(c.checked_in for c in by_category)
        slots, earlier = _slots(counts.slots, zone, _slot_of(now))
        latest = counts.latest_epoch
        return ArrivalFigures(
            slug=gathering.slug,
            title_en=gathering.title_en,
            title_zh=gathering.title_zh,
            timezone=gathering.timezone,
            as_of=now.astimezone(zone),
            expected=expected,
            checked_in=checked_in,
            inside=sum(c.inside for c in by_category),
            not_arrived=expected - checked_in,
            cancelled_after_check_in=counts.no_longer_confirmed,
            by_category=by_category,
            by_checkpoint=_by_checkpoint(gathering, counts),
            slot_minutes=SLOT_SECONDS // 60,
            slots=slots,
            earlier=earlier,
            latest_arrival_at=None if latest is None else _local(latest, zone),
        )


def _by_category(gathering: Gathering, counts: ArrivalCounts) -> list[CategoryFigures]:
    names = sorted(
        {*gathering.categories, *counts.expected, *counts.checked_in},
        key=lambda name: (ORDER.get(name, len(ORDER)), name),
    )
    return [
        CategoryFigures(
            category=name,
            expected=counts.expected.get(name, 0),
            checked_in=counts.checked_in.get(name, 0),
            inside=counts.inside.get(name, 0),
        )
        for name in names
    ]


def _by_checkpoint(gathering: Gathering, counts: ArrivalCounts) -> list[CheckpointFigures]:
    figures = []
    for code in gathering.checkpoints:
        checkpoint = gathering.checkpoint(code)
        checked_in, inside = counts.checkpoints.get(code, (0, 0))
        expected = sum(counts.expected.get(c, 0) for c in checkpoint.categories)
        figures.append(
            CheckpointFigures(
                code, checkpoint.name_en, checkpoint.name_zh, expected, checked_in, inside
            )
        )
    for code in sorted(set(counts.checkpoints) - set(gathering.checkpoints)):
        checked_in, inside = counts.checkpoints[code]
        figures.append(CheckpointFigures(code, code, code, 0, checked_in, inside))
    return figures


def _slot_of(at: datetime) -> int:
    return int(at.timestamp() // SLOT_SECONDS)


EPOCHS = (-62_104_060_800, 253_370_764_800)
"""0002-01-01 to 9998-12-31 UTC: shown in any time zone without leaving datetime's years."""


def _local(epoch: int, zone: ZoneInfo) -> datetime:
    """Return an epoch in `zone`; a nonsense one stored by an older version is clamped."""
    return datetime.fromtimestamp(min(max(epoch, EPOCHS[0]), EPOCHS[1]), UTC).astimezone(zone)


def _slots(arrivals: dict[int, int], zone: ZoneInfo, now_slot: int) -> tuple[list[Slot], int]:
    """Return the slots from the first arrival's to the latest's, and arrivals before them."""
    if not arrivals:
        return [], 0
    first, last = min(arrivals), max(arrivals)
    if last < now_slot <= last + TRAILING_SLOTS:
        last = now_slot
    first = max(first, last - MAX_SLOTS + 1)
    earlier = sum(count for slot, count in arrivals.items() if slot < first)
    slots = []
    for slot in range(first, last + 1):
        start = _local(slot * SLOT_SECONDS, zone)
        slots.append(Slot(start=start, label=f"{start:%H:%M}", count=arrivals.get(slot, 0)))
    return slots, earlier
