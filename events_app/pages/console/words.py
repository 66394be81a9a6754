"""The console's shared words: categories, states, event names, names and times per language.

Every word is a message of the console catalogue; what people typed (a checkpoint's or a
gathering's English and Chinese names) is shown in the page's language, the Chinese in
the page's script, falling back to the English when there is no Chinese.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request, url_for
from flask_babel import gettext

from events_app.languages import current_language
from events_app.languages.scripts import in_script, name_in
from events_app.pages.labels import CATEGORY_NAMES
from events_app.pages.record_words import EVENT_NAMES as EVENT_NAMES
from events_app.pages.record_words import STATE_NAMES as STATE_NAMES
from events_app.pages.record_words import category_name as category_name
from events_app.pages.record_words import event_name as event_name
from events_app.pages.record_words import shown_time as shown_time
from events_app.pages.record_words import state_name as state_name


def category_labels() -> dict[str, str]:
    """Return each guest category's name in the page's language, by its code."""
    return {code: gettext(name) for code, name in CATEGORY_NAMES.items()}


def in_language(english: str, chinese: str) -> str:
    """Return a name typed in both languages as the page's language shows it."""
    return name_in(current_language(), english, chinese)


def in_page_script(chinese: str) -> str:
    """Return Chinese an organiser typed in the page's script (unchanged on English pages)."""
    return in_script(chinese, current_language())


def chinese_lang() -> str:
    """Return the HTML lang of Chinese text on the page: the page's script, else Traditional."""
    return "zh-Hans" if current_language() == "zh_Hans_CN" else "zh-Hant"


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
