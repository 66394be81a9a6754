"""What is held about a guest, worded for a page (theirs, or an owner's answering a request).

The guest's confirmation link and the console show the same record: the JSON export's
content in the page's language, times in the gathering's zone.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response
from flask_babel import gettext

from domain.common import N_
from domain.gathering import Gathering
from events_app.context import services
from events_app.languages import current_language
from events_app.languages.scripts import name_in
from events_app.pages.answer_fields import answered
from events_app.pages.door_labels import SCAN_STATUSES
from events_app.pages.labels import FORM_FIELDS
from events_app.pages.record_words import MAIL_KINDS, category_name, state_name
from events_app.pages.registration_history import format_time, plain_history
from events_app.schemas.personal_data import PersonalDataSchema
from events_app.services.personal_export import PersonalRecord

DETAIL_LABELS = {
    **{field.name: field.label for field in FORM_FIELDS},
    "notes": N_("Notes"),
    "consent": N_("Consent to be contacted about this event"),
    "language": N_("Language of your e-mails"),
}
MAIL_NAMES = {
    **MAIL_KINDS,
    "invitation": N_("Invitation"),
    "invitation_reminder": N_("Invitation reminder"),
}
MAIL_STATES = {"queued": N_("Waiting to be sent"), "sent": N_("Sent"), "failed": N_("Not sent")}
DIRECTIONS = {"in": N_("in"), "out": N_("out")}


def private(response: Response) -> Response:
    """Keep a page of personal data out of shared caches and the browser's history cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def json_download(data: dict[str, Any]) -> Response:
    """Return the export as a JSON file to save (Content-Disposition: attachment)."""
    body = json.dumps(PersonalDataSchema().dump(data), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    name = f"personal-data-{data['registration_id']}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return private(response)


def when(value: str | datetime | None, zone: ZoneInfo) -> str:
    """Return a stored time (ISO text or datetime) in `zone`, as the page's language writes it."""
    if value is None or value == "":
        return ""
    return format_time(datetime.fromisoformat(value) if isinstance(value, str) else value, zone)


def detail_rows(record: PersonalRecord) -> list[tuple[str, str]]:
    """Return (label, value) of each detail held, in the export's order."""
    rows = []
    for name, value in record.details.items():
        if name == "consent":
            value = gettext("Yes") if value else gettext("No")
        rows.append((gettext(DETAIL_LABELS.get(name, name)), str(value)))
    return rows


def checkpoint_name(gathering: Gathering, code: str) -> str:
    """Return a checkpoint's name in the page's language (its code if it is gone)."""
    found = gathering.checkpoints.get(code)
    if not found:
        return code
    return name_in(current_language(), found.get("name_en", code), found.get("name_zh", ""))


def checkin_rows(record: PersonalRecord, gathering: Gathering) -> list[dict[str, str]]:
    """Return each scan of the guest's badge: when, where, which way, what the door said."""
    zone = ZoneInfo(gathering.timezone)
    return [
        {
            "at": when(scan["scanned_at"], zone),
            "checkpoint": checkpoint_name(gathering, scan["checkpoint"]),
            "direction": gettext(DIRECTIONS.get(scan["direction"], scan["direction"])),
            "status": gettext(SCAN_STATUSES[scan["status"]].title)
            if scan["status"] in SCAN_STATUSES
            else scan["status"],
        }
        for scan in record.checkins
    ]


def mail_rows(record: PersonalRecord, zone: ZoneInfo) -> list[dict[str, str]]:
    """Return each mail to the guest: what, to whom, where it stands, when."""
    return [
        {
            "kind": gettext(MAIL_NAMES.get(mail["kind"], mail["kind"])),
            "state": gettext(MAIL_STATES.get(mail["state"], mail["state"])),
            "recipient": mail["recipient"],
            "queued_at": when(mail["queued_at"], zone),
            "sent_at": when(mail["sent_at"], zone),
        }
        for mail in record.mails
    ]


def record_context(record: PersonalRecord) -> dict[str, Any]:
    """Return what the record's template shows: its sections worded, times in local time."""
    registration = record.registration
    app = services().box_office
    gathering = app.gathering_by_id(registration.gathering_id)
    zone = ZoneInfo(gathering.timezone)
    invitation = record.invitation
    return {
        "record": record,
        "record_gathering": gathering,
        "registered_at": when(registration.submitted_at, zone),
        "exported_at": when(record.exported_at, zone),
        "state_label": state_name(registration.state.value),
        "category_label": category_name(registration.category),
        "detail_rows": detail_rows(record),
        "answer_rows": answered(
            app.questionnaire_of(gathering.id).in_order(retired=True),
            record.answers,
            current_language(),
        ),
        "history": plain_history(record.history, zone),
        "checkins": checkin_rows(record, gathering),
        "mails": mail_rows(record, zone),
        "invitation_at": when(invitation["invited_at"], zone) if invitation else "",
        "zone": gathering.timezone,
    }
