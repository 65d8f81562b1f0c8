"""iCalendar files (RFC 5545) of the council's events and meetings, built with `icalendar`."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT: what a meeting or a seminar puts in a person's calendar."""

    key: str  # unique and stable per record, e.g. "event-12"
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    stamp: dt.datetime
    location: str = ""
    url: str = ""
    description: str = ""


def _uid(key: str) -> str:
    host = urlsplit(settings.RENKEI["BASE_URL"]).hostname or "renkei.invalid"
    return f"{key}@{host}"


def calendar_bytes(entries: Iterable[CalendarEntry], *, name: str) -> bytes:
    """Return a VCALENDAR of the entries (times in UTC, so no time zone table is needed)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Renkei//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = CalendarEvent()
        event.add("uid", _uid(entry.key))
        event.add("dtstamp", entry.stamp.astimezone(dt.UTC))
        event.add("dtstart", entry.starts_at.astimezone(dt.UTC))
        event.add("dtend", entry.ends_at.astimezone(dt.UTC))
        event.add("summary", entry.summary)
        if entry.location:
            event.add("location", entry.location)
        if entry.url:
            event.add("url", entry.url)
        if entry.description:
            event.add("description", entry.description)
        calendar.add_component(event)
    return calendar.to_ical()
