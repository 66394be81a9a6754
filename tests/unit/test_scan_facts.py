"""A recorded scan's facts read straight from its JSON match those of the decoded event."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, Notification

from domain.personal import Kind, personal
from domain.scan import Scan
from events_app.config import system_clock
from events_app.read_models.checkin import _facts_of, scan_facts
from events_app.services.box_office import BoxOffice


def recorded(
    mapper: Mapper, *, manual: bool | None, reason: str, guest: object = None
) -> Notification:
    """Return the notification of one new scan, as the store would hand it over."""
    answer: dict[str, object] = {"guest": guest or {"category": "media"}}
    if manual is not None:
        answer["manual"] = manual
    scan = Scan(
        device_id=uuid4(),
        client_scan_id="c-1",
        gathering_id=uuid4(),
        checkpoint="main",
        direction="in",
        token_fingerprint="f",
        registration_id=uuid4(),
        scanned_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        received_at=datetime(2026, 3, 2, 9, 31, tzinfo=UTC),
        offline=True,
        status="already_checked_in",
        reason=reason,
        answer=answer,
    )
    stored = mapper.to_stored_event(scan.collect_events()[0])
    return Notification(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=stored.state,
        id=7,
    )


@pytest.mark.parametrize(
    ("manual", "reason"), [(True, "let in at 09:12 by door 1"), (False, ""), (None, "x")]
)
def test_the_fast_path_keeps_what_the_event_says(manual: bool | None, reason: str) -> None:
    mapper = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper
    notification = recorded(mapper, manual=manual, reason=reason)
    fast = scan_facts(mapper, notification)
    assert fast == _facts_of(mapper.to_domain_event(notification))
    assert (fast.manual, fast.reason, fast.category) == (bool(manual), reason, "media")


def test_the_fast_path_reads_the_category_beside_a_sealed_guest() -> None:
    app = BoxOffice(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=system_clock)
    guest = personal(uuid4(), {"full_name": "Sun Dong", "category": "media"}, Kind.DETAILS)
    notification = recorded(app.mapper, manual=False, reason="", guest=guest)
    assert b"Sun Dong" not in notification.state
    fast = scan_facts(app.mapper, notification)
    assert fast == _facts_of(app.mapper.to_domain_event(notification))
    assert fast.category == "media"
