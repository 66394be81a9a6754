"""What the guest pages show of a gathering and a firm, in the page's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.gathering import Gathering
from events_app.languages import current_language
from events_app.languages.scripts import in_script, name_in


def localtime(value: datetime, timezone: str) -> str:
    """Return a time as people at the venue read it, e.g. 2026-03-02 10:00 (Asia/Shanghai)."""
    return f"{value.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({timezone})"


def gathering_title(gathering: Gathering) -> str:
    """Return the gathering's title in the page's language (Chinese in the page's script)."""
    return name_in(current_language(), gathering.title_en, gathering.title_zh)


def gathering_venue(gathering: Gathering) -> str:
    """Return the gathering's venue in the page's language (Chinese in the page's script)."""
    return name_in(current_language(), gathering.venue, gathering.venue_zh)


def firm_name(firm: dict[str, Any]) -> str:
    """Return a firm's name as the page's language reads it best."""
    language = current_language()
    zh = in_script(firm.get("name_zh") or "", language)
    en = firm.get("name_en") or ""
    names = [en, zh] if language == "en" else [zh, en]
    return " ".join(n for n in names if n)
