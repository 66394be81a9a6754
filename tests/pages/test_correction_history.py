"""History sentences of corrections and reinstatements, in each language of the console."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_babel import force_locale

from events_app.pages.registration_history import describe
from events_app.store.application import HistoryEntry

AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def entry(kind: str, **data: object) -> HistoryEntry:
    return HistoryEntry(1, kind, AT, AT, "organiser:olivia", dict(data))


def describe_in(app: Flask, language: str, kind: str, **data: object) -> str:
    with app.test_request_context("/"), force_locale(language):
        return describe(entry(kind, **data))


def test_a_correction_says_who_changed_what_before_and_after(app: Flask) -> None:
    changes = {
        "full_name": ["Jon Smith", "John Smith"],
        "category": ["guest", "vip"],
        "phone": ["", "+852 1234"],
    }
    assert describe_in(app, "en", "Corrected", changes=changes) == (
        "Corrected by organiser:olivia: full name “Jon Smith” → “John Smith”; "
        "category “Guest” → “VIP”; phone “—” → “+852 1234”"
    )
    assert describe_in(app, "zh_Hant_HK", "Corrected", changes=changes) == (
        "由organiser:olivia更正：英文全名「Jon Smith」→「John Smith」；"
        "類別「嘉賓」→「貴賓」；電話「—」→「+852 1234」"
    )
    assert describe_in(app, "zh_Hans_CN", "Corrected", changes=changes) == (
        "由organiser:olivia更正：英文全名“Jon Smith”→“John Smith”；"
        "类别“嘉宾”→“贵宾”；电话“—”→“+852 1234”"
    )


def test_a_reinstatement_says_where_it_landed(app: Flask) -> None:
    assert describe_in(app, "en", "Reinstated", state="confirmed") == (
        "Reinstated by organiser:olivia, confirmed"
    )
    assert describe_in(app, "zh_Hant_HK", "Reinstated", state="confirmed") == (
        "由organiser:olivia恢復登記並確認"
    )
    waitlisted = describe_in(app, "en", "Reinstated", state="waitlisted")
    assert waitlisted == "Reinstated by organiser:olivia, on the waitlist (no seat was free)"
    assert "候補" in describe_in(app, "zh_Hant_HK", "Reinstated", state="waitlisted")


def test_an_erasure_says_who_erased_and_why(app: Flask) -> None:
    kind = "PersonalDataErased"
    assert describe_in(app, "en", kind, reason="asked by e-mail") == (
        "Personal data erased by organiser:olivia: “asked by e-mail”"
    )
    assert describe_in(app, "zh_Hant_HK", kind, reason="") == "由organiser:olivia刪除個人資料"
    assert describe_in(app, "zh_Hans_CN", kind, reason="") == "由organiser:olivia删除个人信息"
