"""Automatic reminders: the cron command and the task that runs it."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from renkei.core.business_days import add_business_days
from renkei.inquiries.models import Reminder, ReminderKind
from renkei.inquiries.tasks import send_inquiry_reminders
from renkei.inquiries.tests.builders import make_open
from renkei.mailer.models import OutboxMessage


def deadline_after(business_days: int) -> dt.datetime:
    day = add_business_days(timezone.localdate(), business_days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))


def test_command_sends_due_reminders_once(council, contacts):
    inquiry = make_open(council, deadline=deadline_after(2), reminder_business_days=2)
    OutboxMessage.objects.all().delete()
    out = StringIO()

    call_command("send_inquiry_reminders", stdout=out)
    call_command("send_inquiry_reminders", stdout=StringIO())

    assert "自動督促 1件" in out.getvalue()
    assert Reminder.objects.filter(inquiry=inquiry, kind=ReminderKind.AUTOMATIC).count() == 1
    assert OutboxMessage.objects.filter(template="inquiry_reminder").count() == 3


def test_command_sends_nothing_before_the_day(council):
    make_open(council, deadline=deadline_after(6), reminder_business_days=2)
    out = StringIO()

    call_command("send_inquiry_reminders", stdout=out)

    assert "自動督促 0件" in out.getvalue()
    assert not OutboxMessage.objects.filter(template="inquiry_reminder").exists()


def test_task_runs_the_command(council):
    inquiry = make_open(council, deadline=deadline_after(1), reminder_business_days=3)

    send_inquiry_reminders.enqueue()
    send_inquiry_reminders.enqueue()

    assert Reminder.objects.filter(inquiry=inquiry).count() == 1
    inquiry.refresh_from_db()
    assert inquiry.auto_reminder_sent_at is not None
