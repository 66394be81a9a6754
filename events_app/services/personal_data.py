"""Erasing a guest's personal data: the record of it in the events, then the key destroyed.

The registration records `PersonalDataErased` (who, why, when; nothing personal) and the
guest list frees the e-mail address, in one atomic save; then the registration's key is
destroyed (and the key of the invitation the guest accepted, which held their details):
every event sealed with it reads as placeholders from then on. Counts, states, seats and
check-ins are untouched. Then what else kept the guest's data forgets it (`on_erased`:
the outbox cancels their unsent mails and deletes their .eml files). Should the process
stop part-way, erasing again finishes the job (keys destroyed, mails cancelled) and still
refuses as erased already.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import AlreadyErased
from domain.registration import Registration
from events_app.services.box_office import BoxOffice


class PersonalDataErasure:
    """Erase guests' personal data (crypto-shredding)."""

    def __init__(self, app: BoxOffice) -> None:
        self._app = app
        self.on_erased: list[Callable[[Registration, str], object]] = []
        """Called with the erased registration and the actor, after the keys are destroyed."""

    def erase(self, registration_id: UUID, actor: str, reason: str) -> Registration:
        """Erase a registration's personal data; AlreadyErased if they were erased before."""
        app = self._app
        found = app.registration(registration_id)
        if found.erased:
            self._finish(found, actor)
            found.check_not_erased()

        def command() -> tuple[Registration, list[Aggregate]]:
            registration = app.registration(registration_id)
            guest_list = app.guest_list(registration.gathering_id)
            registration.erase_personal_data(app.clock(), actor, reason.strip())
            guest_list.forget_email(registration_id)
            touched = [guest_list] if guest_list.pending_events else []
            return registration, [*touched, registration]

        try:
            erased = app.execute(found.gathering_id, command)
        except AlreadyErased:
            self._finish(found, actor)  # erased meanwhile, by another process
            raise
        self._finish(erased, actor)
        return erased

    def _finish(self, registration: Registration, actor: str) -> None:
        """Destroy the keys, then have every other keeper forget the guest."""
        self._destroy_keys(registration)
        for forget in self.on_erased:
            forget(registration, actor)

    def _destroy_keys(self, registration: Registration) -> None:
        """Destroy the keys that open this guest's data: theirs, and their invitation's."""
        self._app.personal_keys.destroy(registration.id.hex)
        if registration.invitation_id is not None and registration.companion_of is None:
            self._app.personal_keys.destroy(registration.invitation_id.hex)
