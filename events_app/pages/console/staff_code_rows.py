"""The exhibition page's staff codes: each firm's code, its pre-filled link, a mail to send."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import url_for
from flask_babel import force_locale, gettext

from domain.exhibition import Exhibition, FirmState
from domain.gathering import Gathering
from events_app.languages.tags import LANGUAGES
from events_app.services.planning import Planning

TRADITIONAL = LANGUAGES[1]


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
    subjects, bodies = [], []
    for language, title in (("en", gathering.title_en), (TRADITIONAL, gathering.title_zh)):
        with force_locale(language):  # a firm's mail says it in English and in Chinese
            subjects.append(gettext("Staff registration for %(event)s", event=title))
            bodies.append(staff_mail_body(firm, title or gathering.title_en, code, link))
    subject = " · ".join(subjects)
    body = "\n\n".join(bodies)
    address = quote(firm["contact_email"], safe="@+")
    return f"mailto:{address}?subject={quote(subject)}&body={quote(body)}"


def staff_mail_body(firm: dict[str, Any], title: str, code: str, link: str) -> str:
    """Return the mail's text in the language in force."""
    return gettext(
        "Dear %(contact)s,\n\n"
        "Your staff register for %(event)s with this link:\n%(link)s\n"
        "or on the registration form with your firm's staff code: %(code)s\n"
        "Please share it only with your own staff; registrations without it wait for "
        "our approval.\n",
        contact=firm.get("contact_name") or gettext("exhibitor"),
        event=title,
        link=link,
        code=code,
    )
