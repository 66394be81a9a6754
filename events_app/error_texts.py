"""What the API and the error pages say, in the request's language.

Without a language asked for, werkzeug's and marshmallow's English is kept exactly.
"""

from __future__ import annotations

from html import escape

from flask_babel import gettext

from domain.common import N_
from events_app.languages import current_language
from events_app.languages.tags import DEFAULT, html_lang
from events_app.languages.validation import field_message
from events_app.read_models.consistency import ReadModelBehind

HTTP_MESSAGES = {
    400: N_("The browser (or proxy) sent a request that this server could not understand."),
    401: N_(
        "The server could not verify that you are authorized to access the URL requested. "
        "You either supplied the wrong credentials (e.g. a bad password), or your browser "
        "doesn't understand how to supply the credentials required."
    ),
    403: N_(
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    ),
    404: N_(
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again."
    ),
    405: N_("The method is not allowed for the requested URL."),
    409: N_(
        "A conflict happened while processing the request. The resource might have been "
        "modified while the request was being processed."
    ),
    413: N_("The data value transmitted exceeds the capacity limit."),
    415: N_("The server does not support the media type transmitted in the request."),
    422: N_("The request was well-formed but was unable to be followed due to semantic errors."),
    429: N_("This user has exceeded an allotted request count. Try again later."),
    500: N_(
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    ),
    503: N_(
        "The server is temporarily unable to service your request due to maintenance downtime "
        "or capacity problems. Please try again later."
    ),
}
"""What each status says when nothing more is known (werkzeug's English, translated)."""


def validation_text(message: str) -> str:
    """Return a validation message in the request's language (English ones exactly as given)."""
    return message if current_language() == DEFAULT else field_message(message)


def behind_text(error: ReadModelBehind) -> str:
    """Return why a read answers 503, in the request's language (English exactly as raised)."""
    if current_language() == DEFAULT:
        return str(error)
    return gettext(
        "your change is recorded but not yet shown: the read models are at event "
        "%(reached)s of %(needed)s; try again in %(seconds)s s",
        reached=error.reached,
        needed=error.needed,
        seconds=error.retry_after,
    )


def behind_page(error: ReadModelBehind) -> str:
    """Return the page that says a change is saved and reloads once it shows."""
    seconds = error.retry_after
    title = escape(gettext("One moment"))
    said = gettext(
        "Your change is saved. The lists are catching up with a busy moment; "
        "this page reloads in %(seconds)s s.",
        seconds=seconds,
    )
    return (
        f'<!doctype html><html lang="{html_lang(current_language())}"><head>'
        f'<meta charset="utf-8"><meta http-equiv="refresh" content="{seconds}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f"<p>{escape(said)}</p></main></body></html>"
    )
