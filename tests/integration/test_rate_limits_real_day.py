"""The default limits never bother the real day: a venue's guests behind one address, doors."""

from __future__ import annotations

import uuid
from typing import Any

from events_app.rate_limits import DEFAULTS
from tests.checkin_helpers import define_checkpoints, enrol_device, scan_body
from tests.conftest import SLUG, FakeClock, gathering_payload, guest, services_of
from tests.console_helpers import open_account, sign_in
from tests.rate_limit_helpers import apps, from_address


def test_the_defaults_let_a_venue_register_enrol_sign_in_and_scan(
    tmp_path: Any, clock: FakeClock
) -> None:
    with apps(f"sqlite:///{tmp_path / 'events.sqlite'}", clock) as (first, second):
        assert first.config["RATELIMIT_REGISTRATIONS"] == DEFAULTS["RATELIMIT_REGISTRATIONS"]
        token, _ = services_of(first).box_office.issue_organiser_token("alice")
        organiser = {"Authorization": f"Bearer {token}"}
        venue = [from_address(a.test_client(), "203.0.113.7") for a in (first, second)]
        payload = gathering_payload(capacity=500)
        assert (
            venue[0].post("/api/v1/gatherings", json=payload, headers=organiser).status_code == 201
        )
        define_checkpoints(venue[0], organiser)
        # 200 guests on the venue Wi-Fi register within five minutes, both workers serving.
        registered = []
        for n in range(200):
            clock.advance(seconds=1.5)
            answer = venue[n % 2].post(f"/api/v1/gatherings/{SLUG}/registrations", json=guest(n))
            assert answer.status_code == 201, (n, answer.json)
            registered.append(answer.json["id"])
        # Twenty doors are set up at once from the same address; ten organisers sign in.
        doors = [enrol_device(venue[n % 2], organiser, f"door {n}") for n in range(20)]
        for n in range(10):
            assert sign_in(venue[n % 2], open_account(first, f"organiser{n}")).status_code == 303
        # One door scans two badges a second for five minutes.
        signer = services_of(first).checkin
        events = services_of(first).box_office
        badges = [signer.badge_token(events.registration(uuid.UUID(r))) for r in registered]
        for n in range(600):
            clock.advance(seconds=0.5)
            body = scan_body(badges[n % 200], clock.now)
            answer = venue[n % 2].post("/api/v1/scans", json=body, headers=doors[0])
            assert answer.status_code == 200, (n, answer.json)
        # A door back online uploads 500 scans at once, then keeps scanning.
        batch = {"scans": [scan_body(badges[n % 200], clock.now) for n in range(500)]}
        assert venue[0].post("/api/v1/scans/batch", json=batch, headers=doors[1]).status_code == 200
        assert (
            venue[1]
            .post("/api/v1/scans", json=scan_body(badges[0], clock.now), headers=doors[1])
            .status_code
            == 200
        )
