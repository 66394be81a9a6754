"""Documenting error responses in the OpenAPI document, in the shared error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from events_app.api.parsing import Blueprint
from events_app.schemas.common import ErrorSchema

DESCRIPTIONS = {
    400: "malformed request (e.g. invalid JSON)",
    401: "missing, unknown or revoked credential",
    403: "the credential may not do this: its role lacks the operation's `x-permission` "
    "(code `role_forbidden`), or a door device called an organiser endpoint",
    404: "no such gathering, registration, checkpoint or device",
    409: "refused by a rule (e.g. registration closed, e-mail taken, invalid transition)",
    413: "request body too large",
    422: "invalid fields",
    429: "too many requests from this door device or address (code `rate_limited`); "
    "the Retry-After header says after how many seconds to try again",
}


RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before trying again",
        "schema": {"type": "integer", "minimum": 1},
    }
}


def error_docs(bp: Blueprint) -> Callable[..., Callable[[Any], Any]]:
    """Return a decorator factory that documents an endpoint's error responses on `bp`."""

    def errors(*statuses: int) -> Callable[[Any], Any]:
        def decorate(view: Any) -> Any:
            for status in statuses:
                view = bp.alt_response(
                    status,
                    schema=ErrorSchema,
                    description=DESCRIPTIONS[status],
                    headers=RETRY_AFTER if status == 429 else None,
                )(view)
            return view

        return decorate

    return errors
