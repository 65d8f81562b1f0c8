"""Reminding organizations that have not answered, by hand and automatically."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.core.business_days import add_business_days
from renkei.directory.models import Organization
from renkei.inquiries.mailings import mailing_request
from renkei.inquiries.models import (
    Inquiry,
    InquiryStatus,
    Reminder,
    ReminderKind,
)
from renkei.inquiries.selectors.progress import non_submitted_organization_ids
from renkei.inquiries.services.common import change_record, status_require


def inquiry_remind(
    *,
    inquiry: Inquiry,
    organizations: Iterable[Organization] | None = None,
    by: User | None = None,
    kind: str = ReminderKind.MANUAL,
    request: HttpRequest | None = None,
) -> Reminder | None:
    """Mail the contacts of target organizations that have not submitted; record it.

    Organizations given that already submitted are left out. Returns None when nobody is
    left to remind.
    """
    status_require(inquiry, (InquiryStatus.OPEN,), "督促できるのは受付中の照会のみです。")
    waiting = set(non_submitted_organization_ids(inquiry))
    if organizations is not None:
        waiting &= {organization.pk for organization in organizations}
    if not waiting:
        return None
    with transaction.atomic():
        reminder = Reminder.objects.create(inquiry=inquiry, kind=kind, sent_by=by)
        reminder.organizations.set(waiting)
        # The worker fills in the reminder's message count when the mailing is rendered.
        mailing_request(
            inquiry=inquiry,
            organization_ids=waiting,
            template="inquiry_reminder",
            by=by,
            links=True,
            extra={"automatic": kind == ReminderKind.AUTOMATIC},
            reminder=reminder,
        )
        change_record(
            Action.REMINDER_SENT,
            by=by,
            # The automatic reminder has no actor; the log says which it was.
            actor_username="" if by is not None else "自動督促",
            target=inquiry,
            request=request,
            reminder=reminder.pk,
            kind=kind,
            organizations=len(waiting),
        )
    reminder.refresh_from_db(fields=["message_count", "mailing"])
    return reminder


def automatic_reminder_day(inquiry: Inquiry) -> dt.date | None:
    """Return the day the automatic reminder is due, N business days before the deadline."""
    if inquiry.deadline is None or inquiry.reminder_business_days is None:
        return None
    deadline_day = timezone.localdate(inquiry.deadline)
    return add_business_days(deadline_day, -inquiry.reminder_business_days)


def inquiry_reminders_send_due(*, now: dt.datetime | None = None) -> list[Reminder]:
    """Send the automatic reminders due today; each inquiry gets at most one.

    Safe to run as often as cron likes: an inquiry is claimed with a conditional update
    before any mail is queued, so two runs at once never both send.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminders = []
    candidates = Inquiry.objects.filter(
        status=InquiryStatus.OPEN,
        auto_reminder_sent_at__isnull=True,
        reminder_business_days__isnull=False,
        deadline__gt=now,
    ).select_related("requester")
    for inquiry in candidates:
        due_day = automatic_reminder_day(inquiry)
        if due_day is None or today < due_day:
            continue
        with transaction.atomic():
            claimed = Inquiry.objects.filter(
                pk=inquiry.pk, auto_reminder_sent_at__isnull=True
            ).update(auto_reminder_sent_at=now)
            if not claimed:
                continue
            inquiry.auto_reminder_sent_at = now
            reminder = inquiry_remind(inquiry=inquiry, kind=ReminderKind.AUTOMATIC)
        if reminder is not None:
            reminders.append(reminder)
    return reminders
