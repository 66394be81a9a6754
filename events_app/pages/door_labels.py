"""Wording of the door scanner page: messages of the door catalogue, in the device's language.

The page's script gets every text it shows in one language, the one the device chose
(`?lang=`, remembered in a cookie); an answer's headline also comes in a second language,
smaller, so staff and a guest who reads the other language both read it at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, gettext

from domain.common import N_
from events_app.languages import current_language
from events_app.languages.tags import html_lang
from events_app.pages.labels import CATEGORY_NAMES


@dataclass(frozen=True)
class StatusText:
    """How the door shows one scan status: a colour, a headline and what to do (messages)."""

    tone: str  # ok (green), warn (amber) or stop (red)
    title: str
    detail: str

    @property
    def title_en(self) -> str:
        """Return the headline in English, the catalogue's source language."""
        return self.title


# Every status of POST /api/v1/scans (domain.scan.ScanStatus), in plain words.
SCAN_STATUSES = {
    "ok": StatusText("ok", N_("Let in"), N_("Welcome.")),
    "already_checked_in": StatusText(
        "warn",
        N_("Already checked in"),
        N_("This badge has been used already. Check who the guest is before letting them in."),
    ),
    "invalid": StatusText(
        "stop",
        N_("Not a valid badge"),
        N_("The code is damaged, altered or not one of our badges. Find the guest by name."),
    ),
    "unknown": StatusText(
        "stop",
        N_("Unknown badge"),
        N_("The badge is genuine but names no registration we know. Ask an organiser."),
    ),
    "revoked": StatusText(
        "stop",
        N_("Old badge: replaced"),
        N_("A newer badge was issued for this guest. Ask for the new one or find them by name."),
    ),
    "cancelled": StatusText(
        "stop",
        N_("Registration cancelled"),
        N_("This registration was cancelled. Do not let in; ask an organiser."),
    ),
    "not_confirmed": StatusText(
        "stop",
        N_("Not confirmed"),
        N_("The registration is awaiting approval or on the waitlist. Ask an organiser."),
    ),
    "wrong_event": StatusText(
        "stop",
        N_("Badge of another event"),
        N_("This badge is for a different event. Do not let in."),
    ),
    "not_admitted_here": StatusText(
        "stop",
        N_("Not at this entrance"),
        N_("Guests of this category do not enter here. Show them the right entrance."),
    ),
    "closed": StatusText(
        "stop", N_("Checkpoint closed"), N_("This checkpoint is not open at this time.")
    ),
    "not_inside": StatusText(
        "stop",
        N_("No entry to leave from"),
        N_("No entry was recorded here, so no exit can be recorded."),
    ),
}

# What the page shows itself: exits, and its own judgement while the network is down.
PAGE_STATUSES = {
    "exit": StatusText("ok", N_("Exit recorded"), N_("Goodbye.")),
    "offline_ok": StatusText(
        "ok",
        N_("Let in (offline)"),
        N_(
            "The badge is on this device's guest list. It is saved and sent when the network "
            "returns."
        ),
    ),
    "offline_unverified": StatusText(
        "warn",
        N_("Check the name (unverified)"),
        N_(
            "This device's guest list is not current: a recent cancellation or new badge may "
            "not be known. Check the guest's name before letting them in."
        ),
    ),
    "offline_exit": StatusText(
        "ok",
        N_("Exit saved (offline)"),
        N_("Saved: it will be sent when the network returns."),
    ),
    "error": StatusText(
        "stop",
        N_("Not recorded"),
        N_("The server refused this scan. Try again or ask an organiser."),
    ),
}

STATE_LABELS = {
    "confirmed": N_("Confirmed"),
    "pending": N_("Awaiting approval"),
    "waitlisted": N_("Waitlisted"),
    "rejected": N_("Not approved"),
    "cancelled": N_("Cancelled"),
}
"""A registration's state as the name search shows it."""

SECOND_LANGUAGE = {"en": "zh_Hant_HK"}
"""The language an answer's headline is repeated in; English for a device in Chinese."""

# Sentences the script shows; {n}, {name}, {age}, {status} and {message} are filled in.
MESSAGES = {
    "device_revoked": N_(
        "An organiser has switched this device off. Ask an organiser for a new set-up code."
    ),
    "invalid_credential": N_(
        "This device is no longer recognised. Set it up again with a new code."
    ),
    "setup_code_expired": N_("This set-up code has expired. Ask an organiser for a new one."),
    "setup_code_used": N_(
        "This set-up code has been used already: each code works once. Ask for a new one."
    ),
    "setup_not_found": N_("No such set-up code. Check it and type it again."),
    "setup_malformed": N_("Type the 10-character code, e.g. ABCDE-FGHJK."),
    "setup_offline": N_("No network: a device can only be set up online."),
    "setup_working": N_("Setting up this device…"),
    "enrolled": N_("This device is set up as “{name}”."),
    "queued": N_("Saved on this device: it will be sent when the network returns."),
    "sent": N_("{n} saved scan(s) sent."),
    "sent_differs": N_("{n} of them got a different answer from the server: see Recent scans."),
    "conflict": N_("Let in while offline, but the badge had been used already: tell an organiser."),
    "refused": N_("The server refused it: {message}"),
    "setup_scanned": N_("That is a device set-up code, not a badge."),
    "camera_failed": N_(
        "The camera cannot be used ({message}). Use a USB scanner or type the code."
    ),
    "camera_starting": N_("Starting the camera…"),
    "camera_hint": N_("Hold the badge's QR code in the frame."),
    "choose_checkpoint": N_("Choose where you scan first."),
    "search_none": N_("No guest found."),
    "search_offline": N_("The search needs the network."),
    "search_short": N_("Type at least 2 characters."),
    "first_check_in": N_("First checked in"),
    "scanned_at": N_("Let in by this device"),
    "re_entry": N_("Re-entry"),
    "manual": N_("Checked in by name"),
    "repeat": N_("Same badge again: shown once more"),
    "offline_note": N_("Offline: not checked by the server yet"),
    "entries": N_("checked in {n}×"),
    "pending": N_("waiting to send"),
    "no_scans": N_("No scans yet."),
    "unsent": N_(
        "{n} scan(s) saved on this device are not sent yet: they go once it is set up again."
    ),
    "check_in": N_("Check in"),
    "check_out": N_("Check out"),
    "direction_in": N_("In"),
    "direction_out": N_("Out"),
    "online": N_("Online"),
    "offline_list": N_("Offline, list synced {age} ago"),
    "offline_list_old": N_("Offline, list synced {age} ago: answers unverified"),
    "offline_no_list": N_("Offline, no guest list on this device: answers unverified"),
    "unverified": N_("Unverified: the list is {age} old"),
    "unlisted": N_(
        "Not on this device's guest list (synced {age} ago): a forged badge, or a "
        "registration made since. Send the guest to the desk."
    ),
    "search_list": N_("Offline: found in this device's list (synced {age} ago)."),
    "opens": N_("Open"),
    "checkpoint_closed": N_("Closed by the organisers"),
    "no_checkpoints": N_("No checkpoint is set up for this event yet: ask an organiser."),
    "server_said": N_("server: {status}"),
    "door_scanner": N_("Door scanner"),
    "age_seconds": N_("{n} s"),
    "age_minutes": N_("{n} min"),
    "age_hours": N_("{n} h"),
}


def door_config() -> dict[str, Any]:
    """Return the wording the door page's script needs, in the request's language."""
    language = current_language()
    second = SECOND_LANGUAGE.get(language, "en")
    statuses = {**SCAN_STATUSES, **PAGE_STATUSES}
    with force_locale(second):
        again = {name: gettext(text.title) for name, text in statuses.items()}
    return {
        "language": html_lang(language),
        "second_language": html_lang(second),
        "statuses": {
            name: {
                "tone": text.tone,
                "title": [gettext(text.title), again[name]],
                "detail": gettext(text.detail),
            }
            for name, text in statuses.items()
        },
        "categories": {key: gettext(name) for key, name in CATEGORY_NAMES.items()},
        "states": {key: gettext(label) for key, label in STATE_LABELS.items()},
        "messages": {key: gettext(text) for key, text in MESSAGES.items()},
    }
