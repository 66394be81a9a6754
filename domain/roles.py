"""Organiser roles and what each may do: the one table every entry point asks."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from domain.errors import InvalidValue


class Permission(StrEnum):
    """One kind of action a signed-in person or a token may take."""

    VIEW = "view"
    """Read dashboards, guest lists, counts and history."""
    VIEW_DOCUMENTS = "view_documents"
    """Download the programme, badges, agreements and certificates."""
    CHECK_IN = "check_in"
    """Check guests in by hand and register walk-ins at the door."""
    MANAGE_DEVICES = "manage_devices"
    """Enrol and revoke door devices, issue staff codes, set checkpoints."""
    MANAGE_REGISTRATIONS = "manage_registrations"
    """Approve, reject, correct, cancel registrations; invite guests; send their mail."""
    EXPORT_PERSONAL_DATA = "export_personal_data"
    """Download guest lists with personal data (CSV)."""
    PLAN = "plan"
    """Change the gathering, its categories and questions, ceremonies, running order, showcase."""
    PRINT = "print"
    """Run badge prints and batch documents that are recorded as printed."""
    MANAGE_ACCOUNTS = "manage_accounts"
    """Open and close accounts, grant and remove roles, issue organiser tokens."""
    ERASE_PERSONAL_DATA = "erase_personal_data"
    """Erase a guest's personal data for good (their events stay, reading "erased")."""
    MAINTAIN = "maintain"
    """Upkeep of the machine: rebuild read models, run the mail sender, load the demo."""


class Role(StrEnum):
    """A set of permissions given to an account or a token, for one gathering or all."""

    OWNER = "owner"
    ORGANISER = "organiser"
    DOOR_SUPERVISOR = "door_supervisor"
    VIEWER = "viewer"


OWNERS_ONLY = frozenset(
    {Permission.MANAGE_ACCOUNTS, Permission.MAINTAIN, Permission.ERASE_PERSONAL_DATA}
)
"""What only owners may do."""

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.ORGANISER: frozenset(Permission) - OWNERS_ONLY,
    Role.DOOR_SUPERVISOR: frozenset(
        {Permission.VIEW, Permission.CHECK_IN, Permission.MANAGE_DEVICES}
    ),
    Role.VIEWER: frozenset({Permission.VIEW, Permission.VIEW_DOCUMENTS}),
}
"""What each role may do."""

GLOBAL_ONLY = frozenset({Role.OWNER})
"""Roles that cannot be limited to one gathering (accounts span every gathering)."""


def parse_role(value: str) -> Role:
    """Return the role named `value`, or raise InvalidValue naming the field `role`."""
    try:
        return Role(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise InvalidValue(
            "role must be one of %(roles)s", field="role", roles=", ".join(Role)
        ) from None


def allows(role: Role, permission: Permission) -> bool:
    """Tell whether `role` includes `permission`."""
    return permission in PERMISSIONS[role]


class Grant(NamedTuple):
    """One role given to an account or a token: for one gathering (its slug) or all (None)."""

    role: Role
    gathering: str | None


def check_grant(role: Role, gathering: str | None) -> Grant:
    """Return the grant, or raise InvalidValue when a global-only role names a gathering."""
    if gathering is not None and role in GLOBAL_ONLY:
        raise InvalidValue(
            "the role %(role)s is for every gathering, not one", field="gathering", role=role
        )
    return Grant(role, gathering)


ANY_GATHERING = "*"
"""Asked for a page that names no gathering but serves every role (the list of gatherings)."""


def grants_allow(grants: frozenset[Grant], permission: Permission, gathering: str | None) -> bool:
    """Tell whether some grant gives `permission` for `gathering` (None: every gathering)."""
    return any(
        allows(grant.role, permission)
        and (gathering == ANY_GATHERING or grant.gathering in (None, gathering))
        for grant in grants
    )


def in_order(grants: frozenset[Grant]) -> list[Grant]:
    """Return grants strongest role first, every-gathering grants before one gathering's."""
    return sorted(grants, key=lambda grant: (list(Role).index(grant.role), grant.gathering or ""))
