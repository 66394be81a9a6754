"""What the correction pages share: bilingual refusals and the fields of each form."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale

from domain.errors import DomainError, Refusal
from domain.gathering_categories import category_title
from domain.registration import Registration
from events_app.context import services
from events_app.errors import refusal_text
from events_app.languages.tags import DEFAULT
from events_app.pages.console.common import refused_message

REGISTRATION_FIELDS = (
    ("full_name", "Full name", "英文全名", 200),
    ("name_zh", "Name in Chinese", "中文姓名", 100),
    ("organisation", "Organisation", "機構", 200),
    ("job_title", "Job title", "職位", 200),
    ("email", "E-mail", "電郵", 254),
    ("phone", "Phone", "電話", 40),
    ("dietary", "Dietary requirements", "飲食要求", 500),
    ("accessibility", "Accessibility needs", "無障礙需要", 500),
    ("notes", "Organisers' notes", "主辦方備註", 1000),
)
GATHERING_TEXTS = (
    ("title_en", "Title (English)", "英文名稱", 300),
    ("title_zh", "Title (Chinese)", "中文名稱", 300),
    ("venue", "Venue", "地點", 300),
)
GATHERING_TIMES = (
    ("starts_at", "Starts at", "開始時間"),
    ("ends_at", "Ends at", "結束時間"),
    ("registration_opens_at", "Registration opens", "登記開始"),
    ("registration_closes_at", "Registration closes", "登記截止"),
)
FIELD_WORDS = {
    **{name: (en, zh) for name, en, zh, _limit in REGISTRATION_FIELDS},
    **{name: (en, zh) for name, en, zh, _limit in GATHERING_TEXTS},
    **{name: (en, zh) for name, en, zh in GATHERING_TIMES},
    "category": ("Category", "類別"),
    "capacity": ("Capacity", "名額"),
    "categories": ("Categories", "類別"),
    "door_list_max_age_minutes": ("Door list age limit (minutes)", "入口名單有效時限（分鐘）"),
}


def bilingual(error: DomainError) -> str:
    """Say why a correction was refused, in English and in Chinese (both from the catalogues)."""
    if isinstance(error, Refusal):
        with force_locale(DEFAULT):
            english = refusal_text(error)
        with force_locale("zh_Hant_HK"):
            chinese = refusal_text(error)
        return f"Not done: {english}. 未能完成：{chinese}。"
    return refused_message(error)


def refusal_field(error: DomainError) -> dict[str, str]:
    """Return a refusal as the message of the field it names."""
    return {error.field or "form": bilingual(error)}


def form_values(form: Any, names: Any) -> dict[str, str]:
    """Return the posted values of these fields."""
    return {name: form.get(name, "") for name in names}


def full_category_note(result: Registration) -> str:
    """Name the full category when it, not the whole event, kept the guest from a seat."""
    app = services().box_office
    guest_list = app.guest_list(result.gathering_id)
    capacity = app.gathering_by_id(result.gathering_id).capacity_for(result.category)
    if guest_list.confirmed_count() >= capacity.overall:
        return ""
    en, zh = category_title(result.category)
    return (
        f"All {capacity.category} {en} seats are taken (seats are left overall), so the "
        f"registration is now on the waitlist. {zh}類別名額已滿，此登記已列入候補名單。"
    )
