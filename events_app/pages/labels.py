"""Bilingual (English / Chinese) wording of the guest pages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormField:
    """One input of the registration form."""

    name: str
    label_en: str
    label_zh: str
    kind: str = "text"
    required: bool = True
    max_length: int = 200
    autocomplete: str = ""


FORM_FIELDS = (
    FormField("full_name", "Full name", "英文全名", autocomplete="name"),
    FormField("name_zh", "Name in Chinese", "中文姓名", required=False, max_length=100),
    FormField("organisation", "Organisation", "機構 / 单位", autocomplete="organization"),
    FormField("job_title", "Job title", "職位", autocomplete="organization-title"),
    FormField("email", "E-mail", "電郵", kind="email", max_length=254, autocomplete="email"),
    FormField(
        "phone", "Phone", "電話", kind="tel", required=False, max_length=40, autocomplete="tel"
    ),
    FormField(
        "dietary",
        "Dietary requirements",
        "飲食要求",
        kind="textarea",
        required=False,
        max_length=500,
    ),
    FormField(
        "accessibility",
        "Accessibility needs",
        "無障礙需要",
        kind="textarea",
        required=False,
        max_length=500,
    ),
)

CATEGORY_LABELS = {
    "guest": "Guest 嘉賓",
    "vip": "VIP 貴賓",
    "speaker": "Speaker 講者",
    "press": "Press 媒體",
    "exhibitor": "Exhibitor 參展商",
    "partner": "Partner 合作伙伴",
    "staff": "Staff 工作人員",
}

STATE_TEXT = {
    "confirmed": (
        "You are confirmed. We look forward to welcoming you.",
        "您的報名已確認，期待您的光臨。",
    ),
    "pending": (
        "Your registration is awaiting approval by the organisers.",
        "您的報名正在等待主辦方審批。",
    ),
    "waitlisted": (
        "The event is full, so you are on the waitlist. You will be confirmed "
        "automatically when a seat frees up.",
        "活動名額已滿，您已列入候補名單；如有空位，系統將自動為您確認。",
    ),
    "rejected": ("Your registration was not approved.", "很抱歉，您的報名未獲批准。"),
    "cancelled": ("Your registration is cancelled.", "您的報名已取消。"),
}

FIRM_MESSAGES = {
    "missing": "Please choose the firm you exhibit with. 請選擇您所屬的參展企業。",
    "not_found": "This firm does not exhibit here; please choose one from the list. "
    "此企業並非本活動的參展企業，請從列表中選擇。",
    "staff_quota_exceeded": "All staff badges of this firm are taken; please contact the firm. "
    "該企業的參展人員名額已滿，請聯絡該企業。",
    "invalid_transition": "This firm cannot register staff at the moment. "
    "該企業目前不能登記參展人員。",
}
"""What the form says when exhibitor staff name no firm, an unknown one, or a full one."""


def firm_message(code: str) -> str:
    """Return the bilingual message for a refused firm choice (by error code)."""
    if code in ("invalid_value", "validation_failed"):
        return FIRM_MESSAGES["missing"]
    return FIRM_MESSAGES.get(code, FIRM_MESSAGES["not_found"])


def staff_code_message(firm_name: str) -> str:
    """Return the bilingual message for a staff code that is not the firm's current one."""
    return (
        f"This staff code is not valid for {firm_name}. Check it with your firm (it may have "
        "been renewed), or leave it blank to have the organisers approve your registration. "
        f"此人員代碼對 {firm_name} 無效。請向貴企業核對（代碼可能已更新），"
        "或留空，由主辦方審批您的報名。"
    )
