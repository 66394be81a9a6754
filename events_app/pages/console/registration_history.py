"""A registration's history in plain words (English and Chinese), in the gathering's zone.

Each domain event of a registration becomes one line such as
"2 Mar 2026 09:14 — Approved by organiser:olivia, over capacity".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from domain.common import GUEST, SYSTEM
from events_app.pages.labels import CATEGORY_LABELS
from events_app.store.application import HistoryEntry


@dataclass(frozen=True)
class HistoryLine:
    """One event of a registration as an organiser reads it."""

    version: int
    at: str
    text_en: str
    text_zh: str
    kind: str

    @property
    def sentence(self) -> str:
        """Return the English line with its time, e.g. '2 Mar 2026 09:14 — Approved by …'."""
        return f"{self.at} — {self.text_en}"


SUBMITTED_STATE = {
    "pending": ("awaiting approval", "等待審批"),
    "confirmed": ("confirmed at once", "即時確認"),
    "waitlisted": ("put on the waitlist (the event was full)", "名額已滿，列入候補名單"),
}


def format_time(at: datetime, zone: tzinfo) -> str:
    """Return e.g. '2 Mar 2026 09:14' for `at` in `zone`."""
    local = at.astimezone(zone)
    return f"{local.day} {local:%b %Y %H:%M}"


def actor_words(actor: str) -> tuple[str, str]:
    """Return who did something, in English and Chinese."""
    if actor == SYSTEM:
        return "the system", "系統"
    if actor == GUEST:
        return "the guest", "嘉賓本人"
    return actor, actor


def with_reason(text: str, data: dict[str, Any], *, zh: bool = False) -> str:
    """Append the reason an organiser or guest gave, if any."""
    reason = str(data.get("reason") or "").strip()
    if not reason:
        return text
    return f"{text}：「{reason}」" if zh else f"{text}: “{reason}”"


def describe(entry: HistoryEntry) -> tuple[str, str]:
    """Return one history entry in plain words (English, Chinese), without its time."""
    who_en, who_zh = actor_words(entry.actor)
    data = entry.data
    kind = entry.type
    if kind == "Submitted":
        category = CATEGORY_LABELS.get(str(data.get("category")), str(data.get("category")))
        state_en, state_zh = SUBMITTED_STATE.get(str(data.get("state")), (data.get("state"), ""))
        return (
            f"Registered as {category} by {who_en}, {state_en}",
            f"由{who_zh}登記（{category}），{state_zh}",
        )
    if kind == "Approved":
        if data.get("capacity_override"):
            return f"Approved by {who_en}, over capacity", f"由{who_zh}批准（超出名額）"
        return f"Approved by {who_en}", f"由{who_zh}批准"
    if kind == "Waitlisted":
        return (
            f"Approved by {who_en}, but no seat was free: put on the waitlist",
            f"由{who_zh}批准，但名額已滿，列入候補名單",
        )
    if kind == "Promoted":
        return f"Promoted from the waitlist by {who_en}", f"由{who_zh}從候補名單轉正"
    if kind == "Rejected":
        return with_reason(f"Rejected by {who_en}", data), with_reason(
            f"由{who_zh}拒絕", data, zh=True
        )
    if kind == "Cancelled":
        return with_reason(f"Cancelled by {who_en}", data), with_reason(
            f"由{who_zh}取消", data, zh=True
        )
    if kind == "BadgeReissued":
        serial = data.get("serial")
        return (
            f"Badge reissued (serial {serial}) by {who_en}",
            f"由{who_zh}補發證件（第 {serial} 張）",
        )
    if kind == "Corrected":
        return corrected_words(data.get("changes") or {}, who_en, who_zh)
    if kind == "Reinstated":
        if data.get("state") == "waitlisted":
            return (
                f"Reinstated by {who_en}, on the waitlist (no seat was free)",
                f"由{who_zh}恢復登記，名額已滿，列入候補名單",
            )
        return f"Reinstated by {who_en}, confirmed", f"由{who_zh}恢復登記並確認"
    return f"{kind} by {who_en}", f"{kind}（{who_zh}）"


CORRECTED_FIELDS = {
    "full_name": ("full name", "英文全名"),
    "name_zh": ("Chinese name", "中文姓名"),
    "organisation": ("organisation", "機構"),
    "job_title": ("job title", "職位"),
    "email": ("e-mail", "電郵"),
    "phone": ("phone", "電話"),
    "dietary": ("dietary requirements", "飲食要求"),
    "accessibility": ("accessibility needs", "無障礙需要"),
    "notes": ("notes", "備註"),
    "category": ("category", "類別"),
}


def corrected_words(changes: dict[str, Any], who_en: str, who_zh: str) -> tuple[str, str]:
    """Return e.g. 'Corrected by organiser:olivia: full name “Jon” → “John”'."""
    parts_en, parts_zh = [], []
    for name, (before, after) in changes.items():
        en, zh = CORRECTED_FIELDS.get(name, (name, name))
        if name == "category":
            before = CATEGORY_LABELS.get(before, before)
            after = CATEGORY_LABELS.get(after, after)
        parts_en.append(f"{en} “{before or '—'}” → “{after or '—'}”")
        parts_zh.append(f"{zh}「{before or '—'}」→「{after or '—'}」")
    return (
        f"Corrected by {who_en}: {'; '.join(parts_en)}",
        f"由{who_zh}更正：{'；'.join(parts_zh)}",
    )


def plain_history(entries: list[HistoryEntry], zone: tzinfo) -> list[HistoryLine]:
    """Return a registration's history as lines to show, oldest first."""
    lines = []
    for entry in entries:
        text_en, text_zh = describe(entry)
        lines.append(
            HistoryLine(
                version=entry.version,
                at=format_time(entry.at, zone),
                text_en=text_en,
                text_zh=text_zh,
                kind=entry.type.lower(),
            )
        )
    return lines
