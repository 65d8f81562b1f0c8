"""iCalendar files (RFC 5545) of the council's events and meetings, built with `icalendar`."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr
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
    # Raised each time the date, time or place changes, so a calendar replaces its copy.
    sequence: int = 0


def _uid(key: str) -> str:
    host = urlsplit(settings.RENKEI["BASE_URL"]).hostname or "renkei.invalid"
    return f"{key}@{host}"


def _organizer() -> str:
    """Return the council's sending address as a mailto: URI (ORGANIZER of an invitation)."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return f"mailto:{address or 'renkei@renkei.invalid'}"


def calendar_bytes(
    entries: Iterable[CalendarEntry], *, name: str, method: str = "PUBLISH"
) -> bytes:
    """Return a VCALENDAR of the entries (times in UTC, so no time zone table is needed).

    PUBLISH is a calendar to subscribe to or import; REQUEST (RFC 5546) is an invitation
    sent by mail: it names the council as ORGANIZER, and a later REQUEST with the same UID
    and a higher SEQUENCE updates the entry the recipient's calendar already holds.
    """
    if method not in ("PUBLISH", "REQUEST"):
        raise ValueError(f"unsupported iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", "-//Renkei//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = CalendarEvent()
        event.add("uid", _uid(entry.key))
        event.add("dtstamp", entry.stamp.astimezone(dt.UTC))
        event.add("sequence", entry.sequence)
        if method == "REQUEST":
            event.add("organizer", _organizer(), parameters={"CN": settings.RENKEI["SITE_NAME"]})
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
