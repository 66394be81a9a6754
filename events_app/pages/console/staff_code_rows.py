"""The exhibition page's staff codes: each firm's code, its pre-filled link, a mail to send."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import url_for

from domain.exhibition import Exhibition, FirmState
from domain.gathering import Gathering
from events_app.services.planning import Planning


def staff_code_rows(
    planning: Planning, gathering: Gathering, exhibition: Exhibition
) -> list[dict[str, Any]]:
    """Return, for each firm still exhibiting, its code, link, waiting staff and mail link."""
    rows = []
    for firm in exhibition.firms.values():
        if firm["state"] == FirmState.WITHDRAWN:
            continue
        firm_id = UUID(firm["id"])
        code = planning.staff_code(gathering.slug, firm_id)
        link = url_for(
            "web.register", slug=gathering.slug, firm=str(firm_id), code=code, _external=True
        )
        rows.append(
            {
                "id": str(firm_id),
                "name": " ".join(n for n in (firm["name_en"], firm["name_zh"]) if n),
                "code": code,
                "link": link,
                "waiting": len(exhibition.requests_of(firm_id)),
                "contact_email": firm.get("contact_email", ""),
                "mailto": mailto(firm, gathering, code, link),
            }
        )
    return sorted(rows, key=lambda row: row["name"].casefold())


def mailto(firm: dict[str, Any], gathering: Gathering, code: str, link: str) -> str:
    """Return a mailto: link with the code and link for the firm's contact, or ''."""
    if not firm.get("contact_email"):
        return ""
    subject = f"Staff registration for {gathering.title_en} 參展人員登記"
    body = (
        f"Dear {firm.get('contact_name') or 'exhibitor'},\n\n"
        f"Your staff register for {gathering.title_en} with this link:\n{link}\n"
        f"or on the registration form with your firm's staff code: {code}\n"
        "Please share it only with your own staff; registrations without it wait for "
        "our approval.\n\n"
        f"貴企業的參展人員請使用以上連結報名「{gathering.title_zh}」，"
        f"或於報名表格填寫人員代碼 {code}。請只與貴企業的工作人員分享；"
        "未有代碼的報名須待主辦方審批。\n"
    )
    address = quote(firm["contact_email"], safe="@+")
    return f"mailto:{address}?subject={quote(subject)}&body={quote(body)}"
