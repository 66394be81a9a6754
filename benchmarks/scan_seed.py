"""The product's side of the scan benchmark: a seeded store, a checkpoint, the store check.

The store is seeded with N confirmed registrations of one gathering, in bulk: Registration
aggregates and the GuestList's `admit` made with the domain objects and saved in batches of
2,000 (one `app.save` each), then one snapshot of the guest list and a catch-up of the read
model, so the store is what the app reads normally. Door devices are registered and enrolled
through the services.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import POSTGRES_URL, drop_schema

SECRET_KEY = "bench-scans-secret"
SLUG = "bench-scans"
BATCH = 2_000
DEVICES = 8


@dataclass
class Seeded:
    """A seeded store and what the load generator needs to scan its badges."""

    url: str
    gathering_id: str
    device_tokens: list[str]
    badges: list[str]
    seconds: float


def drop_url_schema(url: str) -> None:
    """Drop the PostgreSQL schema a seeded store's URL names."""
    from events_app.store.storage import parse_database_url

    drop_schema(parse_database_url(url, ".").schema)


def seed(kind: str, count: int, workdir: Path) -> Seeded:
    """Create a gathering with `count` confirmed registrations and enrolled devices."""
    from domain.guest_list import GuestList
    from domain.registration import GuestDetails, Registration
    from events_app.config import system_clock
    from events_app.context import open_services

    name = uuid.uuid4().hex[:10]
    if kind == "sqlite":
        url = f"sqlite:///{workdir / f'bench-scans-{name}.sqlite'}"
    else:
        url = f"{POSTGRES_URL}?schema=bench_scans_{name}"
    started = time.perf_counter()
    services = open_services(url, str(workdir), system_clock, secret_key=SECRET_KEY)
    try:
        app = services.box_office
        app.snapshotting_intervals = {}  # one snapshot at the end, not one per 50 guests
        now = datetime.now(UTC)
        starts = now + timedelta(days=2)
        gathering = app.schedule_gathering(
            "bench",
            slug=SLUG,
            title_en="Scan benchmark launch",
            title_zh="掃描基準測試",
            venue="Hong Kong Science Park Shenzhen Branch",
            timezone="Asia/Shanghai",
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            capacity=count,
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=now + timedelta(days=1),
            categories={
                "guest": {"capacity": None, "approval_required": False},
                "press": {"capacity": None, "approval_required": False},
            },
        )
        guest_list = app.guest_list(gathering.id)
        badges: list[str] = []
        for first in range(0, count, BATCH):
            registrations = []
            for n in range(first, min(first + BATCH, count)):
                category = "press" if n % 10 == 0 else "guest"
                details = GuestDetails(
                    full_name=f"Guest Number {n}",
                    name_zh="黃秉修",
                    email=f"guest{n}@example.org",
                    organisation="Hong Kong Science and Technology Parks Corporation",
                    job_title="Director",
                    consent=True,
                )
                registration_id = uuid.uuid4()
                state = guest_list.admit(
                    registration_id,
                    details.email,
                    category,
                    gathering.capacity_for(category),
                    approval_required=False,
                    hasher=app.email_hash,
                )
                registrations.append(
                    Registration(
                        id=registration_id,
                        gathering_id=gathering.id,
                        details=details.of(registration_id),
                        category=category,
                        state=state,
                        at=now,
                        actor="bench",
                    )
                )
            app.save(guest_list, *registrations)
            badges.extend(services.checkin.badge_token(r) for r in registrations)
        app.take_snapshot(GuestList.create_id(gathering.id))
        tokens = []
        for d in range(DEVICES):
            new = services.devices.register(SLUG, f"door {d + 1}", timedelta(hours=1), "bench")
            tokens.append(services.devices.enrol(new.setup_code).token)
        services.guest_list.catch_up()
        confirmed = services.guest_list.counts(str(gathering.id))["by_state"]
        assert confirmed == {"confirmed": count}, confirmed
    finally:
        services.close()
    return Seeded(url, str(gathering.id), tokens, badges, time.perf_counter() - started)


def define_checkpoint(url: str, workdir: Path, code: str) -> None:
    """Define a new checkpoint, open now, where no badge has been scanned yet."""
    from domain.checkpoint import Checkpoint
    from events_app.config import system_clock
    from events_app.context import open_services
    from events_app.services.checkpoints import Checkpoints

    services = open_services(url, str(workdir), system_clock, secret_key=SECRET_KEY)
    try:
        now = datetime.now(UTC)
        checkpoint = Checkpoint(
            code=code,
            name_en=f"Door {code}",
            name_zh="入口",
            categories=("guest", "press"),
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            category_notes={"press": "Press: media desk on the left 記者：媒體台在左"},
        )
        Checkpoints(services.box_office).define(SLUG, checkpoint, "bench")
    finally:
        services.close()


def seeded_store(kind: str, count: int, workdir: Path, keep: Path | None) -> Seeded:
    """Seed a store of `kind`, or reuse the one kept in `keep`."""
    saved = keep / f"seed-{kind}-{count}.json" if keep else None
    if saved and saved.exists():
        data = json.loads(saved.read_text())
        print(f"{kind}: reusing the store seeded in {data['seconds']:.1f} s ({saved})")
        return Seeded(**data)
    seeded = seed(kind, count, keep or workdir)
    print(
        f"{kind}: seeded {count} confirmed registrations in {seeded.seconds:.1f} s "
        f"({count / seeded.seconds:.0f}/s, with the guest-list snapshot and read-model catch-up)",
        flush=True,
    )
    if saved:
        saved.write_text(json.dumps(asdict(seeded)))
    return seeded


@dataclass
class StoreCheck:
    """What the product's store holds of one checkpoint's scans after the runs."""

    statuses: dict[str, int]
    doubled: int
    """Registrations with more than one `ok` scan at the checkpoint."""


def check_store(url: str, workdir: Path, code: str) -> StoreCheck:
    """Count the scans recorded at checkpoint `code` by status, and doubled `ok`s."""
    from events_app.config import system_clock
    from events_app.context import open_services

    services = open_services(url, str(workdir), system_clock, secret_key=SECRET_KEY)
    try:
        services.guest_list.catch_up()
        with services.database.transaction() as tx:
            rows = tx.execute(
                "SELECT status, COUNT(*) FROM rm_scans WHERE checkpoint = ? GROUP BY status",
                (code,),
            ).all()
            doubled = tx.execute(
                "SELECT COUNT(*) FROM (SELECT registration_id FROM rm_scans "
                "WHERE checkpoint = ? AND status = 'ok' GROUP BY registration_id "
                "HAVING COUNT(*) > 1) d",
                (code,),
            ).one()
    finally:
        services.close()
    return StoreCheck({str(s): int(n) for s, n in rows}, int(doubled[0]))  # type: ignore[index]
