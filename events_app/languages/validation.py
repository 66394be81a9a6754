"""Validation messages of forms and the API, in the request's language.

Marshmallow words its refusals in English ("Longer than maximum length 200."); these are
matched and said again from the catalogues, with their numbers kept.
"""

from __future__ import annotations

import re

from flask_babel import gettext

from domain.common import N_

REQUIRED = N_("This field is required.")
BOUND = "(?:greater|less) than(?: or equal to)?"
BOUND_TAIL = "than (?:or equal to )?"
PATTERNS = (
    (re.compile(r"^Missing data for required field\.$"), REQUIRED),
    (re.compile(r"^Field may not be null\.$"), REQUIRED),
    (re.compile(r"^Shorter than minimum length 1\.$"), REQUIRED),
    (re.compile(r"^Shorter than minimum length (?P<n>\d+)\.$"), N_("At least %(n)s characters.")),
    (re.compile(r"^Longer than maximum length (?P<n>\d+)\.$"), N_("At most %(n)s characters.")),
    (
        re.compile(r"^Length must be between 1 and (?P<max>\d+)\.$"),
        N_("Required, at most %(max)s characters."),
    ),
    (
        re.compile(r"^Length must be between (?P<min>\d+) and (?P<max>\d+)\.$"),
        N_("Between %(min)s and %(max)s characters."),
    ),
    (re.compile(r"^Length must be (?P<n>\d+)\.$"), N_("Exactly %(n)s characters.")),
    (
        re.compile(rf"^Must be {BOUND} (?P<min>\S+) and {BOUND} (?P<max>\S+)\.$"),
        N_("A number from %(min)s to %(max)s."),
    ),
    (re.compile(rf"^Must be greater {BOUND_TAIL}(?P<min>\S+)\.$"), N_("At least %(min)s.")),
    (re.compile(rf"^Must be less {BOUND_TAIL}(?P<max>\S+)\.$"), N_("At most %(max)s.")),
    (re.compile(r"^Number too large\.$"), N_("This number is too large.")),
    (re.compile(r"^Not a valid (date|datetime)\.$"), N_("This is not a valid date.")),
    (re.compile(r"^Unknown field\.$"), N_("This field is not expected here.")),
    (re.compile(r"^Not a valid email address\.$"), N_("This is not a valid e-mail address.")),
    (
        re.compile(r"^must not contain control characters$"),
        N_("Remove the invisible control characters from this field."),
    ),
    (re.compile(r"^not in the expected format$"), N_("This is not in the expected format.")),
    (re.compile(r"^Must be one of: .*\.$"), N_("Choose one of the options.")),
    (
        re.compile(r"^String does not match expected pattern\.$"),
        N_("This is not in the expected format."),
    ),
    (re.compile(r"^One or more of the choices you made was"), N_("Choose one of the options.")),
    (re.compile(r"^Not a valid .*\.$"), N_("This value is not valid.")),
    (re.compile(r"^Must be equal to "), N_("This value is not valid.")),
    (re.compile(r"^.+ cannot be formatted as "), N_("This value is not valid.")),
    (
        re.compile(r"^(Invalid (type|value|input|input type)|Special numeric values .*)\.$"),
        N_("This value is not valid."),
    ),
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
