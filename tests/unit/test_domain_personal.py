"""Personal data in the domain: marked per subject, erased to placeholders, e-mails hashed."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.errors import AlreadyErased, EmailAlreadyRegistered
from domain.gathering import Capacity
from domain.guest_list import GuestList
from domain.personal import Kind, PersonalData, erased_values, personal
from domain.registration import Registration

AT = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
ROOMY = Capacity(10, None)
DETAILS = {
    "full_name": "Sun Dong",
    "name_zh": "孫東",
    "email": "sun@example.org",
    "organisation": "HKSTP",
    "job_title": "Director",
    "consent": True,
    "language": "zh-Hant-HK",
}


def hashed(email: str) -> str:
    """Return a test's keyed hash of an e-mail address (the app's is an HMAC)."""
    return "h:" + email


def registration() -> Registration:
    """Return a confirmed registration of the test guest, with one answer."""
    rid = uuid4()
    return Registration(
        id=rid,
        gathering_id=uuid4(),
        details=personal(rid, DETAILS, Kind.DETAILS),
        category="vip",
        state="confirmed",
        at=AT,
        actor="guest",
        answers=personal(rid, {"diet": "vegan"}, Kind.ANSWERS),
    )


def test_personal_data_read_as_a_mapping_of_their_subject() -> None:
    subject = uuid4()
    data = personal(subject, DETAILS, Kind.DETAILS)
    assert data == DETAILS
    assert dict(data) == DETAILS
    assert data.subject == subject
    assert personal(subject, data, Kind.DETAILS) is data
    assert "Sun Dong" not in repr(data)


def test_erased_values_keep_the_shape_and_what_is_not_personal() -> None:
    erased = personal(uuid4(), DETAILS, Kind.DETAILS).erased_copy()
    assert erased.erased
    assert erased["full_name"] == "erased"
    assert erased["name_zh"] == "已刪除"
    assert (erased["email"], erased["organisation"]) == ("", "")
    assert (erased["consent"], erased["language"]) == (True, "zh-Hant-HK")
    changes = {"email": ["a@x.org", "b@x.org"], "category": ["guest", "vip"]}
    assert erased_values(Kind.CHANGES, list(changes), changes) == {
        "email": ["", ""],
        "category": ["guest", "vip"],
    }
    assert erased_values(Kind.ANSWERS, ["diet"], {}) == {}
    assert erased_values(Kind.ANSWER_CHANGES, ["diet"], {}) == {"diet": [None, None]}


def test_erasing_a_registration_leaves_its_state_and_refuses_changes() -> None:
    guest = registration()
    guest.correct({"phone": "+852 1234 5678"}, AT, "alice")
    guest.erase_personal_data(AT, "alice", "asked")
    assert guest.erased
    assert (guest.state, guest.category) == ("confirmed", "vip")
    assert guest.details["full_name"] == "erased"
    assert guest.details["phone"] == ""
    assert dict(guest.answers) == {}
    with pytest.raises(AlreadyErased):
        guest.erase_personal_data(AT, "alice", "again")
    with pytest.raises(AlreadyErased):
        guest.correct({"phone": "1"}, AT, "alice")
    with pytest.raises(AlreadyErased):
        guest.change_answers({"diet": "none"}, AT, "alice")


def test_the_events_carry_personal_data_marked_with_the_subject() -> None:
    guest = registration()
    guest.correct({"full_name": "Sun Dong Jr", "category": "guest"}, AT, "alice")
    guest.change_answers({"diet": "none"}, AT, "alice")
    submitted, corrected, answered = guest.collect_events()
    assert isinstance(submitted.details, PersonalData)  # type: ignore[attr-defined]
    assert isinstance(submitted.answers, PersonalData)  # type: ignore[attr-defined]
    assert isinstance(corrected.changes, PersonalData)  # type: ignore[attr-defined]
    assert corrected.changes.kind is Kind.CHANGES  # type: ignore[attr-defined]
    assert isinstance(answered.answers, PersonalData)  # type: ignore[attr-defined]
    assert isinstance(answered.changes, PersonalData)  # type: ignore[attr-defined]
    assert {submitted.details.subject, corrected.changes.subject} == {guest.id}  # type: ignore[attr-defined]


def test_the_guest_list_keeps_hashed_emails_and_still_finds_plain_older_ones() -> None:
    guest_list = GuestList(gathering_id=uuid4())
    new, old = uuid4(), uuid4()
    guest_list.admit(
        new, " Sun@Example.org", "guest", ROOMY, approval_required=False, hasher=hashed
    )
    assert guest_list.emails == {"h:sun@example.org": new.hex}
    guest_list._join(
        registration_id=old.hex, email="old@x.org", category="guest", standing="confirmed"
    )
    with pytest.raises(EmailAlreadyRegistered):
        guest_list.check_email_free("OLD@x.org", hashed)
    with pytest.raises(EmailAlreadyRegistered):
        guest_list.check_email_free("sun@example.org", hashed)
    guest_list.change_email(old, "old@x.org", hashed)  # the same address: nothing changes
    assert guest_list.emails["old@x.org"] == old.hex
    guest_list.change_email(old, "older@x.org", hashed)
    assert guest_list.emails == {"h:sun@example.org": new.hex, "h:older@x.org": old.hex}


def test_forgetting_an_email_keeps_the_seat() -> None:
    guest_list = GuestList(gathering_id=uuid4())
    rid = uuid4()
    guest_list.admit(rid, "a@x.org", "guest", ROOMY, approval_required=False, hasher=hashed)
    guest_list.forget_email(rid)
    assert guest_list.emails == {}
    assert guest_list.confirmed_count() == 1
    guest_list.check_email_free("a@x.org", hashed)
    guest_list.forget_email(rid)  # nothing more to forget: nothing recorded
    recorded = [type(e).__name__ for e in guest_list.collect_events()]
    assert recorded.count("EmailForgotten") == 1
