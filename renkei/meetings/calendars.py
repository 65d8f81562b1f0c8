"""Meetings as iCalendar (RFC 5545): one meeting's file and a person's feed."""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from renkei.core.links import absolute_url
from renkei.meetings.models import Meeting

PRODID = "-//Renkei//meetings//JA"


def _uid(meeting: Meeting) -> str:
    host = urlsplit(settings.RENKEI["BASE_URL"]).hostname or "renkei.invalid"
    return f"meeting-{meeting.pk}@{host}"


def meeting_event(meeting: Meeting) -> Event:
    """Return the VEVENT of one meeting (times in UTC, so no time zone table is needed)."""
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    end = meeting.ends_at or meeting.starts_at + dt.timedelta(hours=1)
    event.add("dtend", end.astimezone(dt.UTC))
    event.add("summary", meeting.title)
    if meeting.venue:
        event.add("location", meeting.venue)
    url = absolute_url(reverse("meetings:detail", args=[meeting.pk]))
    event.add("url", url)
    description = [f"{meeting.get_kind_display()}", url]
    if meeting.online_url:
        description.append(f"オンライン参加: {meeting.online_url}")
    event.add("description", "\n".join(description))
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """Return a VCALENDAR holding the meetings."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()
