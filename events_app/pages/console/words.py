"""The console's shared words: categories, states, event names, names and times per language.

Every word is a message of the console catalogue; what people typed (a checkpoint's or a
gathering's English and Chinese names) is shown in the page's language, the Chinese in
the page's script, falling back to the English when there is no Chinese.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import request, url_for
from flask_babel import gettext

from domain.common import N_
from events_app.languages import current_language
from events_app.languages.dates import SEPARATORS, day_text, when_text
from events_app.languages.scripts import in_script, name_in
from events_app.pages.labels import CATEGORY_NAMES

STATE_NAMES = {
    "pending": N_("Pending"),
    "confirmed": N_("Confirmed"),
    "waitlisted": N_("Waitlisted"),
    "rejected": N_("Rejected"),
    "cancelled": N_("Cancelled"),
}
EVENT_NAMES = {
    "Submitted": N_("Registered"),
    "Approved": N_("Approved"),
    "Waitlisted": N_("Waitlisted"),
    "Promoted": N_("Promoted"),
    "Rejected": N_("Rejected"),
    "Cancelled": N_("Cancelled"),
    "BadgeReissued": N_("Badge reissued"),
    "Corrected": N_("Corrected"),
    "Reinstated": N_("Reinstated"),
    "AnswersChanged": N_("Answers changed"),
    "PersonalDataErased": N_("Personal data erased"),
}


def category_name(code: str) -> str:
    """Return a guest category's name in the page's language (its code if unknown)."""
    return gettext(CATEGORY_NAMES[code]) if code in CATEGORY_NAMES else code


def category_labels() -> dict[str, str]:
    """Return each guest category's name in the page's language, by its code."""
    return {code: gettext(name) for code, name in CATEGORY_NAMES.items()}


def state_name(code: str) -> str:
    """Return a registration state's name in the page's language (its code if unknown)."""
    return gettext(STATE_NAMES[code]) if code in STATE_NAMES else code


def event_name(kind: str) -> str:
    """Return what a recorded event's type means, in the page's language."""
    return gettext(EVENT_NAMES[kind]) if kind in EVENT_NAMES else kind


def in_language(english: str, chinese: str) -> str:
    """Return a name typed in both languages as the page's language shows it."""
    return name_in(current_language(), english, chinese)


def in_page_script(chinese: str) -> str:
    """Return Chinese an organiser typed in the page's script (unchanged on English pages)."""
    return in_script(chinese, current_language())


def chinese_lang() -> str:
    """Return the HTML lang of Chinese text on the page: the page's script, else Traditional."""
    return "zh-Hans" if current_language() == "zh_Hans_CN" else "zh-Hant"


def shown_time(at: datetime, zone: ZoneInfo, *, seconds: bool = False) -> str:
    """Return a moment as the page's language writes it, in the gathering's zone."""
    language = current_language()
    if not seconds:
        return when_text(at, zone.key, language)
    local = at.astimezone(zone)
    separator = SEPARATORS.get(language, ", ")
    return f"{day_text(local, zone.key, language)}{separator}{local:%H:%M:%S}"


def language_url(code: str) -> str:
    """Return this page's address in the language `code` (its query kept, when it has one).

    A page answering a post (a form with its messages) cannot be asked for again, so its
    switch leads to the console's dashboard, or the organisers' home.
    """
    rule = request.url_rule
    if request.method == "GET" or (rule is not None and "GET" in (rule.methods or ())):
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        return f"{request.path}?{urlencode([*args, ('lang', code)])}"
    slug = (request.view_args or {}).get("slug")
    if slug:
        return url_for("console_dashboard.dashboard", slug=slug, lang=code)
    return url_for("organiser.home", lang=code)
