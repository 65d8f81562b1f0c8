"""Where an event stands now, as its readers are told: accepting registrations, closed, held.

An event's stored status (準備中, 公開中, 中止) is the secretariat's decision; what a member
needs on the list and the event's page is what that means today. Registration takes the same
answer (services.registrations.registration_open_check), so the badge and the form never
disagree.
"""

import datetime as dt

from django.db import models
from django.utils import timezone

from renkei.events.models import Event, EventStatus


class EventPhase(models.TextChoices):
    PREPARING = "preparing", "準備中"
    CANCELLED = "cancelled", "中止"
    NOT_YET_OPEN = "not_yet_open", "申込受付前"
    ACCEPTING = "accepting", "申込受付中"
    CLOSED = "closed", "申込締切"
    UNDER_WAY = "under_way", "開催中"
    HELD = "held", "開催済み"


def event_phase(
    *,
    status: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    registration_opens_at: dt.datetime | None,
    registration_closes_at: dt.datetime | None,
    now: dt.datetime,
) -> EventPhase:
    """Return where a published, draft or cancelled event stands at `now`."""
    if status == EventStatus.DRAFT:
        return EventPhase.PREPARING
    if status == EventStatus.CANCELLED:
        return EventPhase.CANCELLED
    if now >= ends_at:
        return EventPhase.HELD
    if registration_opens_at and now < registration_opens_at:
        return EventPhase.NOT_YET_OPEN
    # Without a closing time registrations are taken until the event starts; a closing time
    # may also fall during the event (registration at the door of a long training).
    if now < (registration_closes_at or starts_at):
        return EventPhase.ACCEPTING
    if now >= starts_at:
        return EventPhase.UNDER_WAY
    return EventPhase.CLOSED


def event_phase_now(event: Event, *, now: dt.datetime | None = None) -> EventPhase:
    """Return where the event stands now (or at `now`)."""
    return event_phase(
        status=event.status,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        registration_opens_at=event.registration_opens_at,
        registration_closes_at=event.registration_closes_at,
        now=now or timezone.now(),
    )
