"""What the showcase lists: its sectors, booth slots and the profiles of exhibiting firms.

Plain values the `Exhibition` aggregate checks and records (as plain data) in its events.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from domain.common import check_text
from domain.errors import InvalidValue

SECTORS = ("life-health", "ai-data", "advanced-manufacturing")
"""The sectors every exhibition starts with; organisers may add others."""
MAX_STAFF_QUOTA = 50


class FirmState(StrEnum):
    """Where an exhibiting firm stands."""

    APPLIED = "applied"
    ALLOCATED = "allocated"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class BoothSlot:
    """A numbered place in the showcase."""

    code: str
    zone: str
    floor: str
    sector: str
    size: str = ""

    def checked(self) -> BoothSlot:
        """Return the slot with its texts trimmed, or raise InvalidValue."""
        code = check_text(self.code, "code", limit=12).upper()
        if not code.replace("-", "").isalnum():
            raise InvalidValue("code may hold only letters, digits and '-'", field="code")
        return BoothSlot(
            code=code,
            zone=check_text(self.zone, "zone", limit=60, required=False),
            floor=check_text(self.floor, "floor", limit=20, required=False),
            sector=check_text(self.sector, "sector", limit=40),
            size=check_text(self.size, "size", limit=20, required=False),
        )


@dataclass(frozen=True)
class FirmProfile:
    """What the showcase says about an exhibiting firm."""

    name_en: str
    name_zh: str
    sector: str
    description: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    staff_quota: int = 3
    extra: dict[str, Any] = field(default_factory=dict)

    def checked(self) -> FirmProfile:
        """Return the profile with its texts trimmed, or raise InvalidValue."""
        if not 0 <= self.staff_quota <= MAX_STAFF_QUOTA:
            raise InvalidValue(
                "staff_quota must be between 0 and %(limit)s",
                field="staff_quota",
                limit=MAX_STAFF_QUOTA,
            )
        if not (self.name_en.strip() or self.name_zh.strip()):
            raise InvalidValue("a firm needs a name in English or Chinese", field="name_en")
        return FirmProfile(
            name_en=check_text(self.name_en, "name_en", required=False),
            name_zh=check_text(self.name_zh, "name_zh", limit=100, required=False),
            sector=check_text(self.sector, "sector", limit=40),
            description=check_text(self.description, "description", limit=1000, required=False),
            contact_name=check_text(self.contact_name, "contact_name", required=False),
            contact_email=check_text(self.contact_email, "contact_email", required=False),
            contact_phone=check_text(self.contact_phone, "contact_phone", limit=40, required=False),
            staff_quota=self.staff_quota,
            extra=dict(self.extra),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the profile as plain data for a domain event."""
        return asdict(self)
