"""The services one app instance uses: the event-sourced application and its read model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

from events_app.config import instance_secret
from events_app.mail import MailSettings, Outbox
from events_app.mail.wiring import settings_for, start_sender_with_first_request
from events_app.read_models.arrivals_view import ArrivalsView
from events_app.read_models.checkin_view import CheckInView
from events_app.read_models.dashboard import DashboardView
from events_app.read_models.door_list_view import DoorListView
from events_app.read_models.export import ExportView
from events_app.read_models.guest_list import GuestListView
from events_app.read_models.projector import Follower
from events_app.read_models.retention import RetentionView
from events_app.services.accounts import OrganiserAccounts
from events_app.services.arrivals import Arrivals
from events_app.services.badge_tokens import BadgeSigner, signer_from_config
from events_app.services.box_office import BoxOffice
from events_app.services.checkin import CheckIn
from events_app.services.devices import DoorDevices
from events_app.services.door_lists import DoorLists
from events_app.services.invitations import Invitations
from events_app.services.personal_data import PersonalDataErasure
from events_app.services.personal_export import PersonalExport
from events_app.services.planning import Planning
from events_app.services.questionnaire import Questionnaires
from events_app.services.retention import DailyRetention, Retention
from events_app.services.staff_codes import StaffCodes
from events_app.store.locks import Locks
from events_app.store.personal_keys import parse_master_key
from events_app.store.sql import Database, open_database
from events_app.store.storage import Storage, parse_database_url

EXTENSION = "launch_events"
SERVING_BATCH_SQLITE = 250


@dataclass
class Services:
    """What views and commands call: the application and the read model."""

    storage: Storage
    box_office: BoxOffice
    guest_list: GuestListView
    database: Database
    signer: BadgeSigner
    checkin: CheckIn
    devices: DoorDevices
    door_lists: DoorLists
    checkin_view: CheckInView
    dashboard: DashboardView
    exports: ExportView
    arrivals: Arrivals
    planning: Planning
    outbox: Outbox
    accounts: OrganiserAccounts
    follower: Follower
    questionnaires: Questionnaires
    invitations: Invitations
    personal_data: PersonalDataErasure
    retention: Retention
    daily_retention: DailyRetention
    personal_export: PersonalExport
    closing: list[Callable[[], None]] = field(default_factory=list)
    """What else to close with the services (e.g. the rate limiter's connections)."""

    def close(self) -> None:
        """Release the database connections."""
        self.follower.stop()
        self.daily_retention.stop()
        self.outbox.close()
        self.checkin.close()
        for close in self.closing:
            close()
        self.box_office.close()
        self.database.close()


def open_services(
    database_url: str,
    instance_path: str,
    clock: object,
    *,
    secret_key: str = "",
    badge_keys: str = "",
    mail: MailSettings | None = None,
    read_wait_seconds: float = 1.0,
    master_key: str = "",
) -> Services:
    """Open the store named by `database_url` and the read model beside it."""
    storage = parse_database_url(database_url, instance_path)
    database = open_database(storage)
    secret = secret_key or instance_secret(instance_path)
    try:
        box_office = BoxOffice(
            env=storage.eventsourcing_env(),
            clock=clock,  # type: ignore[arg-type]
            staff_codes=StaffCodes(secret),
            master_key=parse_master_key(master_key),
        )
    except Exception:  # e.g. a wrong master key: nothing left open
        database.close()
        raise
    locks = Locks(storage, database)
    box_office.registration_locks = locks
    guest_list = GuestListView(box_office, database, locks, wait_seconds=read_wait_seconds)
    signer = signer_from_config(secret, badge_keys)
    # On SQLite a batch holds the one write lock of the file the events share: while
    # serving, smaller batches keep the requests' writes from waiting behind one.
    follower = Follower(
        guest_list.projector, batch=SERVING_BATCH_SQLITE if storage.kind == "sqlite" else None
    )
    outbox = Outbox(
        box_office,
        database,
        storage,
        signer,
        secret_key or instance_secret(instance_path),
        mail or MailSettings.default(instance_path),
    )
    outbox.wait_seconds = read_wait_seconds
    box_office.saved.append(lambda _position: follower.wake())
    checkin_view = CheckInView(guest_list, database)
    invitations = Invitations(box_office, secret)
    erasure = PersonalDataErasure(box_office)
    erasure.on_erased.append(outbox.erasure.forget)
    erasure.on_invitation_erased.append(outbox.erasure.forget_invitation)
    retention = Retention(
        box_office,
        erasure,
        RetentionView(guest_list, database, keyed=storage.kind != "memory"),
        locks,
    )
    return Services(
        storage=storage,
        box_office=box_office,
        guest_list=guest_list,
        database=database,
        signer=signer,
        checkin=CheckIn(box_office, signer),
        devices=DoorDevices(box_office),
        door_lists=DoorLists(box_office, DoorListView(guest_list, database), signer),
        checkin_view=checkin_view,
        dashboard=DashboardView(guest_list, database),
        exports=ExportView(guest_list, database),
        arrivals=Arrivals(box_office, ArrivalsView(guest_list, database)),
        planning=Planning(box_office),
        outbox=outbox,
        accounts=OrganiserAccounts(box_office),
        follower=follower,
        questionnaires=Questionnaires(box_office),
        invitations=invitations,
        personal_data=erasure,
        retention=retention,
        daily_retention=DailyRetention(retention, guest_list.gathering_ids),
        personal_export=PersonalExport(box_office, checkin_view, outbox, invitations),
    )


def init_app(app: Flask) -> None:
    """Open the services for `app`."""
    app.extensions[EXTENSION] = open_services(
        app.config["DATABASE_URL"],
        app.instance_path,
        app.config["CLOCK"],
        secret_key=app.config["SECRET_KEY"],
        badge_keys=app.config["BADGE_KEYS"],
        mail=settings_for(app),
        read_wait_seconds=float(app.config.get("READ_WAIT_SECONDS", 1.0)),
        master_key=str(app.config.get("PERSONAL_DATA_MASTER_KEY", "")),
    )
    start_sender_with_first_request(app, lambda: app.extensions[EXTENSION].outbox)
    follow_with_first_request(app, lambda: app.extensions[EXTENSION].follower)
    retain_with_first_request(app, lambda: app.extensions[EXTENSION].daily_retention)


def follow_with_first_request(app: Flask, follower: Callable[[], Follower]) -> None:
    """Start the process's follower with its first request, unless READ_MODEL_FOLLOWER is off.

    Each serving process follows (they take turns, batch by batch); a CLI command never
    does, and test apps (TESTING) leave it to the reads, which help while they wait.
    """
    setting = str(app.config.get("READ_MODEL_FOLLOWER", "")).lower()
    if setting in {"off", "0", "false", "no"} or (app.testing and setting != "on"):
        return
    started = False

    @app.before_request
    def start_read_model_follower() -> None:
        nonlocal started
        if not started:
            started = True
            follower().start()


def retain_with_first_request(app: Flask, daily: Callable[[], DailyRetention]) -> None:
    """Start the process's daily retention run with its first request, unless it is off.

    RETENTION_RUNNER off (or a test app, TESTING, unless it is on) leaves it to
    `flask personal-data expire`; a CLI command never starts it.
    """
    setting = str(app.config.get("RETENTION_RUNNER", "")).lower()
    if setting in {"off", "0", "false", "no"} or (app.testing and setting != "on"):
        return
    started = False

    @app.before_request
    def start_retention_runner() -> None:
        nonlocal started
        if not started:
            started = True
            daily().start()


def services() -> Services:
    """Return the services of the current app."""
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]
