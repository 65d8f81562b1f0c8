"""Meetings as iCalendar (RFC 5545): one meeting's file and a person's feed (renkei.core.ical)."""

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from renkei.core.ical import CalendarEntry
from renkei.core.ical import calendar_bytes as entries_calendar
from renkei.core.links import absolute_url
from renkei.mailer.services import MailAttachment
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
        sequence=meeting.calendar_sequence,
    )


def calendar_bytes(meetings: Iterable[Meeting], *, name: str, method: str = "PUBLISH") -> bytes:
    """Return a VCALENDAR holding the meetings (REQUEST for the file mailed with a notice)."""
    return entries_calendar(
        (meeting_entry(meeting) for meeting in meetings), name=name, method=method
    )


def invitation_attachment(meeting: Meeting) -> MailAttachment:
    """Return the .ics mailed with the invitation or a change notice (one UID per meeting)."""
    return MailAttachment(
        f"meeting-{meeting.pk}.ics",
        calendar_bytes([meeting], name=meeting.title, method="REQUEST"),
        "text/calendar",
    )
