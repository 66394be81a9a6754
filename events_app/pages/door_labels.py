"""Bilingual (English / Chinese) wording of the door scanner page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events_app.pages.labels import CATEGORY_LABELS


@dataclass(frozen=True)
class StatusText:
    """How the door shows one scan status: a colour, a headline and what to do."""

    tone: str  # ok (green), warn (amber) or stop (red)
    title_en: str
    title_zh: str
    detail_en: str
    detail_zh: str

    def as_dict(self) -> dict[str, Any]:
        """Return the wording as the page's script reads it."""
        return {
            "tone": self.tone,
            "title": [self.title_en, self.title_zh],
            "detail": [self.detail_en, self.detail_zh],
        }


# Every status of POST /api/v1/scans (domain.scan.ScanStatus), in plain words.
SCAN_STATUSES = {
    "ok": StatusText("ok", "Let in", "請進", "Welcome.", "歡迎光臨。"),
    "already_checked_in": StatusText(
        "warn",
        "Already checked in",
        "已簽到",
        "This badge has been used already. Check who the guest is before letting them in.",
        "此證件已使用過，請先核對嘉賓身份再決定是否放行。",
    ),
    "invalid": StatusText(
        "stop",
        "Not a valid badge",
        "無效證件",
        "The code is damaged, altered or not one of our badges. Find the guest by name.",
        "此碼已損壞、被改動或並非本活動證件，請以姓名搜尋嘉賓。",
    ),
    "unknown": StatusText(
        "stop",
        "Unknown badge",
        "查無此證件",
        "The badge is genuine but names no registration we know. Ask an organiser.",
        "證件真確，但查無相關報名，請聯絡主辦方。",
    ),
    "revoked": StatusText(
        "stop",
        "Old badge: replaced",
        "舊證件，已補發新證",
        "A newer badge was issued for this guest. Ask for the new one or find them by name.",
        "此嘉賓已獲補發新證件，請出示新證件或以姓名搜尋。",
    ),
    "cancelled": StatusText(
        "stop",
        "Registration cancelled",
        "報名已取消",
        "This registration was cancelled. Do not let in; ask an organiser.",
        "此報名已取消，請勿放行，並聯絡主辦方。",
    ),
    "not_confirmed": StatusText(
        "stop",
        "Not confirmed",
        "報名未確認",
        "The registration is awaiting approval or on the waitlist. Ask an organiser.",
        "此報名仍待審批或在候補名單中，請聯絡主辦方。",
    ),
    "wrong_event": StatusText(
        "stop",
        "Badge of another event",
        "非本活動證件",
        "This badge is for a different event. Do not let in.",
        "此證件屬於其他活動，請勿放行。",
    ),
    "not_admitted_here": StatusText(
        "stop",
        "Not at this entrance",
        "不適用於此入口",
        "Guests of this category do not enter here. Show them the right entrance.",
        "此類別嘉賓不經此入口進場，請指引至正確入口。",
    ),
    "closed": StatusText(
        "stop",
        "Checkpoint closed",
        "此入口現已關閉",
        "This checkpoint is not open at this time.",
        "此入口現時不開放。",
    ),
    "not_inside": StatusText(
        "stop",
        "No entry to leave from",
        "沒有入場紀錄",
        "No entry was recorded here, so no exit can be recorded.",
        "此處沒有此嘉賓的入場紀錄，無法登記離場。",
    ),
}

# What the page shows itself: exits, and its own judgement while the network is down.
PAGE_STATUSES = {
    "exit": StatusText("ok", "Exit recorded", "已登記離場", "Goodbye.", "再見。"),
    "offline_ok": StatusText(
        "ok",
        "Let in (offline)",
        "請進（離線）",
        "The badge is on this device's guest list. It is saved and sent when the network returns.",
        "證件與此裝置的嘉賓名單相符，已儲存，網絡恢復後發送。",
    ),
    "offline_unverified": StatusText(
        "warn",
        "Check the name (unverified)",
        "請核對姓名（未經核實）",
        "This device's guest list is not current: a recent cancellation or new badge may "
        "not be known. Check the guest's name before letting them in.",
        "此裝置的嘉賓名單並非最新，可能未知悉最近的取消或補發，請先核對嘉賓姓名再放行。",
    ),
    "offline_exit": StatusText(
        "ok",
        "Exit saved (offline)",
        "已離線登記離場",
        "Saved: it will be sent when the network returns.",
        "已儲存，網絡恢復後發送。",
    ),
    "error": StatusText(
        "stop",
        "Not recorded",
        "未能記錄",
        "The server refused this scan. Try again or ask an organiser.",
        "伺服器拒絕了此掃描，請重試或聯絡主辦方。",
    ),
}

STATE_LABELS = {
    "confirmed": "Confirmed 已確認",
    "pending": "Awaiting approval 待審批",
    "waitlisted": "Waitlisted 候補",
    "rejected": "Not approved 未獲批",
    "cancelled": "Cancelled 已取消",
}

# Sentences the script shows; {n}, {name}, {time} and {message} are filled in.
MESSAGES = {
    "device_revoked": (
        "An organiser has switched this device off. Ask an organiser for a new set-up code.",
        "主辦方已停用此裝置，請向主辦方索取新的設定碼。",
    ),
    "invalid_credential": (
        "This device is no longer recognised. Set it up again with a new code.",
        "系統已無法識別此裝置，請以新的設定碼重新設定。",
    ),
    "setup_code_expired": (
        "This set-up code has expired. Ask an organiser for a new one.",
        "此設定碼已過期，請向主辦方索取新的設定碼。",
    ),
    "setup_code_used": (
        "This set-up code has been used already: each code works once. Ask for a new one.",
        "此設定碼已被使用（每個設定碼只可使用一次），請向主辦方索取新的設定碼。",
    ),
    "setup_not_found": (
        "No such set-up code. Check it and type it again.",
        "查無此設定碼，請核對後重新輸入。",
    ),
    "setup_malformed": (
        "Type the 10-character code, e.g. ABCDE-FGHJK.",
        "請輸入10個字元的設定碼，例如 ABCDE-FGHJK。",
    ),
    "setup_offline": (
        "No network: a device can only be set up online.",
        "沒有網絡連線：裝置須在線時設定。",
    ),
    "setup_working": ("Setting up this device…", "正在設定此裝置……"),
    "enrolled": ("This device is set up as “{name}”.", "此裝置已設定為「{name}」。"),
    "queued": (
        "Saved on this device: it will be sent when the network returns.",
        "已儲存在此裝置，網絡恢復後自動發送。",
    ),
    "sent": ("{n} saved scan(s) sent.", "已發送 {n} 個已儲存的掃描。"),
    "sent_differs": (
        "{n} of them got a different answer from the server: see Recent scans.",
        "其中 {n} 個的結果與現場顯示不同，請查看「最近掃描」。",
    ),
    "conflict": (
        "Let in while offline, but the badge had been used already: tell an organiser.",
        "離線時已放行，但此證件早前已使用，請通知主辦方。",
    ),
    "refused": ("The server refused it: {message}", "伺服器拒絕：{message}"),
    "setup_scanned": (
        "That is a device set-up code, not a badge.",
        "這是裝置設定碼，不是嘉賓證件。",
    ),
    "camera_failed": (
        "The camera cannot be used ({message}). Use a USB scanner or type the code.",
        "無法使用相機（{message}），請用掃描器或輸入證件碼。",
    ),
    "camera_starting": ("Starting the camera…", "正在開啟相機……"),
    "camera_hint": ("Hold the badge's QR code in the frame.", "請將證件二維碼置於框內。"),
    "choose_checkpoint": ("Choose where you scan first.", "請先選擇掃描位置。"),
    "search_none": ("No guest found.", "找不到相關嘉賓。"),
    "search_offline": ("The search needs the network.", "搜尋需要網絡連線。"),
    "search_short": ("Type at least 2 characters.", "請輸入最少兩個字。"),
    "first_check_in": ("First checked in", "首次簽到"),
    "scanned_at": ("Let in by this device", "此裝置放行"),
    "re_entry": ("Re-entry", "再次入場"),
    "manual": ("Checked in by name", "以姓名簽到"),
    "repeat": ("Same badge again: shown once more", "重複掃描同一證件：再次顯示"),
    "offline_note": ("Offline: not checked by the server yet", "離線：尚未經系統核實"),
    "entries": ("checked in {n}×", "已簽到 {n} 次"),
    "pending": ("waiting to send", "待發送"),
    "no_scans": ("No scans yet.", "尚未有掃描。"),
    "unsent": (
        "{n} scan(s) saved on this device are not sent yet: they go once it is set up again.",
        "此裝置仍有 {n} 個掃描未發送，重新設定後會自動發送。",
    ),
    "check_in": ("Check in", "簽到"),
    "check_out": ("Check out", "登記離場"),
    "direction_in": ("In", "入場"),
    "direction_out": ("Out", "離場"),
    "online": ("Online", "在線"),
    "offline": ("Offline", "離線"),
    "offline_list": ("Offline, list synced {age} ago", "離線，名單於 {age} 前同步"),
    "offline_list_old": (
        "Offline, list synced {age} ago: answers unverified",
        "離線，名單於 {age} 前同步：結果未經核實",
    ),
    "offline_no_list": (
        "Offline, no guest list on this device: answers unverified",
        "離線，此裝置沒有嘉賓名單：結果未經核實",
    ),
    "unverified": (
        "Unverified: the list is {age} old",
        "未經核實：名單為 {age} 前的版本",
    ),
    "unlisted": (
        "Not on this device's guest list (synced {age} ago): a forged badge, or a "
        "registration made since. Send the guest to the desk.",
        "此證件不在此裝置的嘉賓名單上（名單於 {age} 前同步）：或屬偽造，或為其後的新報名。"
        "請引領嘉賓到服務台。",
    ),
    "search_list": (
        "Offline: found in this device's list (synced {age} ago).",
        "離線：於此裝置的名單中找到（名單於 {age} 前同步）。",
    ),
    "opens": ("Open", "開放"),
    "checkpoint_closed": ("Closed by the organisers", "主辦方已關閉"),
    "no_checkpoints": (
        "No checkpoint is set up for this event yet: ask an organiser.",
        "此活動尚未設定掃描位置，請聯絡主辦方。",
    ),
    "server_said": ("server: {status}", "系統：{status}"),
}


def door_config() -> dict[str, Any]:
    """Return the wording the door page's script needs, as plain data."""
    return {
        "statuses": {
            name: text.as_dict() for name, text in {**SCAN_STATUSES, **PAGE_STATUSES}.items()
        },
        "categories": CATEGORY_LABELS,
        "states": STATE_LABELS,
        "messages": {key: list(pair) for key, pair in MESSAGES.items()},
    }
