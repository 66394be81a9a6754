"""Every role and permission has its words for the pages (a refusal page names them)."""

from __future__ import annotations

from domain.roles import Permission, Role
from events_app.pages.role_labels import PERMISSION_LABELS, ROLE_LABELS


def test_every_permission_and_role_has_a_label() -> None:
    assert set(PERMISSION_LABELS) == set(Permission)
    assert set(ROLE_LABELS) == set(Role)
