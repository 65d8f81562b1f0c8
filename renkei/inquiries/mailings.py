"""Notices to an inquiry's target organizations, rendered by a background task with progress.

Opening a national inquiry mails some 1,300 organizations, each with its own answer link.
The request that opens it only records a Mailing and queues `mailing_run`; the worker
renders the messages a chunk of organizations at a time. Each chunk's messages and the
mailing's progress are written in one transaction, so a worker that dies mid-run is
resumed (`mailings_resume_stalled`, run by the reminder command) from the first
organization it had not finished, and no organization is mailed twice.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from renkei.accounts.models import User
from renkei.core.links import absolute_url
from renkei.core.wareki import format_datetime
from renkei.directory.selectors import notification_recipients
from renkei.inquiries.models import AnswerLink, Inquiry, Mailing, MailingStatus, Reminder
from renkei.mailer.services import mail_queue

ANSWER_LINK_SALT = "renkei.inquiries.answer_link"
# Organizations rendered per transaction: small enough that progress moves every second or
# so, large enough that the per-chunk queries do not dominate.
CHUNK_SIZE = 100
# A RUNNING mailing without a chunk written for this long lost its worker.
STALLED_AFTER = dt.timedelta(minutes=10)


def inquiry_context(inquiry: Inquiry) -> dict[str, Any]:
    """Return what every inquiry mail template may use."""
    return {
        "inquiry": inquiry,
        "title": inquiry.title,
        "requester": inquiry.requester.name,
        "deadline": format_datetime(inquiry.deadline, weekday=True) if inquiry.deadline else "",
        "url": absolute_url(reverse("inquiries:detail", args=[inquiry.pk])),
    }


def answer_link_token(link: AnswerLink) -> str:
    """Return the signed token of an answer link's address."""
    return signing.dumps([link.pk, link.nonce], salt=ANSWER_LINK_SALT, compress=False)


def answer_link_url_parts() -> tuple[str, str]:
    """Return the absolute address of an answer link before and after its token."""
    prefix, suffix = reverse("answer_link:open", args=["TOKEN"]).split("TOKEN")
    return absolute_url(prefix), suffix


def answer_link_urls(*, inquiry: Inquiry, organization_ids: set[int]) -> dict[int, str]:
    """Return each organization's active answer link, issuing one to those that never had one.

    An organization whose links were all revoked gets none: the secretariat withdrew it on
    purpose and reissues it explicitly (answer_link_reissue). Two queries at most.
    """
    links: dict[int, AnswerLink] = {}
    had_link: set[int] = set()
    for link in AnswerLink.objects.filter(
        inquiry=inquiry, organization_id__in=organization_ids
    ).only("pk", "nonce", "organization_id", "revoked_at"):
        had_link.add(link.organization_id)
        if link.revoked_at is None:
            links[link.organization_id] = link
    new = [
        AnswerLink(inquiry=inquiry, organization_id=org_id)
        for org_id in organization_ids - had_link
    ]
    for link in AnswerLink.objects.bulk_create(new, batch_size=500):
        links[link.organization_id] = link
    # One reverse() for all: resolving the URL per link cost more than signing it.
    prefix, suffix = answer_link_url_parts()
    return {org_id: f"{prefix}{answer_link_token(link)}{suffix}" for org_id, link in links.items()}


def contacts_mail(
    *,
    organization_ids: Iterable[int],
    template: str,
    inquiry: Inquiry,
    links: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> int:
    """Mail these organizations' notification addresses now; return the number of messages.

    The addresses are the 連絡窓口 and the shared mailbox, account or not
    (directory.selectors.notification_recipients). With `links`, each organization's mail
    carries its answer link, so a recipient without an account can answer. A fixed number
    of queries whatever the number of organizations.
    """
    recipients = notification_recipients(organization_ids=organization_ids)
    if not recipients:
        return 0
    link_urls = (
        answer_link_urls(inquiry=inquiry, organization_ids={r.organization.pk for r in recipients})
        if links
        else {}
    )
    messages = mail_queue(
        to=[
            (
                recipient.name,
                recipient.email,
                {
                    "organization": recipient.organization.name,
                    "answer_link_url": link_urls.get(recipient.organization.pk, ""),
                },
            )
            for recipient in recipients
        ],
        template=template,
        context={**inquiry_context(inquiry), **(extra or {})},
        topic=f"inquiry:{inquiry.pk}",
    )
    return len(messages)


def mailing_request(
    *,
    inquiry: Inquiry,
    organization_ids: Iterable[int],
    template: str,
    by: User | None,
    links: bool = False,
    extra: Mapping[str, Any] | None = None,
    reminder: Reminder | None = None,
) -> Mailing:
    """Record a notice to these organizations and queue its rendering.

    Call it inside the transaction of the change the notice reports: the database task
    backend stores the task in that transaction, so the worker never sees a mailing whose
    change was rolled back.
    """
    ids = sorted(set(organization_ids))
    mailing = Mailing.objects.create(
        inquiry=inquiry,
        template=template,
        organization_ids=ids,
        organizations_total=len(ids),
        links=links,
        extra=dict(extra or {}),
        requested_by=by,
    )
    if reminder is not None:
        # Linked before the task can run: the task writes its final count to the reminder.
        reminder.mailing = mailing
        reminder.save(update_fields=["mailing"])
    mailing_run.enqueue(mailing_id=mailing.pk)
    return mailing


def _mailing_claim(mailing_id: int, *, now: dt.datetime) -> bool:
    """Take a pending mailing, or a running one whose worker stopped writing; tell if taken."""
    pending = Mailing.objects.filter(pk=mailing_id, status=MailingStatus.PENDING)
    stalled = Mailing.objects.filter(
        pk=mailing_id, status=MailingStatus.RUNNING, heartbeat_at__lt=now - STALLED_AFTER
    )
    return bool(
        pending.update(status=MailingStatus.RUNNING, heartbeat_at=now)
        or stalled.update(heartbeat_at=now)
    )


def _chunk_render(mailing_id: int) -> bool:
    """Render the next chunk of a running mailing; tell whether organizations remain."""
    with transaction.atomic():
        # The lock makes the chunk and its progress one step: a second worker that resumed
        # a slow (not dead) one waits here and then starts after what the first did.
        mailing = (
            Mailing.objects.select_for_update(of=("self",))
            .select_related("inquiry__requester")
            .get(pk=mailing_id)
        )
        if mailing.status != MailingStatus.RUNNING:
            return False
        start = mailing.organizations_done
        chunk = mailing.organization_ids[start : start + CHUNK_SIZE]
        count = (
            contacts_mail(
                organization_ids=chunk,
                template=mailing.template,
                inquiry=mailing.inquiry,
                links=mailing.links,
                extra=mailing.extra,
            )
            if chunk
            else 0
        )
        mailing.organizations_done = start + len(chunk)
        mailing.message_count += count
        mailing.heartbeat_at = timezone.now()
        fields = ["organizations_done", "message_count", "heartbeat_at"]
        remaining = mailing.organizations_done < mailing.organizations_total
        if not remaining:
            mailing.status = MailingStatus.DONE
            mailing.finished_at = mailing.heartbeat_at
            fields += ["status", "finished_at"]
            Reminder.objects.filter(mailing=mailing).update(message_count=mailing.message_count)
        mailing.save(update_fields=fields)
    return remaining


@task()
def mailing_run(*, mailing_id: int) -> str:
    """Render a mailing chunk by chunk, unless another worker holds it."""
    if not _mailing_claim(mailing_id, now=timezone.now()):
        return "skipped"
    try:
        while _chunk_render(mailing_id):
            pass
    except Exception:
        Mailing.objects.filter(pk=mailing_id).update(status=MailingStatus.FAILED)
        raise
    return MailingStatus.DONE


def mailings_resume_stalled(*, now: dt.datetime | None = None) -> int:
    """Queue again the mailings whose worker died; return how many."""
    now = now or timezone.now()
    stalled = list(
        Mailing.objects.filter(
            status=MailingStatus.RUNNING, heartbeat_at__lt=now - STALLED_AFTER
        ).values_list("pk", flat=True)
    )
    for mailing_id in stalled:
        mailing_run.enqueue(mailing_id=mailing_id)
    return len(stalled)


def mailings_unfinished(*, inquiry: Inquiry) -> list[Mailing]:
    """Return the inquiry's notices still being rendered or failed, oldest first."""
    return list(
        inquiry.mailings.filter(
            status__in=(MailingStatus.PENDING, MailingStatus.RUNNING, MailingStatus.FAILED)
        )
        .defer("organization_ids", "extra")
        .order_by("created_at")
    )
