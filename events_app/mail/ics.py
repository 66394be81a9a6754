"""An iCalendar (RFC 5545) entry for a gathering, written by hand: one VEVENT and its zone.

Times are given in the gathering's own zone (DTSTART;TZID=...) with a VTIMEZONE that lists
the zone's offsets around the event, so calendars show the right local time wherever the
guest is. Content lines end in CRLF and are folded at 75 octets without splitting a
UTF-8 character; TEXT values escape backslashes, semicolons, commas and newlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

PRODID = "-//launch-events//Guest mail//EN"
LINE_OCTETS = 75
WINDOW = timedelta(days=400)
"""How far before and after the event the VTIMEZONE describes the zone's offsets."""
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu"})


@dataclass(frozen=True)
class CalendarEvent:
    """What the calendar entry says."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    summary: str
    location: str
    description: str
    url: str
    stamp: datetime


def calendar(entry: CalendarEvent) -> bytes:
    """Return the .ics file of one event (METHOD:PUBLISH), UTF-8 with CRLF line ends."""
    zone = ZoneInfo(entry.timezone)
    in_utc = entry.timezone in UTC_NAMES
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if not in_utc:
        lines += vtimezone(zone, entry.timezone, entry.starts_at)
    lines += [
        "BEGIN:VEVENT",
        f"UID:{escape_text(entry.uid)}",
        f"DTSTAMP:{utc_stamp(entry.stamp)}",
        _time_line("DTSTART", entry.starts_at, entry.timezone, zone, in_utc),
        _time_line("DTEND", entry.ends_at, entry.timezone, zone, in_utc),
        f"SUMMARY:{escape_text(entry.summary)}",
        f"LOCATION:{escape_text(entry.location)}",
        f"DESCRIPTION:{escape_text(entry.description)}",
        f"URL:{entry.url}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return b"".join(fold(line) for line in lines)


def _time_line(name: str, moment: datetime, key: str, zone: ZoneInfo, in_utc: bool) -> str:
    if in_utc:
        return f"{name}:{utc_stamp(moment)}"
    local = moment.astimezone(zone)
    return f"{name};TZID={_param(key)}:{local:%Y%m%dT%H%M%S}"


def utc_stamp(moment: datetime) -> str:
    """Return a DATE-TIME in UTC form, e.g. 20260302T013000Z."""
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _param(value: str) -> str:
    """Quote a parameter value that holds a character with a meaning in content lines."""
    return f'"{value}"' if any(c in value for c in ":;,") else value


def fold(line: str) -> bytes:
    """Return one content line, folded at 75 octets, ending in CRLF (RFC 5545 3.1)."""
    data = line.encode()
    pieces = []
    start = 0
    limit = LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while end > start and (data[end] & 0xC0) == 0x80:  # inside a UTF-8 character
            end -= 1
        pieces.append(data[start:end])
        start = end
        limit = LINE_OCTETS - 1  # a continuation line starts with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


def vtimezone(zone: ZoneInfo, key: str, around: datetime) -> list[str]:
    """Return a VTIMEZONE with every offset the zone has from a year before to after `around`."""
    start = (around.astimezone(UTC) - WINDOW).replace(hour=0, minute=0, second=0, microsecond=0)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{key}"]
    first = start.astimezone(zone)
    lines += _observance(first, first.utcoffset(), first)
    for moment in transitions(zone, start, around.astimezone(UTC) + WINDOW):
        before = (moment - timedelta(seconds=1)).astimezone(zone).utcoffset()
        lines += _observance(moment.astimezone(zone), before, moment.astimezone(zone))
    lines.append("END:VTIMEZONE")
    return lines


def _observance(onset: datetime, offset_from: timedelta | None, local: datetime) -> list[str]:
    """Return one STANDARD or DAYLIGHT block: the offset in force from `onset` on."""
    kind = "DAYLIGHT" if local.dst() else "STANDARD"
    offset_from = offset_from or timedelta(0)
    offset_to = local.utcoffset() or timedelta(0)
    # DTSTART is the onset in the local time that was in force before it (RFC 5545 3.6.5).
    wall = onset.astimezone(UTC).replace(tzinfo=None) + offset_from
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{wall:%Y%m%dT%H%M%S}",
        f"TZOFFSETFROM:{utc_offset(offset_from)}",
        f"TZOFFSETTO:{utc_offset(offset_to)}",
        f"TZNAME:{escape_text(local.tzname() or utc_offset(offset_to))}",
        f"END:{kind}",
    ]


def utc_offset(offset: timedelta) -> str:
    """Return a UTC-OFFSET value, e.g. +0800 or -0330."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """Return the UTC instants in [start, end] at which the zone's offset changes."""
    found = []
    step = timedelta(days=1)
    moment = start
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + step
        next_offset = following.astimezone(zone).utcoffset()
        if next_offset != offset:
            low, high = moment, following  # offset(low) != offset(high): bisect to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append(high)
        moment, offset = following, next_offset
    return found
