"""History sentences of corrections and reinstatements, in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime

from events_app.pages.console.registration_history import describe
from events_app.store.application import HistoryEntry

AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def entry(kind: str, **data: object) -> HistoryEntry:
    return HistoryEntry(1, kind, AT, AT, "organiser:olivia", dict(data))


def test_a_correction_says_who_changed_what_before_and_after() -> None:
    changes = {
        "full_name": ["Jon Smith", "John Smith"],
        "category": ["guest", "vip"],
        "phone": ["", "+852 1234"],
    }
    en, zh = describe(entry("Corrected", changes=changes))
    assert en == (
        "Corrected by organiser:olivia: full name “Jon Smith” → “John Smith”; "
        "category “Guest 嘉賓” → “VIP 貴賓”; phone “—” → “+852 1234”"
    )
    assert zh == (
        "由organiser:olivia更正：英文全名「Jon Smith」→「John Smith」；"
        "類別「Guest 嘉賓」→「VIP 貴賓」；電話「—」→「+852 1234」"
    )


def test_a_reinstatement_says_where_it_landed() -> None:
    assert describe(entry("Reinstated", state="confirmed")) == (
        "Reinstated by organiser:olivia, confirmed",
        "由organiser:olivia恢復登記並確認",
    )
    en, zh = describe(entry("Reinstated", state="waitlisted"))
    assert en == "Reinstated by organiser:olivia, on the waitlist (no seat was free)"
    assert "候補" in zh
