"""Meetings as iCalendar (RFC 5545): one meeting's file and a person's feed (renkei.core.ical)."""

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from renkei.core.ical import CalendarEntry
from renkei.core.ical import calendar_bytes as entries_calendar
from renkei.core.links import absolute_url
from renkei.meetings.models import Meeting


def meeting_entry(meeting: Meeting) -> CalendarEntry:
    """Return what a meeting puts in a calendar (an hour long when no end is set)."""
    url = absolute_url(reverse("meetings:detail", args=[meeting.pk]))
    description = [meeting.get_kind_display(), url]
    if meeting.online_url:
        description.append(f"オンライン参加: {meeting.online_url}")
    return CalendarEntry(
        key=f"meeting-{meeting.pk}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at or meeting.starts_at + dt.timedelta(hours=1),
        summary=meeting.title,
        stamp=meeting.updated_at,
        location=meeting.venue,
        url=url,
        description="\n".join(description),
    )


def calendar_bytes(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """Return a VCALENDAR holding the meetings."""
    return entries_calendar((meeting_entry(meeting) for meeting in meetings), name=name)
