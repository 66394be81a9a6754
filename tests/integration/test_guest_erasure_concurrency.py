"""A guest erasing their data while an organiser corrects them, or while their badge is scanned.

Real threads, through one app instance and through two on the same store: each answer is
clear (the erasure done; the correction done first or refused as `already_erased`; the
scan answered), nothing is half-done (a refused correction left no event, an erasure
always ends with the key destroyed and the e-mail freed), and counts stay true.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from events_app.services.confirmation import confirmation_token
from tests.checkin_helpers import badge_token, define_checkpoints, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, guest, services_of
from tests.integration.test_concurrency import apps, run_together

__all__ = ["apps"]

pytestmark = pytest.mark.slow
ROUNDS = 6


def confirmation_link(app: Flask, registration_id: str) -> str:
    token = confirmation_token(app.secret_key, uuid.UUID(registration_id))  # type: ignore[arg-type]
    return f"/gatherings/{SLUG}/registrations/{token}"


def ready_to_erase(client: FlaskClient, link: str) -> dict[str, str]:
    """Open the erase page; return the form's fields as its question posts them."""
    page = client.get(f"{link}/erase").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return {"csrf_token": match.group(1), "understood": "yes", "confirm": "yes"}


def registered(client: FlaskClient, n: int) -> str:
    answer = client.post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n))
    assert answer.status_code == 201, answer.json
    return str(answer.json["id"])


def check_erased(app: Flask, registration_id: str, email: str) -> list[str]:
    """Assert the erasure is whole; return the registration's event types."""
    found = services_of(app).box_office
    registration = found.registration(uuid.UUID(registration_id))
    assert registration.erased
    assert registration.details["full_name"] == "erased"
    assert email not in str(dict(registration.details))
    # The store holds no key (another process may still cache it for CACHE_SECONDS).
    assert found.personal_keys._rows.get(registration.id.hex) is None
    return [entry.type for entry in found.history(registration.id)]


def test_an_erasure_and_a_correction_at_once_answer_clearly(
    apps: list[Flask], client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    app = apps[0]
    corrected = refused = 0
    for n in range(ROUNDS):
        rid = registered(client, 100 + n)
        link = confirmation_link(app, rid)
        guest_client, organiser_client = apps[0].test_client(), apps[-1].test_client()
        form = ready_to_erase(guest_client, link)

        def work(
            index: int, guest_client: Any = guest_client, link: str = link, form: Any = form
        ) -> Any:
            if index == 0:
                return guest_client.post(f"{link}/erase", data=form)
            return organiser_client.patch(  # noqa: B023 (run before the loop goes on)
                f"/api/v1/registrations/{rid}",  # noqa: B023
                json={"organisation": "Renamed Ltd"},
                headers=organiser,
            )

        erased, correction = run_together(2, work)
        assert erased.status_code == 303, erased.get_data(as_text=True)
        types = check_erased(app, rid, f"guest{100 + n}@example.org")
        if correction.status_code == 200:
            corrected += 1
            assert types.index("Corrected") < types.index("PersonalDataErased")
        else:
            assert (correction.status_code, correction.json["error"]["code"]) == (
                409,
                "already_erased",
            ), correction.json
            refused += 1
            assert "Corrected" not in types
        assert types.count("PersonalDataErased") == 1
    assert corrected + refused == ROUNDS


def test_an_erasure_and_a_check_in_at_once_answer_clearly(
    apps: list[Flask],
    client: FlaskClient,
    gathering: dict[str, Any],
    organiser: dict[str, str],
    clock: FakeClock,
) -> None:
    app = apps[0]
    define_checkpoints(client, organiser)
    door = enrol_device(client, organiser)
    answered_ok = 0
    for n in range(ROUNDS):
        rid = registered(client, 200 + n)
        token = badge_token(app, rid)
        link = confirmation_link(app, rid)
        guest_client, door_client = apps[0].test_client(), apps[-1].test_client()
        form = ready_to_erase(guest_client, link)

        def work(
            index: int, guest_client: Any = guest_client, link: str = link, form: Any = form
        ) -> Any:
            if index == 0:
                return guest_client.post(f"{link}/erase", data=form)
            body = scan_body(token, clock())  # noqa: B023 (run before the loop goes on)
            return door_client.post("/api/v1/scans", json=body, headers=door)  # noqa: B023

        erased, scanned = run_together(2, work)
        assert erased.status_code == 303
        assert scanned.status_code == 200, scanned.json
        assert scanned.json["status"] in ("ok", "unknown")
        answered_ok += scanned.json["status"] == "ok"
        check_erased(app, rid, f"guest{200 + n}@example.org")
    services_of(app).guest_list.ready()
    with services_of(app).database.transaction() as tx:
        kept = tx.execute("SELECT COUNT(*) FROM rm_scans WHERE status = 'ok'").one()
    assert int(kept[0]) == answered_ok  # every check-in let in stays counted


def test_two_erasures_at_once_erase_once_and_the_other_says_so(
    apps: list[Flask], client: FlaskClient, gathering: dict[str, Any], organiser: dict[str, str]
) -> None:
    app = apps[0]
    for n in range(ROUNDS):
        rid = registered(client, 300 + n)
        link = confirmation_link(app, rid)
        guest_client = apps[0].test_client()
        form = ready_to_erase(guest_client, link)
        owner = apps[-1].test_cli_runner()

        def work(
            index: int, guest_client: Any = guest_client, link: str = link, form: Any = form
        ) -> Any:
            if index == 0:
                return guest_client.post(f"{link}/erase", data=form)
            args = ["personal-data", "erase", rid, "--reason", "asked", "--yes"]  # noqa: B023
            return owner.invoke(args=args)  # noqa: B023

        page, command = run_together(2, work)
        guest_won = page.status_code == 303
        assert page.status_code in (303, 410)
        assert command.exit_code == (1 if guest_won else 0), command.output
        if guest_won:
            assert "already_erased" in command.output
        else:
            assert "had already been erased" in page.get_data(as_text=True)
        types = check_erased(app, rid, f"guest{300 + n}@example.org")
        assert types.count("PersonalDataErased") == 1
