"""How the pages name roles and permissions, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext

from domain.common import N_
from domain.roles import Permission, Role

ROLE_LABELS = {
    Role.OWNER: N_("Owner"),
    Role.ORGANISER: N_("Organiser"),
    Role.DOOR_SUPERVISOR: N_("Door supervisor"),
    Role.VIEWER: N_("Viewer"),
}
"""Each role's name on the pages (console messages)."""

PERMISSION_LABELS = {
    Permission.VIEW: N_("read dashboards, lists and history"),
    Permission.VIEW_DOCUMENTS: N_("download programmes, badges and other documents"),
    Permission.CHECK_IN: N_("check guests in at the door"),
    Permission.MANAGE_DEVICES: N_("manage door devices and checkpoints"),
    Permission.MANAGE_REGISTRATIONS: N_("approve, reject, correct and cancel registrations"),
    Permission.EXPORT_PERSONAL_DATA: N_("export guests' personal data"),
    Permission.PLAN: N_("plan the gathering"),
    Permission.PRINT: N_("run badge prints"),
    Permission.MANAGE_ACCOUNTS: N_("manage accounts and roles"),
    Permission.MAINTAIN: N_("look after the system (read models, mail sender, demo data)"),
    Permission.ERASE_PERSONAL_DATA: N_("erase guests' personal data"),
}
"""What each permission lets one do, as the refusal page words it (console messages)."""


def role_label(role: str) -> str:
    """Return a role's name in the reader's language."""
    return gettext(ROLE_LABELS[Role(role)])


def permission_label(permission: Permission) -> str:
    """Return what a permission lets one do, in the reader's language."""
    return gettext(PERMISSION_LABELS[permission])
