"""Mail to registrants: their own links, the event's calendar file, the reminders."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.ical import CalendarEntry, calendar_bytes
from renkei.core.links import absolute_url
from renkei.core.wareki import format_datetime
from renkei.events.models import Event, EventStatus, Registration, RegistrationStatus
from renkei.mailer.services import MailAttachment, mail_queue


def registration_urls(registration: Registration) -> dict[str, str]:
    """Return the registrant's own addresses: the page, the calendar file and the QR code."""
    token = registration.token
    return {
        "registration_url": absolute_url(reverse("events:registration", args=[token])),
        "calendar_url": absolute_url(reverse("events:registration_ics", args=[token])),
        "confirm_url": absolute_url(reverse("events:registration_confirm", args=[token])),
    }


# Mails to registrants with a seat carry the event's calendar file; one file for all of
# them (no personal link in it), so a batch stays one bulk INSERT of the outbox.
CALENDAR_TEMPLATES = ("event_registered", "event_promoted", "event_reminder")


def event_calendar(event: Event, *, url: str = "", online: bool = True) -> bytes:
    """Return the event as an .ics file; the online link only for those with a seat."""
    lines = [event.get_kind_display()]
    if url:
        lines.append(url)
    if online and event.online_url:
        lines.append(f"オンライン参加: {event.online_url}")
    return calendar_bytes(
        [
            CalendarEntry(
                key=f"event-{event.pk}",
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                summary=event.title,
                stamp=event.updated_at,
                location=event.venue,
                url=url,
                description="\n".join(lines),
            )
        ],
        name=event.title,
    )


def _registrations_mail(registrations: Sequence[Registration], *, template: str) -> int:
    """Mail each registrant their own message (their links differ)."""
    if not registrations:
        return 0
    event = registrations[0].event
    attachments = (
        [MailAttachment(f"event-{event.pk}.ics", event_calendar(event), "text/calendar")]
        if template in CALENDAR_TEMPLATES
        else []
    )
    return len(
        mail_queue(
            to=[
                (r.name, r.email, {"registration": r.pk, **registration_urls(r)})
                for r in registrations
            ],
            template=template,
            context={
                "event_title": event.title,
                "event_when": format_datetime(event.starts_at, weekday=True),
                "event_venue": event.venue,
                "event_online": event.online_url,
                "event_url": absolute_url(reverse("events:detail", args=[event.pk])),
            },
            topic=f"event:{event.pk}",
            attachments=attachments,
        )
    )


def reminders_send_due(*, now: dt.datetime | None = None, days_before: int = 1) -> int:
    """Remind every confirmed registrant of an event held within `days_before` days (from
    tomorrow's date, local time), with the .ics; each registration once, whenever it runs.

    Run by cron (`events_remind_due`, daily in the morning or hourly). The registrations are
    claimed (reminded_at set) in the transaction that queues their mail, rows locked with
    SKIP LOCKED on PostgreSQL, so two runs at once never mail anyone twice.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    until = dt.datetime.combine(
        today + dt.timedelta(days=days_before + 1),
        dt.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        starts_at__gt=now,
        starts_at__lt=until,
        registrations__status=RegistrationStatus.CONFIRMED,
        registrations__reminded_at=None,
    ).distinct()
    sent = 0
    for event in events:
        with transaction.atomic():
            due = list(
                Registration.objects.select_for_update(skip_locked=True).filter(
                    event=event, status=RegistrationStatus.CONFIRMED, reminded_at=None
                )
            )
            if not due:
                continue
            Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
            for registration in due:
                registration.event = event
            sent += _registrations_mail(due, template="event_reminder")
            audit_record(
                action=Action.CHANGED,
                actor_username="system:events_remind_due",
                target=event,
                detail={"event": "reminded", "registrations": len(due)},
            )
    return sent
