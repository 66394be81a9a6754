"""Bearer-token authentication for the API: organisers and door devices."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request
from flask_smorest import Blueprint

from domain.common import N_
from domain.door_device import DoorDevice
from domain.roles import Permission
from events_app.context import services
from events_app.errors import ApiError
from events_app.schemas.common import ErrorSchema
from events_app.services.authorisation import DEVICE, gathering_of, require
from events_app.services.devices import TOKEN_PREFIX, TokenRefused

F = TypeVar("F", bound=Callable[..., Any])
SECURITY = [{"organiserToken": []}]
DEVICE_SECURITY = [{"deviceToken": []}]
EITHER_SECURITY = [*SECURITY, *DEVICE_SECURITY]
UNKNOWN_DEVICE = N_("the device token is unknown")


def bearer_token() -> str:
    """Return the request's bearer token, or raise 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", N_("a bearer token is required"))
    return token.strip()


PERMISSION_KEY = "x-permission"
"""Where the OpenAPI document names the permission an organiser operation needs."""
REFUSED = "the token's role does not give the permission this operation needs (`role_forbidden`)"
_DOCS = Blueprint("permission-docs", __name__)  # only to document; never registered


def declare_permission(view: F, permission: Permission) -> F:
    """Mark `view` with the permission it needs, for the route check and the OpenAPI doc."""
    documented = Blueprint.doc(**{PERMISSION_KEY: permission.value})(view)
    responses = documented._apidoc.get("response", {}).get("responses", {})  # type: ignore[attr-defined]
    if 403 not in responses:
        documented = _DOCS.alt_response(403, schema=ErrorSchema, description=REFUSED)(documented)
    documented.permission = permission  # type: ignore[attr-defined]
    return documented  # type: ignore[no-any-return]


def organiser_required(permission: Permission) -> Callable[[F], F]:
    """Let the view run only for an active organiser token whose role gives `permission`.

    Used bare (`@organiser_required`, as before roles), the view declares no permission,
    so the permission matrix test names it, and meanwhile only owners may use it.
    """
    if not isinstance(permission, Permission):
        return guarded(permission, Permission.MANAGE_ACCOUNTS)  # type: ignore[return-value]

    def decorate(view: F) -> F:
        return declare_permission(guarded(view, permission), permission)

    return decorate


def guarded(view: F, permission: Permission) -> F:
    """Return `view` behind the organiser token check for `permission`."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = bearer_token()
        if token.startswith(TOKEN_PREFIX):
            raise ApiError(403, "forbidden", N_("door devices may only scan and look up guests"))
        credential = services().box_office.authenticate_organiser(token)
        if credential is None:
            raise ApiError(401, "invalid_credential", N_("the token is unknown or revoked"))
        require(
            credential, permission, gathering_of(services().box_office, request.view_args or {})
        )
        g.actor = credential.label
        g.credential = credential
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def device_required(view: F) -> F:
    """Let the view run only for a request with an enrolled, unrevoked door device token."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        let_in(services().devices.authenticate(bearer_token()))
        return view(*args, **kwargs)

    wrapped.access = DEVICE  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def scanning_device_required(view: F) -> F:
    """Like `device_required`, for views that scan through CheckIn, which confirms the device.

    The process's copy of the device lets the request in without a query; the scan's own
    read brings the device up to date and refuses it if it was revoked meanwhile, with the
    same errors (a process without a copy reads the device first, as `device_required`).
    """

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        let_in(services().devices.authenticate_kept(bearer_token()))
        try:
            return view(*args, **kwargs)
        except TokenRefused:
            raise ApiError(401, "invalid_credential", UNKNOWN_DEVICE) from None

    wrapped.access = DEVICE  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]


def let_in(device: DoorDevice | None) -> None:
    """Make `device` the request's device and actor, or raise 401 if there is none."""
    if device is None:
        raise ApiError(401, "invalid_credential", UNKNOWN_DEVICE)
    g.device = device
    g.actor = device.label


def organiser_or_device_required(permission: Permission) -> Callable[[F], F]:
    """Let the view run for a door device or an organiser with `permission`.

    The view checks the device's gathering.
    """

    def decorate(view: F) -> F:
        as_device = device_required(view)
        as_organiser = organiser_required(permission)(view)

        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if bearer_token().startswith(TOKEN_PREFIX):
                return as_device(*args, **kwargs)
            return as_organiser(*args, **kwargs)

        return declare_permission(wrapped, permission)  # type: ignore[arg-type]

    return decorate


def current_actor() -> str:
    """Return who is acting in this request."""
    return str(g.get("actor", "guest"))


def current_device() -> DoorDevice:
    """Return the door device making this request."""
    return g.device  # type: ignore[no-any-return]


def requesting_device() -> DoorDevice | None:
    """Return the door device making this request, or None when an organiser makes it."""
    return g.get("device")
