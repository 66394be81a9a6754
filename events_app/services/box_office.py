"""The one application the services share: gatherings, registrations and credentials."""

from __future__ import annotations

from domain.guest_list import GuestList
from events_app.read_models.consistency import note_written
from events_app.services.credentials import CredentialCommands
from events_app.services.registrations import RegistrationCommands
from events_app.services.staff_codes import StaffCodes
from events_app.store.application import Clock


class BoxOffice(RegistrationCommands, CredentialCommands):
    """The event-sourced application: gatherings, registrations and credentials."""

    name = "LaunchEvents"
    """Kept from the first release: it names the store's tables and environment prefix."""
    snapshotting_intervals = {GuestList: 50}  # noqa: RUF012

    def __init__(
        self,
        env: dict[str, str],
        clock: Clock,
        staff_codes: StaffCodes | None = None,
        *,
        master_key: bytes | None = None,
    ) -> None:
        super().__init__(env, clock, staff_codes, master_key=master_key)
        self.saved.append(note_written)  # read-your-writes: see read_models.consistency
