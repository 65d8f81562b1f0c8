"""Writing events: their details, program, publishing and cancelling."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import User
from renkei.events.lifecycle import EVENT_WORKFLOW
from renkei.events.models import (
    ACTIVE_STATUSES,
    Audience,
    Event,
    EventStatus,
    RegistrationStatus,
    Session,
)
from renkei.events.services.common import EventError, _audit, _rows_replace
from renkei.events.services.mail import _registrations_mail
from renkei.events.services.registrations import _waitlist_promote
from renkei.workflow.transitions import refused_as


@dataclass(frozen=True)
class EventDraft:
    """What the secretariat writes about an event."""

    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str = ""
    venue: str = ""
    delivery: str = "venue"
    online_url: str = ""
    capacity: int | None = None
    audience: str = Audience.MEMBERS
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    theme: str = ""
    level: str = ""


@dataclass(frozen=True)
class SessionDraft:
    """One row of the program as the secretariat types it."""

    theme: str
    label: str = ""
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    speaker_name: str = ""
    speaker_affiliation: str = ""
    speaker_title: str = ""


def _draft_problems(draft: EventDraft) -> None:
    if draft.ends_at <= draft.starts_at:
        raise EventError("終了日時は開始日時より後にしてください。", field="ends_at")
    if (
        draft.registration_opens_at
        and draft.registration_closes_at
        and draft.registration_closes_at <= draft.registration_opens_at
    ):
        raise EventError("申込締切は申込開始より後にしてください。", field="registration_closes_at")
    if draft.registration_closes_at and draft.registration_closes_at > draft.ends_at:
        raise EventError("申込締切は終了日時より前にしてください。", field="registration_closes_at")
    if draft.delivery in ("online", "hybrid") and not draft.online_url:
        raise EventError(
            "オンラインで配信する場合は、参加用のURLを入力してください。", field="online_url"
        )
    if draft.capacity is not None and draft.capacity < 1:
        raise EventError("定員は1名以上にしてください（定員なしは空欄）。", field="capacity")


def event_create(*, by: User, draft: EventDraft, request: HttpRequest | None = None) -> Event:
    """Write a new event (準備中: members do not see it until it is published)."""
    _draft_problems(draft)
    with transaction.atomic():
        event = Event.objects.create(created_by=by, **draft.__dict__)
        _audit(by=by, target=event, request=request, event="created")
    return event


def event_update(
    *, event: Event, by: User, draft: EventDraft, request: HttpRequest | None = None
) -> Event:
    """Change an event's details; a lower capacity never cancels a confirmed seat."""
    if event.status == EventStatus.CANCELLED:
        raise EventError("中止した催しは変更できません。")
    _draft_problems(draft)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        if draft.capacity is not None and draft.capacity < confirmed:
            raise EventError(
                f"参加確定がすでに{confirmed:,}名います。定員はそれ以上にしてください。",
                field="capacity",
            )
        for name, value in draft.__dict__.items():
            setattr(locked, name, value)
        locked.save()
        _audit(by=by, target=locked, request=request, event="updated")
        # A higher capacity seats those waiting, oldest first.
        _waitlist_promote(locked)
    return locked


def sessions_set(
    *, event: Event, by: User, sessions: Sequence[SessionDraft], request: HttpRequest | None = None
) -> list[Session]:
    """Replace the program of an event with these rows, in this order."""
    rows = [s for s in sessions if s.theme.strip()]
    return _rows_replace(
        old=event.sessions.all(),
        new=[
            Session(event=event, position=number, **row.__dict__)
            for number, row in enumerate(rows, start=1)
        ],
        by=by,
        target=event,
        request=request,
        detail={"event": "program", "sessions": len(rows)},
    )


def event_publish(*, event: Event, by: User, request: HttpRequest | None = None) -> Event:
    """Show the event to its audience and open registration."""
    if not event.sessions.exists() and not event.description.strip():
        raise EventError("概要かプログラムを入力してから公開してください。")
    with refused_as(EventError):
        return EVENT_WORKFLOW.apply(
            instance=event,
            name="publish",
            by=by,
            changes={"published_at": timezone.now()},
            request=request,
        )


def event_cancel(*, event: Event, by: User, request: HttpRequest | None = None) -> Event:
    """Call the event off and tell every registrant."""

    def mail(event: Event) -> None:
        active = list(event.registrations.filter(status__in=ACTIVE_STATUSES))
        _registrations_mail(active, template="event_cancelled")

    with refused_as(EventError):
        return EVENT_WORKFLOW.apply(
            instance=event, name="cancel", by=by, request=request, after=mail
        )
