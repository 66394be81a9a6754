"""The cast of an event mix: the gathering, its checkpoints, registrations and door devices.

Everything is made with the domain objects, in the order the real commands make it
(guest list before registration, as `BoxOffice.register_placed` saves them), and collected as
domain events in that order for the caller to save in chunks.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate

from domain.checkpoint import Checkpoint
from domain.door_device import DoorDevice
from domain.gathering import CategoryPolicy, Gathering
from domain.gathering_categories import GuestCategory
from domain.guest_list import CONFIRMED_OVER_CAPACITY, GuestList
from domain.registration import GuestDetails, Registration, RegistrationState
from events_app.services.credentials import token_digest

ACTOR = "event-mix"
ZONE = "Asia/Shanghai"
WEIGHTS = {"guest": 70, "vip": 6, "speaker": 4, "press": 6, "partner": 8, "staff": 6}
"""How the registrations spread over the categories (exhibitors need a firm: none here)."""
APPROVAL = {"guest": True, "vip": True, "speaker": False, "press": True, "partner": True}
NAMES = ("Chan Tai Man", "Wong Siu Ming", "Lee Ka Yan", "Cheung Wing", "Lau Hoi Ting", "Ng Chun")
ORGS = ("HKSTP", "Hetao Shenzhen-Hong Kong Co-operation Zone", "HKU", "CUHK", "HKUST", "PolyU")


@dataclass
class Cast:
    """What the scans are made of, and the domain events that made it."""

    gathering: Gathering
    guest_list: GuestList
    registrations: dict[UUID, Registration]
    devices: list[DoorDevice]
    load: Callable[[UUID], Registration]
    hasher: Callable[[str], str]
    """The store's keyed hash of e-mail addresses (the guest list keeps those)."""
    pending: list[Any] = field(default_factory=list)

    def take(self, *aggregates: Aggregate) -> None:
        """Collect the new events of aggregates, in this order, for saving."""
        for aggregate in aggregates:
            self.pending.extend(aggregate.collect_events())


def new_gathering(now: datetime, registrations: int, rng: random.Random) -> Gathering:
    """Return a gathering held yesterday (venue time), 09:30 to 17:30, nearly big enough."""
    zone = ZoneInfo(ZONE)
    day = (now.astimezone(zone) - timedelta(days=1)).date()
    starts = datetime(day.year, day.month, day.day, 9, 30, tzinfo=zone)
    overall = max(1, registrations * 92 // 100)
    categories = {
        name: CategoryPolicy(
            capacity=max(1, registrations * 5 // 100) if name == "vip" else None,
            approval_required=APPROVAL.get(name, False),
        )
        for name in WEIGHTS
    }
    opens = starts - timedelta(days=30)
    return Gathering.schedule(
        slug=f"event-mix-{uuid4().hex[:8]}",
        title_en="Hetao Youth Innovation Valley launch (event mix)",
        title_zh="河套香港青年科創谷啟動儀式（事件組合）",
        venue="Hong Kong Science Park Shenzhen Branch 香港科學園深圳分園",
        timezone=ZONE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        capacity=overall,
        registration_opens_at=opens,
        registration_closes_at=starts - timedelta(hours=1),
        categories=categories,
        at=opens - timedelta(days=7),
        actor=ACTOR,
    )


def mix_checkpoints(gathering: Gathering) -> list[Checkpoint]:
    """Return a main hall for everyone and a ceremony hall for some, within its hours."""
    starts, ends = gathering.starts_at, gathering.ends_at
    span = ends - starts
    names = [c for c in gathering.categories if c != GuestCategory.EXHIBITOR] or list(
        gathering.categories
    )
    ceremony = [c for c in names if c != GuestCategory.GUEST] or names
    return [
        Checkpoint(
            "main-hall",
            "Main hall",
            "主會場",
            tuple(gathering.categories),
            opens_at=starts - timedelta(minutes=45),
        ),
        Checkpoint(
            "ceremony-hall",
            "Ceremony hall",
            "典禮廳",
            tuple(ceremony),
            opens_at=starts + span / 8,
            closes_at=starts + span * 3 / 8,
        ),
    ]


def define_checkpoints(cast: Cast) -> None:
    """Give the gathering the mix's checkpoints unless it has checkpoints already."""
    gathering = cast.gathering
    if gathering.checkpoints:
        return
    at = min(gathering.registration_opens_at, gathering.starts_at - timedelta(days=1))
    for checkpoint in mix_checkpoints(gathering):
        gathering.define_checkpoint(checkpoint, at, ACTOR)
    cast.take(gathering)


def enrol_devices(cast: Cast, count: int) -> None:
    """Register and enrol `count` door devices, two days and one day before the gathering."""
    starts = cast.gathering.starts_at
    for n in range(count):
        code = secrets.token_hex(8).upper()
        device = DoorDevice(
            setup_code_digest=token_digest(code),
            gathering_id=cast.gathering.id,
            name=f"door {n + 1}",
            setup_expires_at=starts - timedelta(days=1),
            at=starts - timedelta(days=2),
            actor=ACTOR,
        )
        device.enrol(
            token_digest(f"dev_{device.id.hex}_{secrets.token_urlsafe(24)}"),
            starts - timedelta(days=2) + timedelta(minutes=5 + n),
        )
        cast.devices.append(device)
        cast.take(device)


def _details(n: int, salt: str, rng: random.Random) -> GuestDetails:
    return GuestDetails(
        full_name=f"{rng.choice(NAMES)} {n}",
        name_zh="黃秉修" if n % 3 else "",
        email=f"mix-{salt}-{n}@example.org",
        organisation=rng.choice(ORGS),
        job_title=rng.choice(("Director", "Engineer", "Founder", "Reporter", "Officer")),
        consent=True,
        accessibility="wheelchair access" if n % 97 == 0 else "",
    )


def register_all(cast: Cast, count: int, rng: random.Random) -> None:
    """Submit `count` registrations, then approve (or reject) the pending ones, then cancel."""
    gathering, guest_list = cast.gathering, cast.guest_list
    names = [c for c in WEIGHTS if c in gathering.categories] or [
        c for c in gathering.categories if c != GuestCategory.EXHIBITOR
    ]
    if not names and count:
        raise ValueError("the gathering has no category the mix can register guests in")
    weights = [WEIGHTS.get(c, 5) for c in names]
    opens = gathering.registration_opens_at
    window = min(gathering.registration_closes_at, gathering.starts_at) - opens
    salt = uuid4().hex[:8]
    for n in range(count):
        category = rng.choices(names, weights)[0]
        at = opens + window * (n + rng.random()) / (count + 2)
        details = _details(n, salt, rng)
        rid = uuid4()
        policy = gathering.policy(category)
        standing = guest_list.admit(
            rid,
            details.email,
            category,
            gathering.capacity_for(category),
            approval_required=policy.approval_required,
            hasher=cast.hasher,
        )
        registration = Registration(
            id=rid,
            gathering_id=gathering.id,
            details=details.of(rid),
            category=category,
            state=standing,
            at=at,
            actor="guest",
        )
        cast.registrations[rid] = registration
        cast.take(guest_list, registration)
    _decide(cast, rng)
    _cancel_some(cast, rng)
    _reissue_some(cast, rng)


def _decide(cast: Cast, rng: random.Random) -> None:
    """Approve the pending registrations in order (a seat or the waitlist); reject a few."""
    gathering, guest_list = cast.gathering, cast.guest_list
    for registration in cast.registrations.values():
        if registration.state is not RegistrationState.PENDING:
            continue
        at = registration.submitted_at + timedelta(hours=rng.uniform(2, 48))
        if rng.random() < 0.02:
            registration.reject(at, ACTOR, "not eligible")
            guest_list.release(registration.id)
            cast.take(guest_list, registration)
            continue
        capacity = gathering.capacity_for(registration.category)
        decision = guest_list.decide(registration.id, registration.category, capacity)
        if decision == "waitlisted":
            registration.waitlist(at, ACTOR)
        else:
            registration.approve(at, ACTOR, override=decision == CONFIRMED_OVER_CAPACITY)
        cast.take(guest_list, registration)


def _cancel_some(cast: Cast, rng: random.Random) -> None:
    """Cancel about 4% of the active registrations; promote from the waitlist into seats."""
    gathering, guest_list = cast.gathering, cast.guest_list
    capacity_of = {name: gathering.capacity_for(name) for name in gathering.categories}
    for registration in list(cast.registrations.values()):
        if not registration.is_active or rng.random() >= 0.04:
            continue
        at = registration.updated_at + timedelta(hours=rng.uniform(1, 24))
        registration.cancel(at, "guest", "cannot come")
        guest_list.release(registration.id)
        promoted = []
        for waiting_id in guest_list.next_promotions(capacity_of):
            guest_list.promote(waiting_id)
            waiting = cast.registrations.get(waiting_id) or cast.load(waiting_id)
            waiting.promote(at, "system")
            promoted.append(waiting)
        cast.take(guest_list, registration, *promoted)


def _reissue_some(cast: Cast, rng: random.Random) -> None:
    """Reissue the badge of about 1% of the confirmed guests (lost badges)."""
    for registration in cast.registrations.values():
        if registration.state is RegistrationState.CONFIRMED and rng.random() < 0.01:
            registration.reissue_badge(registration.updated_at + timedelta(hours=1), ACTOR)
            cast.take(registration)
