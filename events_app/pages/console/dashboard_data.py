"""What the console dashboard shows, read from the read models (never from projections' code).

Registrations by state and category, capacity left, scan conflicts with both doors that let
the guest in, and the guest mails that failed or still wait. Times are turned into aware
datetimes in the gathering's time zone here, so the template only formats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.gathering import Gathering
from domain.registration import RegistrationState
from events_app.context import services
from events_app.mail.outbox import MailRow
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


@dataclass(frozen=True)
class Registrations:
    """Registrations of a gathering by state and category, and the seats left."""

    rows: list[CategoryRow]
    by_state: dict[str, int]
    total: int
    capacity: int
    confirmed: int
    left: int


def registrations(gathering: Gathering) -> Registrations:
    """Count registrations by state and category; work out the capacity left."""
    counts: dict[str, Any] = services().guest_list.counts(str(gathering.id))
    by_category: dict[str, dict[str, int]] = counts["by_category"]
    by_state = {state: int(counts["by_state"].get(state, 0)) for state in STATES}
    confirmed = by_state["confirmed"]
    left = max(gathering.capacity - confirmed, 0)
    rows = []
    for category in ordered_categories(gathering, *by_category):
        states = {state: int(by_category.get(category, {}).get(state, 0)) for state in STATES}
        raw = gathering.categories.get(category) or {}
        cap = raw.get("capacity")
        own_left = None if cap is None else max(min(cap - states["confirmed"], left), 0)
        rows.append(CategoryRow(category, states, sum(states.values()), cap, own_left))
    return Registrations(
        rows=rows,
        by_state=by_state,
        total=sum(by_state.values()),
        capacity=gathering.capacity,
        confirmed=confirmed,
        left=left,
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


CONFLICT_COLUMNS = (
    "c.scan_id, c.registration_id, c.checkpoint, c.device, c.scanned_at, c.reason, "
    "r.full_name, r.name_zh, r.category, s.received_at, s.seq, d.name"
)


def device_name(name: str | None, label: str) -> str:
    """Return a device's name, or its history label ("device:door 1#ab12cd34") without noise."""
    if name:
        return name
    return label.removeprefix("device:").split("#")[0] or label


def conflicts(gathering: Gathering, limit: int = CONFLICT_LIST_LIMIT) -> tuple[list[Conflict], int]:
    """Return the scan conflicts to review (oldest first) with the admission each repeats."""
    zone = ZoneInfo(gathering.timezone)
    services().guest_list.ready()
    found = []
    with services().database.transaction() as tx:
        total_row = tx.execute(
            "SELECT COUNT(*) FROM rm_conflicts WHERE gathering_id = ?", (str(gathering.id),)
        ).one()
        rows = tx.execute(
            f"SELECT {CONFLICT_COLUMNS} FROM rm_conflicts c "  # noqa: S608 (constant columns)
            "LEFT JOIN rm_registrations r ON r.id = c.registration_id "
            "LEFT JOIN rm_scans s ON s.id = c.scan_id "
            "LEFT JOIN rm_devices d ON d.id = s.device_id "
            "WHERE c.gathering_id = ? ORDER BY c.scanned_at, c.scan_id LIMIT ?",
            (str(gathering.id), limit),
        ).all()
        for row in rows:
            (scan_id, registration_id, code, label, scanned_at, reason) = row[:6]
            full_name, name_zh, category, received_at, seq, name = row[6:]
            first = None
            if seq is not None:
                earlier = tx.execute(
                    "SELECT d.name, p.device_id, p.scanned_at FROM rm_scans p "
                    "LEFT JOIN rm_devices d ON d.id = p.device_id "
                    "WHERE p.registration_id = ? AND p.checkpoint = ? AND p.status = 'ok' "
                    "AND p.direction = 'in' AND p.seq < ? ORDER BY p.seq DESC LIMIT 1",
                    (registration_id, code, seq),
                ).one()
                if earlier is not None:
                    first = Admission(
                        device_name(earlier[0], str(earlier[1])), local(earlier[2], zone)
                    )
            checkpoint_en, checkpoint_zh = checkpoint_names(gathering, code)
            found.append(
                Conflict(
                    scan_id=str(scan_id),
                    registration_id=str(registration_id),
                    full_name=full_name or "(unknown guest)",
                    name_zh=name_zh or "",
                    category=category or "",
                    checkpoint_en=checkpoint_en,
                    checkpoint_zh=checkpoint_zh,
                    second=Admission(device_name(name, str(label)), local(scanned_at, zone)),
                    first=first,
                    received_at=local(received_at, zone),
                    reason=str(reason),
                )
            )
    total = int(total_row[0]) if total_row else len(found)
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
