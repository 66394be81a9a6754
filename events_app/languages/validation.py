"""Validation messages of forms and the API, in the request's language.

Marshmallow words its refusals in English ("Longer than maximum length 200."); these are
matched and said again from the catalogues, with their numbers kept.
"""

from __future__ import annotations

import re

from flask_babel import gettext

from domain.common import N_

REQUIRED = N_("This field is required.")
PATTERNS = (
    (re.compile(r"^Missing data for required field\.$"), REQUIRED),
    (re.compile(r"^Field may not be null\.$"), REQUIRED),
    (re.compile(r"^Shorter than minimum length 1\.$"), REQUIRED),
    (re.compile(r"^Longer than maximum length (?P<n>\d+)\.$"), N_("At most %(n)s characters.")),
    (re.compile(r"^Not a valid email address\.$"), N_("This is not a valid e-mail address.")),
    (
        re.compile(r"^must not contain control characters$"),
        N_("Remove the invisible control characters from this field."),
    ),
    (re.compile(r"^not in the expected format$"), N_("This is not in the expected format.")),
    (re.compile(r"^Must be one of: .*\.$"), N_("Choose one of the options.")),
    (re.compile(r"^Not a valid (UUID|integer|string|boolean)\.$"), N_("This value is not valid.")),
    (
        re.compile(r"^consent to the use of your data is required$"),
        N_("Please agree to the use of your details to register."),
    ),
)


def field_message(message: str) -> str:
    """Return a validation message in the request's language (as it is, when unknown)."""
    for pattern, template in PATTERNS:
        found = pattern.match(message)
        if found:
            return gettext(template, **found.groupdict())
    return gettext(message)
