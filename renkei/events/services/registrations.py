"""Registering for events: seats, the waiting list, address confirmation, cancelling.

A seat is decided with the event row locked (`select_for_update`), so concurrent
registrations for the last seats are serialised: never more confirmed registrations than
the capacity. A cancelled seat goes to the oldest waiting registration in the same
transaction.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.wareki import format_datetime
from renkei.directory.models import Organization, Person
from renkei.directory.selectors import member_organizations
from renkei.events.lifecycle import REGISTRATION_WORKFLOW
from renkei.events.models import Audience, Event, Registration, RegistrationStatus
from renkei.events.phases import EventPhase, event_phase_now
from renkei.events.services.common import EventError
from renkei.events.services.mail import _registrations_mail
from renkei.workflow.transitions import TransitionError, refused_as


@dataclass(frozen=True)
class Registrant:
    """Who registers: from the directory for members, from the form for non-members."""

    name: str
    organization_name: str
    email: str
    department: str = ""


def registration_open_check(event: Event, *, now: dt.datetime | None = None) -> None:
    """Refuse a registration the event does not take now."""
    phase = event_phase_now(event, now=now)
    if phase in (EventPhase.PREPARING, EventPhase.CANCELLED):
        raise EventError("この催しは現在申込を受け付けていません。")
    if phase == EventPhase.NOT_YET_OPEN:
        raise EventError(f"申込は{format_datetime(event.registration_opens_at)}から受け付けます。")
    if phase != EventPhase.ACCEPTING:
        raise EventError("申込の受付は終了しました。")


def _registration_create(
    *,
    event: Event,
    registrant: Registrant,
    status: str,
    by: User | None,
    person: Person | None = None,
    organization: Organization | None = None,
    is_member: bool,
) -> Registration:
    try:
        with transaction.atomic():
            return Registration.objects.create(
                event=event,
                status=status,
                person=person,
                organization=organization,
                name=registrant.name.strip(),
                organization_name=registrant.organization_name.strip(),
                department=registrant.department.strip(),
                email=registrant.email.strip(),
                is_member=is_member,
                registered_by=by,
            )
    except IntegrityError as error:
        raise EventError(
            f"{registrant.email} はこの催しにすでに申し込まれています。", field="email"
        ) from error


def _seat_decide(event: Event, registration: Registration, *, by: User | None) -> Registration:
    """Confirm the registration if a seat is free, else put it on the waiting list.

    Call with the event row locked: the count and the decision are one step.
    """
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    seated = event.capacity is None or confirmed < event.capacity
    name = "seat" if seated else "waitlist"
    REGISTRATION_WORKFLOW.apply(
        instance=registration,
        name=name,
        by=by,
        changes={"confirmed_at": timezone.now()} if seated else {},
    )
    _registrations_mail(
        [registration], template="event_registered" if seated else "event_waitlisted"
    )
    return registration


def member_register(
    *, event: Event, person: Person, by: User, request: HttpRequest | None = None
) -> Registration:
    """Register a member (oneself or a colleague of one's organization) for an event."""
    registration_open_check(event)
    if not person.email:
        raise EventError(
            f"{person.name}さんのメールアドレスが職員名簿にありません。先に登録してください。"
        )
    organization = person.organization
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        registration = _registration_create(
            event=locked,
            registrant=Registrant(
                name=person.name,
                organization_name=organization.name if organization else "",
                department=person.department.name if person.department_id else "",
                email=person.email,
            ),
            status=RegistrationStatus.UNCONFIRMED,
            by=by,
            person=person,
            organization=organization,
            is_member=True,
        )
        return _seat_decide(locked, registration, by=by)


def public_register(*, event: Event, registrant: Registrant) -> Registration:
    """Record a non-member's registration and mail the link that confirms the address.

    The seat is decided when the address is confirmed, so a typo or a robot holds none.
    """
    registration_open_check(event)
    if event.audience != Audience.OPEN:
        raise EventError("この催しは会員のみが参加できます。")
    organization = member_organizations().filter(name=registrant.organization_name.strip()).first()
    registration = _registration_create(
        event=event,
        registrant=registrant,
        status=RegistrationStatus.UNCONFIRMED,
        by=None,
        organization=organization,
        is_member=organization is not None,
    )
    _registrations_mail([registration], template="event_confirm_address")
    return registration


def registration_confirm(*, registration: Registration) -> Registration:
    """Confirm a non-member's address: the registration takes a seat or waits for one."""
    if registration.status != RegistrationStatus.UNCONFIRMED:
        return registration
    registration_open_check(registration.event)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=registration.event_id)
        try:
            return _seat_decide(locked, registration, by=None)
        except TransitionError:
            # Confirmed meanwhile (the link opened twice): the first one decided.
            registration.refresh_from_db()
            return registration


def registration_cancel(
    *, registration: Registration, by: User | None, request: HttpRequest | None = None
) -> Registration:
    """Cancel a registration; a freed seat goes to the oldest one waiting."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=registration.event_id)
        with refused_as(EventError):
            REGISTRATION_WORKFLOW.apply(
                instance=registration,
                name="cancel",
                by=by,
                changes={"cancelled_at": timezone.now()},
                request=request,
            )
        _registrations_mail([registration], template="event_cancellation_received")
        _waitlist_promote(locked)
    return registration


def _waitlist_promote(event: Event) -> list[Registration]:
    """Seat the oldest waiting registrations while seats are free (event row locked)."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    free = None if event.capacity is None else max(0, event.capacity - confirmed)
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "pk"
    )
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        REGISTRATION_WORKFLOW.apply(
            instance=registration,
            name="promote",
            by=None,
            changes={"confirmed_at": timezone.now()},
        )
    _registrations_mail(promoted, template="event_promoted")
    return promoted
