"""Who may do what: the one check the console, the API and the CLI ask before acting.

An actor is a signed-in account, an organiser token, or the machine's operator (the CLI
run without `--account`, who may do everything, as before roles existed). Each entry
point names the Permission an action needs and the gathering it acts on (its slug, None
for actions that span every gathering, ANY_GATHERING for pages every role may open).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from domain.credential import OrganiserCredential
from domain.door_device import DoorDevice
from domain.errors import NotFound, RoleForbidden
from domain.organiser_account import OrganiserAccount
from domain.registration import Registration
from domain.roles import Permission, Role
from events_app.services.box_office import BoxOffice


@dataclass(frozen=True)
class Operator:
    """The person at the machine running the CLI without an account: an owner."""

    label: str = "cli"

    def may(self, permission: Permission, gathering: str | None) -> bool:
        """Tell that the operator may do everything."""
        return True


Actor = OrganiserAccount | OrganiserCredential | Operator
"""Someone an entry point acts for."""

OPERATOR = Operator()


def may(actor: Actor | None, permission: Permission, gathering: str | None = None) -> bool:
    """Tell whether `actor` may take actions needing `permission` on `gathering`."""
    return actor is not None and actor.may(permission, gathering)


def require(actor: Actor | None, permission: Permission, gathering: str | None = None) -> None:
    """Raise RoleForbidden (403 `role_forbidden`) unless `actor` has `permission`."""
    if not may(actor, permission, gathering):
        raise RoleForbidden(
            "your role does not give the permission %(permission)s",
            field="permission",
            permission=permission.value,
        )


def is_owner(actor: Actor | None) -> bool:
    """Tell whether `actor` is an owner (the operator, an owner account or owner token)."""
    if isinstance(actor, Operator):
        return True
    if isinstance(actor, OrganiserAccount):
        return actor.is_owner
    return isinstance(actor, OrganiserCredential) and actor.grant.role == Role.OWNER


def require_grantable(actor: Actor | None, role: Role, gathering: str | None) -> None:
    """Refuse a grant (or removal) the actor may not make: only owners, owner only by owners."""
    require(actor, Permission.MANAGE_ACCOUNTS, gathering)
    if role == Role.OWNER and not is_owner(actor):
        raise RoleForbidden(
            "only an owner may grant or remove the role %(role)s", field="role", role=role.value
        )


def gathering_of(box_office: BoxOffice, view_args: Mapping[str, Any]) -> str | None:
    """Return the slug of the gathering a request acts on, from its URL (None: not one)."""
    if isinstance(view_args.get("slug"), str):
        return str(view_args["slug"])
    kinds = (("registration_id", Registration, "registration"), ("device_id", DoorDevice, "device"))
    for key, kind, what in kinds:
        if view_args.get(key) is not None:
            try:
                found = box_office.load(kind, UUID(str(view_args[key])), what)
                return box_office.gathering_by_id(found.gathering_id).slug
            except (NotFound, ValueError):
                return None
    return None


PUBLIC = "public"
"""The access of a route anyone may use (guests' pages, sign-in, a device's enrolment)."""
DEVICE = "device"
"""The access of a route only an enrolled door device may use."""
V = TypeVar("V", bound=Callable[..., Any])


def public(view: V) -> V:
    """Declare that a route needs no role (a guest's page or call, the sign-in form)."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def declared_access(view: Callable[..., Any]) -> Permission | str | None:
    """Return the permission a route declared, PUBLIC or DEVICE, or None if it declared none."""
    return getattr(view, "permission", None) or getattr(view, "access", None)
