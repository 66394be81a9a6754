"""A gathering's plan as printed: the plan at one moment, and its mapping to printing's data.

Times are given in the gathering's time zone, in English and Chinese; the version text
names the latest event the plan includes and how many plan events led up to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.ceremony import Ceremony, CeremonyState
from domain.errors import NotFound
from domain.exhibition import Exhibition, FirmState
from domain.gathering import Gathering
from domain.running_order import RunningOrder
from printing.documents import (
    AgendaEntry,
    Authority,
    BoothSlot,
    CeremonyData,
    CeremonyItemData,
    Exhibitor,
    Occasion,
    Person,
    ProgrammeData,
    Sector,
    StageSheetData,
)
from printing.programme import SECTORS
from printing.wording import Wording

PLACED = (FirmState.ALLOCATED.value, FirmState.CONFIRMED.value)
WEEKDAYS_ZH = "一二三四五六日"


@dataclass(frozen=True)
class Plan:
    """The plan of a gathering as of one moment, with the version it represents."""

    gathering: Gathering
    running_order: RunningOrder | None
    exhibition: Exhibition | None
    ceremonies: list[Ceremony]
    latest: datetime
    version: int

    @property
    def zone(self) -> ZoneInfo:
        """Return the gathering's time zone."""
        return ZoneInfo(self.gathering.timezone)

    def ceremony(self, ceremony_id: UUID) -> Ceremony:
        """Return one ceremony of the plan, or raise NotFound."""
        for ceremony in self.ceremonies:
            if ceremony.id == ceremony_id:
                return ceremony
        raise NotFound("no such ceremony in this gathering (at that time)", field="ceremony_id")


def utc_offset(moment: datetime) -> str:
    """Return "UTC+8" (or "UTC+5:30", "UTC") for an aware moment."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def date_en(moment: datetime) -> str:
    """Return "Monday 2 March 2026"."""
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def date_zh(moment: datetime) -> str:
    """Return "2026年3月2日（星期一）"."""
    return f"{moment.year}年{moment.month}月{moment.day}日（星期{WEEKDAYS_ZH[moment.weekday()]}）"


def version_text(plan: Plan) -> str:
    """Return the version of the plan shown, e.g. "1 March 2026, 18:00 (UTC+8) · v14"."""
    local = plan.latest.astimezone(plan.zone)
    seconds = f":{local:%S}" if local.second else ""
    return (
        f"{local.day} {local:%B %Y}, {local:%H:%M}{seconds} ({utc_offset(local)}) · v{plan.version}"
    )


def occasion(plan: Plan) -> Occasion:
    """Return the gathering as printed."""
    gathering = plan.gathering
    starts = gathering.starts_at.astimezone(plan.zone)
    return Occasion(
        title_en=gathering.title_en,
        title_zh=gathering.title_zh,
        date_en=date_en(starts),
        date_zh=date_zh(starts),
        venue_en=gathering.venue,
        venue_zh=gathering.venue_zh,
    )


def person(raw: dict[str, Any]) -> Person:
    """Return a ceremony's person (plain event data) as printed."""
    return Person(
        name_en=str(raw.get("name_en", "")),
        name_zh=str(raw.get("name_zh", "")),
        title=str(raw.get("title", "")),
        organisation=str(raw.get("organisation", "")),
        organisation_zh=str(raw.get("organisation_zh", "")),
    )


def signatory(raw: dict[str, Any]) -> Person:
    """Return an authority's signatory (plain event data) as printed: title_zh beside an English."""
    title_en, title_zh = str(raw.get("title_en", "")), str(raw.get("title_zh", ""))
    return Person(
        name_en=str(raw.get("name_en", "")),
        name_zh=str(raw.get("name_zh", "")),
        title=title_en or title_zh,
        title_zh=title_zh if title_en else "",
    )


def authority(raw: dict[str, Any]) -> Authority:
    """Return an issuing authority (plain event data) as printed."""
    return Authority(
        name_en=str(raw.get("name_en", "")),
        name_zh=str(raw.get("name_zh", "")),
        signatory=signatory(raw.get("signatory") or {}),
        seal=bool(raw.get("seal", False)),
    )


def is_draft(ceremony: Ceremony) -> bool:
    """Tell whether a ceremony's documents are not approved yet (it is still planned)."""
    return ceremony.state is CeremonyState.PLANNED


def item_data(plan: Plan, item: dict[str, Any]) -> CeremonyItemData:
    """Return a ceremony item as printed (time and notes from its extra data).

    Presenters were once meant to come in the extra data; an item has its own now.
    """
    extra = item.get("extra") or {}
    presenters = item.get("presenters") or extra.get("presenters")
    return CeremonyItemData(
        reference=item["reference"],
        title_en=item["title_en"],
        title_zh=item["title_zh"],
        parties=tuple(item["parties"]),
        people=tuple(person(p) for p in item["people"]),
        clauses=tuple(item["clauses"]),
        presenters=tuple(
            person(p)
            for p in (presenters if isinstance(presenters, list) else [])
            if isinstance(p, dict)
        ),
        time=str(extra.get("time", "")),
        notes=str(extra.get("notes", "")),
        authorities=tuple(authority(a) for a in item.get("authorities") or []),
    )


def ceremony_data(plan: Plan, ceremony: Ceremony) -> CeremonyData:
    """Return a ceremony with its items as printed."""
    return CeremonyData(
        kind=ceremony.kind.value,
        title_en=ceremony.title_en,
        title_zh=ceremony.title_zh,
        starts=f"{ceremony.starts_at.astimezone(plan.zone):%H:%M}",
        location=ceremony.location,
        items=tuple(item_data(plan, item) for item in ceremony.items),
        draft=is_draft(ceremony),
    )


def agenda(plan: Plan) -> tuple[AgendaEntry, ...]:
    """Return the running order as printed, by start time."""
    if plan.running_order is None:
        return ()
    return tuple(
        AgendaEntry(
            starts=f"{item['starts_at'].astimezone(plan.zone):%H:%M}",
            ends=f"{item['ends_at'].astimezone(plan.zone):%H:%M}",
            title_en=item["title_en"],
            title_zh=item["title_zh"],
            location=item["location"],
            speaker=item["speaker_name"],
            kind=item["kind"],
            notes=item["notes"],
        )
        for item in plan.running_order.in_order()
    )


def programme_data(plan: Plan, wording: Wording) -> ProgrammeData:
    """Return everything the programme shows, as of the plan's version, in these words."""
    exhibition = plan.exhibition
    firms = [f for f in exhibition.firms.values() if f["state"] in PLACED] if exhibition else []
    slots = exhibition.slots.values() if exhibition else []
    sectors = exhibition.sectors if exhibition else []
    ceremonies = tuple(ceremony_data(plan, c) for c in held(plan.ceremonies))
    return ProgrammeData(
        occasion=occasion(plan),
        as_of=version_text(plan),
        agenda=agenda(plan),
        ceremonies=ceremonies,
        draft=any(c.draft for c in ceremonies),
        exhibitors=tuple(
            Exhibitor(
                name_en=firm["name_en"],
                name_zh=firm["name_zh"],
                sector=firm["sector"],
                booth=firm["slot"] or "",
                description=firm["description"],
            )
            for firm in sorted(firms, key=lambda f: (f["name_en"].casefold(), f["name_zh"]))
        ),
        slots=tuple(
            BoothSlot(
                code=slot["code"],
                zone=slot["zone"],
                floor=slot["floor"],
                sector=slot["sector"],
                size=slot["size"],
            )
            for slot in slots
        ),
        sectors=tuple(
            Sector(key, key.replace("-", " ").capitalize()) for key in sectors if key not in SECTORS
        ),
        wording=wording,
    )


def stage_sheet_data(plan: Plan, wording: Wording) -> StageSheetData:
    """Return the stage sheet's data: the ceremonies held, a draft while any is not approved."""
    ceremonies = tuple(ceremony_data(plan, c) for c in held(plan.ceremonies))
    return StageSheetData(
        occasion=occasion(plan),
        as_of=version_text(plan),
        ceremonies=ceremonies,
        draft=any(c.draft for c in ceremonies),
        wording=wording,
    )


def held(ceremonies: list[Ceremony]) -> Iterator[Ceremony]:
    """Return the ceremonies that were not withdrawn."""
    return (c for c in ceremonies if c.state is not CeremonyState.WITHDRAWN)
