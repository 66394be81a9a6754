"""What the console's irreversible actions ask first, in plain words (see ask_first)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from domain.ceremony import Ceremony, CeremonyState
from domain.registration import Registration, RegistrationState
from events_app.context import services
from events_app.pages.ask_first import Consequence, Question


def guest_name(registration: Registration) -> str:
    """Return the guest's names as the console shows them."""
    details = registration.details
    return f"{details['full_name']} {details.get('name_zh', '')}".strip()


def staff_firm(registration: Registration) -> str:
    """Return the names of the firm whose staff badge the registration holds, if any."""
    exhibition = services().box_office.exhibition_of(registration.gathering_id)
    firm_id = exhibition.firm_of_staff(registration.id) if exhibition else None
    if exhibition is None or firm_id is None:
        return ""
    firm = exhibition.firm(firm_id)
    return " ".join(n for n in (firm["name_en"], firm["name_zh"]) if n)


def reason_line(reason: str) -> tuple[Consequence, ...]:
    """Return the line saying which reason is recorded, if one was typed."""
    if not reason:
        return ()
    return (Consequence(f"The reason recorded: “{reason}”.", f"記錄原因：「{reason}」。"),)


def reject(registration: Registration, reason: str, back: str) -> Question:
    """Ask before turning down a pending registration."""
    name = guest_name(registration)
    return Question(
        title_en=f"Reject the registration of {name}?",
        title_zh=f"拒絕 {name} 的登記？",
        consequences=(
            Consequence(
                f"{name} is turned down and gets no seat and no badge.",
                "此登記將被拒絕，不會獲得座位或入場證。",
            ),
            *reason_line(reason),
        ),
        yes_en="Yes, reject this registration",
        yes_zh="是，拒絕此登記",
        back=back,
    )


def cancel(registration: Registration, reason: str, back: str, firm: str = "") -> Question:
    """Ask before cancelling an active registration."""
    name = guest_name(registration)
    lines = [Consequence(f"{name}'s registration is cancelled.", f"{name} 的登記將被取消。")]
    if registration.state is RegistrationState.CONFIRMED:
        lines += [
            Consequence("Their badge stops working at the door.", "其入場證將無法在入口使用。"),
            Consequence(
                "Their seat goes to the first guest on the waitlist, if any.",
                "其座位將讓予候補名單上的第一位嘉賓（如有）。",
            ),
        ]
    if firm:
        lines.append(
            Consequence(
                f"The staff badge of {firm} is given back.", f"交還 {firm} 的參展人員名額。"
            )
        )
    return Question(
        title_en=f"Cancel the registration of {name}?",
        title_zh=f"取消 {name} 的登記？",
        consequences=(*lines, *reason_line(reason)),
        yes_en="Yes, cancel this registration",
        yes_zh="是，取消此登記",
        back=back,
    )


def withdraw_firm(name: str, slot: str | None, staff: int, reason: str, back: str) -> Question:
    """Ask before withdrawing an exhibiting firm."""
    lines = [Consequence(f"{name} leaves the exhibition.", f"{name} 將退出展覽。")]
    if slot:
        lines.append(Consequence(f"Booth {slot} becomes free.", f"展位 {slot} 將空出。"))
    if staff:
        lines.append(
            Consequence(
                f"The registrations of its {staff} staff are cancelled.",
                f"其 {staff} 名參展人員的登記將被取消。",
            )
        )
    return Question(
        title_en=f"Withdraw {name}?",
        title_zh=f"確定 {name} 退出展覽？",
        consequences=(*lines, *reason_line(reason)),
        yes_en="Yes, withdraw the firm",
        yes_zh="是，企業退出",
        back=back,
    )


def renew_code(name: str, back: str) -> Question:
    """Ask before giving a firm a new staff code."""
    return Question(
        title_en=f"Give {name} a new staff code?",
        title_zh=f"為 {name} 更新人員代碼？",
        consequences=(
            Consequence(
                "The current code and its link stop working at once: staff who use them "
                "are told the code is not valid.",
                "現有代碼及連結即時失效，使用者會被告知代碼無效。",
            ),
            Consequence(
                "Staff registered already keep their badges.", "已登記的參展人員保留其證件。"
            ),
            Consequence(
                "You send the new code to the firm yourself.", "您需自行將新代碼發送給該企業。"
            ),
        ),
        yes_en="Yes, renew the code",
        yes_zh="是，更新代碼",
        back=back,
    )


def complete(ceremony: Ceremony, when: datetime, zone: ZoneInfo, back: str) -> Question:
    """Ask before recording that a ceremony was signed or its awards presented."""
    awarded = ceremony.completed_state is CeremonyState.AWARDED
    what_en = "the awards were presented" if awarded else "the agreements were signed"
    what_zh = "已頒授" if awarded else "已簽署"
    shown = f"{when.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"
    return Question(
        title_en=f"Record that {ceremony.title_en} took place?",
        title_zh=f"記錄「{ceremony.title_zh}」已舉行？",
        consequences=(
            Consequence(
                f"It is recorded that {what_en} at {shown}.", f"將記錄於 {shown} {what_zh}。"
            ),
            Consequence(
                f"Its {len(ceremony.items)} documents are locked for good: no item, name or "
                "text can change afterwards.",
                f"其 {len(ceremony.items)} 份文件將永久鎖定，之後不能再修改任何項目、姓名或內容。",
            ),
        ),
        yes_en="Yes, record it and lock the ceremony",
        yes_zh="是，記錄並鎖定儀式",
        back=back,
    )
