"""From registrations to the plain data `printing.badges` renders."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.gathering import Gathering
from domain.personal import erased_value
from domain.registration import Registration
from events_app.read_models.guest_list import GuestListView, RegistrationRow
from events_app.services.box_office import BoxOffice
from events_app.services.checkin import CheckIn
from events_app.services.print_wording import in_document_script, wording
from printing.badges import BadgeData, write_badge_sheets
from printing.typefaces import script_of

ORDER_KEYS: dict[str, Callable[[RegistrationRow], Any]] = {
    "name": lambda r: (r.full_name.casefold(), r.id),
    "category": lambda r: (r.category, r.full_name.casefold(), r.id),
    "organisation": lambda r: (r.organisation.casefold(), r.full_name.casefold(), r.id),
}


class BadgeServices(Protocol):
    """What printing badges needs of the app's services (which `context.Services` has)."""

    @property
    def guest_list(self) -> GuestListView:
        """The guest list, whose confirmed guests get badges."""

    @property
    def box_office(self) -> BoxOffice:
        """The application the registrations are loaded from (and print runs recorded in)."""

    @property
    def checkin(self) -> CheckIn:
        """Check-in, which signs each badge's token."""


def badge_data(gathering: Gathering, registration: Registration, token: str) -> BadgeData:
    """Return what a badge shows for one registration.

    Its labels and the gathering's Chinese title are in the guest's script; the guest's
    own name is printed as they typed it, in the glyph forms of the language they registered
    in (SC for zh-Hans and zh-CN, else HK).
    """
    details = registration.details
    starts = gathering.starts_at.astimezone(ZoneInfo(gathering.timezone))
    return BadgeData(
        full_name=details["full_name"],
        name_zh=details.get("name_zh", ""),
        organisation=details["organisation"],
        job_title=details["job_title"],
        category=registration.category,
        qr_payload=token,
        event_title_en=gathering.title_en,
        event_title_zh=in_document_script(gathering.title_zh, registration.language),
        event_date=f"{starts:%-d %B %Y, %H:%M}",
        venue=gathering.venue,
        wording=wording(registration.language),
        script=script_of(registration.language or ""),
    )


def registrations_to_print(
    services: BadgeServices, gathering: Gathering, order: str, categories: Sequence[str]
) -> list[RegistrationRow]:
    """Return the confirmed registrations to print, in the order asked (the erased left out).

    An erased guest stays confirmed (seats and counts keep their history) but has nothing
    left to print: the list shows their name as the erasure's placeholder.
    """
    services.guest_list.ready(complete=True)  # a batch of badges misses nobody
    page = services.guest_list.search(
        str(gathering.id), states=["confirmed"], categories=categories, limit=1_000_000
    )
    erased = erased_value("full_name")
    rows = [row for row in page.rows if row.full_name != erased]
    return sorted(rows, key=ORDER_KEYS[order])


def unprintable_count(rows: Iterable[RegistrationRow]) -> int:
    """Return how many of `rows` have characters no font covers (their badges show a box)."""
    return sum(1 for row in rows if row.unprintable)


def badge_sheet(
    services: BadgeServices,
    gathering: Gathering,
    rows: Sequence[RegistrationRow],
    out: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the badges of `rows` on A4 sheets to `out`; return how many."""
    found = (services.box_office.registration(UUID(row.id)) for row in rows)
    return registration_badges(services, gathering, found, out, progress)


def registration_badges(
    services: BadgeServices,
    gathering: Gathering,
    registrations: Iterable[Registration],
    out: IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the badges of these registrations on A4 sheets to `out`; return how many."""

    def badges() -> Iterator[BadgeData]:
        for registration in registrations:
            token = services.checkin.badge_token(registration)
            yield badge_data(gathering, registration, token)

    return write_badge_sheets(badges(), out, progress=progress)
