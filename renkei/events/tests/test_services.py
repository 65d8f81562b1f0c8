"""Registering for events: seats, the waiting list, non-members, cancellation, check-in."""

import datetime as dt

import pytest
from django.utils import timezone

from renkei.audit.models import Action, AuditEvent
from renkei.directory.models import Person
from renkei.events import services
from renkei.events.models import EventStatus, Registration, RegistrationStatus
from renkei.events.tests.builders import event_draft
from renkei.mailer.models import OutboxMessage
from renkei.testing import make_user

pytestmark = pytest.mark.django_db


def colleague(council, name: str, email: str) -> Person:
    """Add a person with an address to 当別町's staff list."""
    return Person.objects.create(
        name=name, kana="トウベツ", email=email, organization=council.member_org
    )


def test_member_takes_a_seat_and_gets_the_confirmation_mail(council, seminar):
    registration = services.member_register(
        event=seminar, person=council.staff.person, by=council.staff
    )

    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.organization == council.member_org
    mail = OutboxMessage.objects.get(template="event_registered")
    assert mail.to_email == council.staff.person.email
    assert "/events/r/" in mail.body_text and "calendar.ics" in mail.body_text


def test_registration_beyond_capacity_waits_and_is_promoted_when_a_seat_frees(council, seminar):
    people = [colleague(council, f"当別 {n}", f"t{n}@town.example.lg.jp") for n in range(3)]
    first, second, third = (
        services.member_register(event=seminar, person=p, by=council.representative) for p in people
    )

    assert [r.status for r in (first, second, third)] == ["confirmed", "confirmed", "waitlisted"]
    assert OutboxMessage.objects.filter(template="event_waitlisted").count() == 1

    services.registration_cancel(registration=first, by=council.representative)

    third.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED
    assert OutboxMessage.objects.get(template="event_promoted").to_email == people[2].email
    assert (
        Registration.objects.filter(event=seminar, status=RegistrationStatus.CONFIRMED).count() == 2
    )


def test_the_same_address_cannot_register_twice_but_can_after_cancelling(council, seminar):
    first = services.member_register(event=seminar, person=council.staff.person, by=council.staff)
    with pytest.raises(services.EventError, match="すでに申し込まれています"):
        services.member_register(event=seminar, person=council.staff.person, by=council.staff)

    services.registration_cancel(registration=first, by=council.staff)
    again = services.member_register(event=seminar, person=council.staff.person, by=council.staff)

    assert again.status == RegistrationStatus.CONFIRMED


def test_non_member_holds_no_seat_until_the_address_is_confirmed(council, seminar):
    registration = services.public_register(
        event=seminar,
        registrant=services.Registrant(
            name="未加入 花子", organization_name="上砂川町", email="hanako@kami.example.lg.jp"
        ),
    )

    assert registration.status == RegistrationStatus.UNCONFIRMED
    assert not registration.is_member
    mail = OutboxMessage.objects.get(template="event_confirm_address")
    assert f"/events/r/{registration.token}/confirm/" in mail.body_text

    services.registration_confirm(registration=registration)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_members_only_event_refuses_non_members(council):
    event = services.event_create(by=council.secretariat, draft=event_draft(audience="members"))
    services.event_publish(event=event, by=council.secretariat)

    with pytest.raises(services.EventError, match="会員のみ"):
        services.public_register(
            event=event,
            registrant=services.Registrant(
                name="未加入 花子", organization_name="上砂川町", email="h@example.lg.jp"
            ),
        )
    assert not Registration.objects.exists()


def test_registration_is_refused_before_publication_and_after_the_deadline(council):
    event = services.event_create(
        by=council.secretariat,
        draft=event_draft(registration_closes_at=timezone.now() + dt.timedelta(days=1)),
    )
    with pytest.raises(services.EventError, match="受け付けていません"):
        services.member_register(event=event, person=council.staff.person, by=council.staff)

    services.event_publish(event=event, by=council.secretariat)
    event.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    event.save()
    with pytest.raises(services.EventError, match="終了しました"):
        services.member_register(event=event, person=council.staff.person, by=council.staff)


def test_cancelling_the_event_tells_every_registrant(council, seminar):
    services.member_register(event=seminar, person=council.staff.person, by=council.staff)
    services.public_register(
        event=seminar,
        registrant=services.Registrant(
            name="未加入 花子", organization_name="上砂川町", email="hanako@kami.example.lg.jp"
        ),
    )

    services.event_cancel(event=seminar, by=council.secretariat)

    seminar.refresh_from_db()
    assert seminar.status == EventStatus.CANCELLED
    assert set(
        OutboxMessage.objects.filter(template="event_cancelled").values_list("to_email", flat=True)
    ) == {council.staff.person.email, "hanako@kami.example.lg.jp"}
    assert AuditEvent.objects.filter(
        action=Action.STATUS_CHANGED, target_type="events.event", detail__transition="cancel"
    ).exists()


def test_check_in_once_and_only_a_confirmed_registration(council, seminar):
    registration = services.member_register(
        event=seminar, person=council.staff.person, by=council.staff
    )

    services.check_in(registration=registration, by=council.secretariat)
    with pytest.raises(services.EventError, match="受付済み"):
        services.check_in(registration=registration, by=council.secretariat)

    registration.refresh_from_db()
    assert registration.checked_in_by == council.secretariat
    assert (
        AuditEvent.objects.filter(
            target_type="events.registration", detail__event="checked_in"
        ).count()
        == 1
    )


def test_capacity_cannot_drop_below_the_confirmed_seats(council, seminar):
    for n in range(2):
        services.member_register(
            event=seminar,
            person=colleague(council, f"当別 {n}", f"t{n}@town.example.lg.jp"),
            by=council.representative,
        )

    with pytest.raises(services.EventError, match="2名います") as error:
        services.event_update(event=seminar, by=council.secretariat, draft=event_draft(capacity=1))

    assert error.value.field == "capacity"
    seminar.refresh_from_db()
    assert seminar.capacity == 2


def test_a_higher_capacity_seats_those_waiting(council, seminar):
    registrations = [
        services.member_register(
            event=seminar,
            person=colleague(council, f"当別 {n}", f"t{n}@town.example.lg.jp"),
            by=council.representative,
        )
        for n in range(3)
    ]
    assert registrations[2].status == RegistrationStatus.WAITLISTED

    services.event_update(event=seminar, by=council.secretariat, draft=event_draft(capacity=3))

    registrations[2].refresh_from_db()
    assert registrations[2].status == RegistrationStatus.CONFIRMED


def test_online_delivery_needs_its_address(council):
    with pytest.raises(services.EventError) as error:
        services.event_create(by=council.secretariat, draft=event_draft(delivery="online"))
    assert error.value.field == "online_url"


def test_observer_can_register_for_a_member_event(council, seminar):
    observer = make_user(
        username="somu2", name="総務 五郎", role="observer", organization=council.observer_org
    )

    registration = services.member_register(event=seminar, person=observer.person, by=observer)

    assert registration.status == RegistrationStatus.CONFIRMED
