"""Calendar files (RFC 5545) for registration e-mails, written by hand.

One event per file, times in UTC, so every calendar program shows the session at the
right local time without a time-zone block; about forty lines did not justify a new
dependency.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

PRODID = "-//CSCE//Online properties//FR"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(raw, escaped)
    return value


def ics_datetime(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (§3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1  # step back to the start of a multi-byte character
        parts.append(encoded[start:end].decode())
        start, limit = end, 74  # continuation lines begin with one space
    return "\r\n ".join(parts)


def event_ics(*, event: CalendarEvent, now: datetime.datetime | None = None) -> str:
    """The calendar file for one event: CRLF line ends, folded lines."""
    now = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{ics_datetime(now)}",
        f"DTSTART:{ics_datetime(event.starts_at)}",
        f"DTEND:{ics_datetime(event.ends_at)}",
        f"SUMMARY:{ics_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{ics_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{ics_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(ics_fold(line) + "\r\n" for line in lines)
