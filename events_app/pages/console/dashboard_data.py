"""What the console dashboard shows, read through the read models' queries (never SQL here).

Registrations by state and category, capacity left, scan conflicts with both doors that let
the guest in, and the guest mails that failed or still wait. Times are turned into aware
datetimes in the gathering's time zone here, so the template only formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext

from domain.gathering import Gathering
from domain.registration import RegistrationState
from events_app.context import services
from events_app.mail.outbox import MailRow
from events_app.read_models.dashboard import AdmissionRecord
from events_app.services.arrivals import ORDER

STATES = tuple(state.value for state in RegistrationState)
MAIL_STATES_TO_REVIEW = ("failed", "queued")
MAIL_LIST_LIMIT = 25
CONFLICT_LIST_LIMIT = 50


def local(raw: str | datetime | None, zone: ZoneInfo) -> datetime | None:
    """Return a stored time (ISO text or datetime) in the gathering's zone, or None."""
    if raw is None or raw == "":
        return None
    moment = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    return moment.astimezone(zone)


def ordered_categories(gathering: Gathering, *extra: str) -> list[str]:
    """Return the gathering's categories (and any others seen), guests first."""
    return sorted(
        {*gathering.categories, *extra}, key=lambda name: (ORDER.get(name, len(ORDER)), name)
    )


@dataclass(frozen=True)
class CategoryRow:
    """Registrations of one category by state, and its own cap if it has one."""

    category: str
    by_state: dict[str, int]
    total: int
    cap: int | None
    left: int | None
    held: int = 0
    """Seats held for invited guests who have not answered yet."""


@dataclass(frozen=True)
class Registrations:
    """Registrations of a gathering by state and category, and the seats left."""

    rows: list[CategoryRow]
    by_state: dict[str, int]
    total: int
    capacity: int
    confirmed: int
    left: int
    held: int = 0
    """Seats held for invited guests who have not answered yet (counted as taken)."""


def registrations(gathering: Gathering) -> Registrations:
    """Count registrations by state and category; work out the capacity left."""
    counts: dict[str, Any] = services().guest_list.counts(str(gathering.id))
    by_category: dict[str, dict[str, int]] = counts["by_category"]
    by_state = {state: int(counts["by_state"].get(state, 0)) for state in STATES}
    confirmed = by_state["confirmed"]
    guest_list = services().box_office.guest_list(gathering.id)
    left = max(gathering.capacity - confirmed - guest_list.held_count(), 0)
    rows = []
    for category in ordered_categories(gathering, *by_category):
        states = {state: int(by_category.get(category, {}).get(state, 0)) for state in STATES}
        held = guest_list.held_count(category)
        cap = (gathering.categories.get(category) or {}).get("capacity")
        own_left = None if cap is None else max(min(cap - states["confirmed"] - held, left), 0)
        rows.append(CategoryRow(category, states, sum(states.values()), cap, own_left, held))
    return Registrations(
        rows=rows,
        by_state=by_state,
        total=sum(by_state.values()),
        capacity=gathering.capacity,
        confirmed=confirmed,
        left=left,
        held=guest_list.held_count(),
    )


@dataclass(frozen=True)
class Admission:
    """One door letting a guest in: which device, at which time."""

    device: str
    at: datetime | None


@dataclass(frozen=True)
class Conflict:
    """A badge let in twice at one checkpoint (e.g. at two doors while offline)."""

    scan_id: str
    registration_id: str
    full_name: str
    name_zh: str
    category: str
    checkpoint_en: str
    checkpoint_zh: str
    second: Admission
    first: Admission | None
    received_at: datetime | None
    reason: str


def device_name(name: str | None, label: str) -> str:
    """Return a device's name, or its history label ("device:door 1#ab12cd34") without noise."""
    if name:
        return name
    return label.removeprefix("device:").split("#")[0] or label


def admission(record: AdmissionRecord, zone: ZoneInfo) -> Admission:
    """Return a stored admission with the device's display name and the local time."""
    return Admission(device_name(record.device_name, record.device), local(record.scanned_at, zone))


def conflicts(gathering: Gathering, limit: int = CONFLICT_LIST_LIMIT) -> tuple[list[Conflict], int]:
    """Return the scan conflicts to review (oldest first) with the admission each repeats."""
    zone = ZoneInfo(gathering.timezone)
    records, total = services().dashboard.conflicts(str(gathering.id), limit)
    found = []
    for record in records:
        checkpoint_en, checkpoint_zh = checkpoint_names(gathering, record.checkpoint)
        found.append(
            Conflict(
                scan_id=record.scan_id,
                registration_id=record.registration_id,
                full_name=record.full_name or gettext("(unknown guest)"),
                name_zh=record.name_zh or "",
                category=record.category or "",
                checkpoint_en=checkpoint_en,
                checkpoint_zh=checkpoint_zh,
                second=admission(record.second, zone),
                first=None if record.first is None else admission(record.first, zone),
                received_at=local(record.received_at, zone),
                reason=record.reason,
            )
        )
    return found, total


def checkpoint_names(gathering: Gathering, code: str) -> tuple[str, str]:
    """Return the English and Chinese names of a checkpoint (its code if it is gone)."""
    if code in gathering.checkpoints:
        checkpoint = gathering.checkpoint(code)
        return checkpoint.name_en, checkpoint.name_zh
    return code, ""


@dataclass(frozen=True)
class Mails:
    """Guest mails that failed or wait to be sent."""

    failed: int
    queued: int
    rows: list[MailRow]
    listed_total: int


def mails_to_review(gathering: Gathering, limit: int = MAIL_LIST_LIMIT) -> Mails:
    """Return the counts of failed and waiting mails and the first of them."""
    outbox = services().outbox
    counts = outbox.counts(str(gathering.id))
    rows, total = outbox.search(str(gathering.id), states=MAIL_STATES_TO_REVIEW, limit=limit)
    return Mails(
        failed=counts.get("failed", 0),
        queued=counts.get("queued", 0),
        rows=rows,
        listed_total=total,
    )
