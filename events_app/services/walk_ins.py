"""Walk-ins: a guest who arrives unregistered is registered, checked in and given a badge.

The organiser at the desk picks the checkpoint. The check-in is the same manual check-in
door staff make for a guest found by name (`CheckIn.check_in_found`), recorded as a scan
by the organiser's desk: a door device of the gathering that no one can enrol (its
set-up code is no code a person could type) and that names the organiser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.door_device import DoorDevice
from domain.errors import CategoryFull, InvalidValue, Named, NoSeatAvailable, NotFound, Refusal
from domain.gathering import Gathering
from domain.gathering_categories import GuestCategory, category_term
from domain.registration import GuestDetails, Registration
from events_app.services.box_office import BoxOffice
from events_app.services.checkin import CheckIn, ScanRequest
from events_app.services.credentials import token_digest


@dataclass(frozen=True)
class WalkIn:
    """A walk-in's registration and the door's answer to their check-in."""

    registration: Registration
    answer: dict[str, Any]


class WalkIns:
    """Registering, checking in and badging guests at the desk."""

    def __init__(self, app: BoxOffice, checkin: CheckIn) -> None:
        self._app = app
        self._checkin = checkin

    def admit(
        self,
        slug: str,
        details: GuestDetails,
        category: str,
        checkpoint: str,
        actor: str,
        registration_id: UUID | None = None,
    ) -> WalkIn:
        """Register a walk-in (confirmed at once, window or not) and check them in.

        A form sent twice (`registration_id` given again) registers and checks in once.
        """
        app = self._app
        gathering = app.gathering(slug)
        registration_id = registration_id or uuid4()
        earlier = self._registration(registration_id)
        if earlier is not None and earlier.gathering_id != gathering.id:
            raise InvalidValue("this walk-in form belongs to another event", field="form")
        if earlier is None:
            self._check(gathering, category, checkpoint)
        registration = self._register(gathering, details, category, actor, registration_id)
        request = ScanRequest(
            token="",
            checkpoint=checkpoint,
            client_scan_id=f"walk-in-{registration.id}",
            scanned_at=app.clock(),
        )
        desk = self.desk(gathering, actor)
        result = self._checkin.check_in_found(desk, registration.id, request)
        return WalkIn(app.registration(registration.id), result.answer)

    def _check(self, gathering: Gathering, category: str, code: str) -> None:
        gathering.policy(category)
        if category == GuestCategory.EXHIBITOR:
            raise InvalidValue(
                "exhibitor staff register through their firm, not as walk-ins", field="category"
            )
        checkpoint = gathering.checkpoint(code)
        place = Named(checkpoint.name_en, checkpoint.name_zh)
        if not checkpoint.closed and not checkpoint.admits(category):
            raise Refusal(
                "%(category)s guests are not admitted at %(checkpoint)s",
                field="checkpoint",
                category=category_term(category),
                checkpoint=place,
            )
        if not checkpoint.is_open(self._app.clock(), gathering.starts_at, gathering.ends_at):
            raise Refusal("%(checkpoint)s is closed now", field="checkpoint", checkpoint=place)

    def _registration(self, registration_id: UUID) -> Registration | None:
        try:
            return self._app.registration(registration_id)
        except NotFound:
            return None

    def _register(
        self,
        gathering: Gathering,
        details: GuestDetails,
        category: str,
        actor: str,
        registration_id: UUID,
    ) -> Registration:
        app = self._app

        def command() -> tuple[Registration, list[Aggregate]]:
            earlier = self._registration(registration_id)
            if earlier is not None:  # the same form, sent again
                return earlier, []
            guest_list = app.guest_list(gathering.id)
            capacity = app.limits_of(gathering.id, category)[1]
            if not guest_list.has_seat(category, capacity):
                shortage = guest_list.seat_shortage(category, capacity)
                if "category" not in shortage:
                    raise NoSeatAvailable(
                        "no seat is free: all %(count)s seats are taken; raise the capacity first",
                        field="category",
                        **shortage,
                    )
                raise CategoryFull(
                    "no %(category)s seat is free: all %(count)s %(category)s seats are taken; "
                    "raise its capacity first",
                    field="category",
                    **shortage,
                )
            standing = guest_list.admit(
                registration_id,
                details.email,
                category,
                capacity,
                approval_required=False,
                hasher=app.email_hash,
            )
            registration = Registration(
                id=registration_id,
                gathering_id=gathering.id,
                details=details.of(registration_id),
                category=category,
                state=standing,
                at=app.clock(),
                actor=actor,
            )
            return registration, [guest_list, registration]

        return app.execute(gathering.id, command)

    def desk(self, gathering: Gathering, actor: str) -> DoorDevice:
        """Return the organiser's desk device at this gathering, registering it the first time."""
        digest = token_digest(f"desk:{gathering.id}:{actor}")
        try:
            return self._app.load(DoorDevice, DoorDevice.create_id(digest), "desk")
        except NotFound:
            pass
        at = self._app.clock()
        device = DoorDevice(
            setup_code_digest=digest,
            gathering_id=gathering.id,
            name=f"desk {actor}",
            setup_expires_at=at,
            at=at,
            actor=actor,
        )
        try:
            self._app.save(device)
        except IntegrityError:
            return self._app.load(DoorDevice, device.id, "desk")
        return device
