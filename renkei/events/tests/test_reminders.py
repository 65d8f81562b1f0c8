"""The reminder before an event (events_remind_due) and the .ics with seat mails, through a
real SMTP server on loopback."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from renkei.events import services
from renkei.events.models import Registration
from renkei.events.tests.builders import event_draft

pytestmark = pytest.mark.django_db


def _calendar_of(received) -> Calendar:
    [part] = [
        p for p in received.parsed().iter_attachments() if p.get_content_type() == "text/calendar"
    ]
    return Calendar.from_ical(part.get_payload(decode=True))


def _tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def tomorrows_seminar(council):
    starts = _tomorrow_at(13)
    event = services.event_create(
        by=council.secretariat,
        draft=event_draft(
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            delivery="hybrid",
            online_url="https://meet.example.lg.jp/seminar",
        ),
    )
    return services.event_publish(event=event, by=council.secretariat)


def test_confirmation_mail_carries_the_events_calendar_file(
    council, seminar, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.member_register(event=seminar, person=council.staff.person, by=council.staff)

    [received] = smtp_server.received
    [entry] = _calendar_of(received).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "トピックスセミナー"
    assert entry["DTSTART"].dt == seminar.starts_at


def test_day_before_reminder_reaches_each_confirmed_registrant_once_with_the_ics(
    council, tomorrows_seminar, smtp_server, django_capture_on_commit_callbacks, capsys
):
    staff = services.member_register(
        event=tomorrows_seminar, person=council.staff.person, by=council.staff
    )
    services.member_register(
        event=tomorrows_seminar, person=council.representative.person, by=council.staff
    )
    # Capacity 2: the third waits and is not reminded.
    services.public_register(
        event=tomorrows_seminar,
        registrant=services.Registrant(
            name="未加入 花子", organization_name="上砂川町", email="h@kami.example.lg.jp"
        ),
    )
    smtp_server.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("events_remind_due")
        call_command("events_remind_due")

    assert "2名に開催前の案内を送りました。" in capsys.readouterr().out
    assert sorted(r.rcpt_tos for r in smtp_server.received) == sorted(
        [[staff.email], [council.representative.person.email]]
    )
    message = smtp_server.received[0].parsed()
    assert "【明日開催】トピックスセミナー" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "https://meet.example.lg.jp/seminar" in body
    [entry] = _calendar_of(smtp_server.received[0]).walk("VEVENT")
    assert "https://meet.example.lg.jp/seminar" in str(entry["DESCRIPTION"])
    assert Registration.objects.filter(reminded_at__isnull=False).count() == 2


def test_events_further_ahead_are_not_reminded_yet(
    council, seminar, smtp_server, django_capture_on_commit_callbacks
):
    services.member_register(event=seminar, person=council.staff.person, by=council.staff)
    smtp_server.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("events_remind_due")

    assert smtp_server.received == []
    assert not Registration.objects.filter(reminded_at__isnull=False).exists()
