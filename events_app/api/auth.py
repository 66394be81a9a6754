"""Bearer-token authentication for the API: organisers and door devices."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request

from domain.common import N_
from domain.door_device import DoorDevice
from events_app.context import services
from events_app.errors import ApiError
from events_app.services.devices import TOKEN_PREFIX

F = TypeVar("F", bound=Callable[..., Any])
SECURITY = [{"organiserToken": []}]
DEVICE_SECURITY = [{"deviceToken": []}]
EITHER_SECURITY = [*SECURITY, *DEVICE_SECURITY]


def bearer_token() -> str:
    """Return the request's bearer token, or raise 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", N_("a bearer token is required"))
    return token.strip()


def organiser_required(view: F) -> F:
    """Let the view run only for a request with an active organiser token."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = bearer_token()
        if token.startswith(TOKEN_PREFIX):
            raise ApiError(403, "forbidden", N_("door devices may only scan and look up guests"))
        credential = services().box_office.authenticate_organiser(token)
        if credential is None:
            raise ApiError(401, "invalid_credential", N_("the token is unknown or revoked"))
        g.actor = credential.label
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def device_required(view: F) -> F:
    """Let the view run only for a request with an enrolled, unrevoked door device token."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        device = services().devices.authenticate(bearer_token())
        if device is None:
            raise ApiError(401, "invalid_credential", N_("the device token is unknown"))
        g.device = device
        g.actor = device.label
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def organiser_or_device_required(view: F) -> F:
    """Let the view run for an organiser or a door device (the view checks its gathering)."""
    as_device = device_required(view)
    as_organiser = organiser_required(view)

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if bearer_token().startswith(TOKEN_PREFIX):
            return as_device(*args, **kwargs)
        return as_organiser(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def current_actor() -> str:
    """Return who is acting in this request."""
    return str(g.get("actor", "guest"))


def current_device() -> DoorDevice:
    """Return the door device making this request."""
    return g.device  # type: ignore[no-any-return]


def requesting_device() -> DoorDevice | None:
    """Return the door device making this request, or None when an organiser makes it."""
    return g.get("device")
