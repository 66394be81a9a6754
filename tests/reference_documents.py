"""Every document of the demo, built in-process from its seed data, the same on every run.

The demo gathering is created by `flask demo create`'s own function on an in-memory store
whose clock stands still at `NOW`, so every event carries the same time and every
document's version text ("1 February 2026, 17:00 (UTC+8) · v…") is fixed; the plan is
printed as of `NOW`. Badges carry tokens signed with a fixed key for fixed registration ids,
so their QR codes never change. The PDFs are made by the services the API and the CLI call
(`Documents`, `badge_print.badge_data`, `printing.badges`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

from flask import Flask

from domain.ceremony import CeremonyKind
from domain.gathering import Gathering
from domain.registration import GuestDetails, Registration
from events_app import create_app
from events_app.cli.demo import create_demo_gathering
from events_app.context import Services, services
from events_app.demo import DEMO_SLUG, read_data
from events_app.services.badge_print import badge_data
from events_app.services.badge_tokens import BadgeSigner
from events_app.services.documents import Documents
from printing.badges import render_badge, write_badge_sheets

NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
"""The clock of the store the demo is built on, and the moment its plan is printed as of."""

SIGNER = BadgeSigner({1: bytes(range(32))}, 1)
"""Signs the reference badges with a fixed key (not the app's), so their tokens are fixed."""

ACTOR = "cli:demo"

DOCUMENTS = (
    "agreements-global-connect",
    "agreements-pledge",
    "agreements-tenants",
    "badge",
    "badge-sheet",
    "certificates",
    "programme",
    "stage-sheet",
)
"""The names of the documents `demo_documents` builds (one per ceremony's agreements)."""

GUESTS = (
    ("guest", "Chan Siu Ming", "陳小明", "Lingding Language AI", "Research engineer"),
    ("vip", "Sun Dong", "孫東", "HKSAR Government", "Secretary for Innovation"),
    ("speaker", "Leung Hiu Tung", "梁曉彤", "Lingding Language AI", "Chief Executive Officer"),
    ("press", "Wong Ka Yan", "黃家欣", "Bay Area Daily", "Reporter"),
    ("partner", "Margaret Leung", "梁美華", "Harbour Finance Group", "Managing Director"),
)
"""Demo guests (SAMPLE DATA): one badge of the first, a sheet of all five (two pages)."""


class FixedClock:
    """A clock that always answers `NOW`."""

    def __call__(self) -> datetime:
        return NOW


@contextmanager
def demo_services() -> Iterator[Services]:
    """Give the services of an app on an in-memory store holding the demo and its guests."""
    app: Flask = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "memory://",
            "CLOCK": FixedClock(),
            "SECRET_KEY": "reference-images",
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        found = services()
        try:
            create_demo_gathering(found.box_office, found.planning)
            yield found
        finally:
            found.close()


def register_guests(found: Services) -> list[Registration]:
    """Register the demo guests of `GUESTS`; return their registrations in that order."""
    registered = []
    for number, (category, name, name_zh, organisation, job) in enumerate(GUESTS, start=1):
        details = GuestDetails(
            full_name=name,
            email=f"guest{number}@example.org",
            organisation=organisation,
            job_title=job,
            consent=True,
            name_zh=name_zh,
        )
        registered.append(
            found.box_office.register_placed(DEMO_SLUG, details, category, ACTOR).registration
        )
    return registered


def fixed_token(gathering: Gathering, number: int) -> str:
    """Return the badge token of the `number`th reference guest (fixed registration id)."""
    return SIGNER.sign(gathering.id, UUID(int=number), 1)


def badge_pdfs(found: Services) -> dict[str, bytes]:
    """Return the badge of the first demo guest and the badge sheet of them all."""
    gathering = found.box_office.gathering(DEMO_SLUG)
    badges = [
        badge_data(gathering, registration, fixed_token(gathering, number))
        for number, registration in enumerate(register_guests(found), start=1)
    ]
    sheet = io.BytesIO()
    write_badge_sheets(badges, sheet)
    return {"badge": render_badge(badges[0]), "badge-sheet": sheet.getvalue()}


def _pdf(write: Callable[[io.BytesIO], object]) -> bytes:
    out = io.BytesIO()
    write(out)
    return out.getvalue()


def _name(document: str, key: str) -> str:
    """Return the file name of a ceremony's document: "agreements-pledge", "certificates"."""
    return key if key.startswith(document) else f"{document}-{key}"


def plan_pdfs(found: Services) -> dict[str, bytes]:
    """Return the programme, the stage sheet and each ceremony's agreements or certificates."""
    documents = Documents(found.box_office)
    pdfs = {
        "programme": _pdf(lambda out: documents.programme(DEMO_SLUG, out, as_of=NOW)),
        "stage-sheet": _pdf(lambda out: documents.stage_sheet(DEMO_SLUG, out, as_of=NOW)),
    }
    keys = {spec["title_en"]: spec["key"] for spec in read_data("ceremonies.toml")["ceremonies"]}
    for ceremony in found.planning.ceremonies(DEMO_SLUG):
        key = keys[ceremony.title_en]
        if ceremony.kind is CeremonyKind.AWARD:
            found_certificates = documents.certificates(DEMO_SLUG, ceremony.id, as_of=NOW)
            pdfs[_name("certificates", key)] = _pdf(
                lambda out, c=found_certificates: documents.write_certificates(c, out)
            )
        else:
            found_agreements = documents.agreements(DEMO_SLUG, ceremony.id, as_of=NOW)
            pdfs[_name("agreements", key)] = _pdf(
                lambda out, a=found_agreements: documents.write_agreements(a, out)
            )
    return pdfs


def demo_documents() -> dict[str, bytes]:
    """Return every document of the demo as PDF bytes, by name, in name order."""
    with demo_services() as found:
        pdfs = {**plan_pdfs(found), **badge_pdfs(found)}
    return dict(sorted(pdfs.items()))
