"""Writing お知らせ: create, edit, schedule, publish, deliver by e-mail, resend, unsubscribe."""

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Required, TypedDict, Unpack

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import User
from renkei.announcements.lifecycle import ANNOUNCEMENT_WORKFLOW, EDITABLE
from renkei.announcements.models import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementRead,
    AudienceKind,
    Delivery,
    DeliveryStatus,
    ExternalContact,
    NewsletterOptOut,
)
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
from renkei.core.files import file_delete_on_commit
from renkei.core.fiscal_year import fiscal_year_of
from renkei.directory.models import Group
from renkei.mailer.services import outbox_requeue
from renkei.workflow.transitions import TransitionError


class AnnouncementError(ServiceError):
    """A change that is not allowed; the message is for the user, in Japanese."""


class AnnouncementContent(TypedDict, total=False):
    """What an announcement says and whom it addresses; the keys left out take defaults."""

    title: Required[str]
    body: Required[str]
    kind: Required[str]
    audience: Required[str]
    group: Group | None
    kinds: Sequence[str]
    prefectures: Sequence[str]
    include_external: bool
    send_mail: bool


def _content_values(content: AnnouncementContent) -> dict:
    """Return the columns of the content, keeping only the audience fields the audience uses."""
    # A misspelt keyword must fail as it did when each field was a parameter.
    unknown = content.keys() - AnnouncementContent.__annotations__.keys()
    if unknown:
        raise TypeError(f"unknown announcement fields: {sorted(unknown)}")
    audience = content["audience"]
    kinds = content.get("kinds", ())
    prefectures = content.get("prefectures", ())
    return {
        "title": content["title"],
        "body": content["body"],
        "kind": content["kind"],
        "include_external": content.get("include_external", False),
        "send_mail": content.get("send_mail", True),
        "audience": audience,
        "audience_group": content.get("group") if audience == AudienceKind.GROUP else None,
        "audience_kinds": ("," + ",".join(kinds) + ",")
        if audience == AudienceKind.ORGANIZATION_KIND and kinds
        else "",
        "audience_prefectures": ("," + ",".join(prefectures) + ",")
        if audience == AudienceKind.PREFECTURE and prefectures
        else "",
    }


def announcement_create(
    *,
    by: User,
    files: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
    **content: Unpack[AnnouncementContent],
) -> Announcement:
    """Create a draft announcement with its attachments (already checked by the form)."""
    with transaction.atomic():
        announcement = Announcement.objects.create(created_by=by, **_content_values(content))
        _attachments_add(announcement=announcement, files=files)
        _record(
            "announcement_created", announcement, by=by, request=request, attachments=len(files)
        )
    return announcement


def announcement_update(
    *,
    announcement: Announcement,
    by: User,
    files: Sequence[UploadedFile] = (),
    remove_attachment_ids: Sequence[int] = (),
    request: HttpRequest | None = None,
    **content: Unpack[AnnouncementContent],
) -> Announcement:
    """Change a draft or scheduled announcement; a published one stays as members read it."""
    values = _content_values(content)
    with transaction.atomic():
        updated = Announcement.objects.filter(pk=announcement.pk, status__in=EDITABLE).update(
            updated_at=timezone.now(), **values
        )
        if not updated:
            raise AnnouncementError("公開済みのお知らせは変更できません。")
        for name, value in values.items():
            setattr(announcement, name, value)
        removed = list(announcement.attachments.filter(pk__in=remove_attachment_ids))
        for attachment in removed:
            file_delete_on_commit(attachment.file)
            attachment.delete()
        _attachments_add(announcement=announcement, files=files)
        _record(
            "announcement_updated",
            announcement,
            by=by,
            request=request,
            attachments_added=len(files),
            attachments_removed=len(removed),
        )
    return announcement


def _record(
    what: str,
    announcement: Announcement,
    *,
    by: User,
    request: HttpRequest | None,
    **detail: object,
) -> None:
    """Write the audit row of a change to an announcement, named by `what`."""
    detail = {"what": what, **detail}
    audit_record(
        action=Action.CHANGED, actor=by, target=announcement, request=request, detail=detail
    )


def _attachments_add(*, announcement: Announcement, files: Sequence[UploadedFile]) -> None:
    for upload in files:
        AnnouncementAttachment.objects.create(
            announcement=announcement, file=upload, name=upload.name, size=upload.size or 0
        )


def announcement_delete(
    *, announcement: Announcement, by: User, request: HttpRequest | None = None
) -> None:
    """Delete a draft (never a published announcement: members have read it)."""
    with transaction.atomic():
        locked = Announcement.objects.filter(pk=announcement.pk, status__in=EDITABLE)
        if not locked.exists():
            raise AnnouncementError("公開済みのお知らせは削除できません。")
        _record(
            "announcement_deleted", announcement, by=by, request=request, title=announcement.title
        )
        for attachment in announcement.attachments.all():
            file_delete_on_commit(attachment.file)
        locked.delete()


def announcement_schedule(
    *,
    announcement: Announcement,
    by: User,
    at: dt.datetime,
    request: HttpRequest | None = None,
) -> Announcement:
    """Schedule the publication (and delivery) for a time in the future."""
    if at <= timezone.now():
        raise TransitionError("公開予定日時には、これから先の日時を指定してください。")

    def after(instance: Announcement) -> None:
        transaction.on_commit(partial(_publication_enqueue, at=at), robust=True)

    return ANNOUNCEMENT_WORKFLOW.apply(
        instance=announcement,
        name="schedule",
        by=by,
        changes={"scheduled_at": at, "scheduled_by": by},
        detail={"scheduled_at": at.isoformat()},
        request=request,
        after=after,
    )


def announcement_unschedule(
    *, announcement: Announcement, by: User, request: HttpRequest | None = None
) -> Announcement:
    """Take a scheduled announcement back to draft."""
    return ANNOUNCEMENT_WORKFLOW.apply(
        instance=announcement,
        name="unschedule",
        by=by,
        changes={"scheduled_at": None, "scheduled_by": None},
        request=request,
    )


def announcement_publish(
    *, announcement: Announcement, by: User, request: HttpRequest | None = None
) -> Delivery | None:
    """Publish now; if mail was chosen, start a delivery that a background task carries out.

    The request only writes the status, the audit event and the delivery row, and queues the
    task: resolving and rendering 20,000 messages is the worker's job.
    """
    created: list[Delivery] = []

    def after(instance: Announcement) -> None:
        if instance.send_mail:
            created.append(_delivery_start(announcement=instance, by=by))

    ANNOUNCEMENT_WORKFLOW.apply(
        instance=announcement,
        name="publish",
        by=by,
        changes={"published_at": timezone.now()},
        request=request,
        after=after,
    )
    return created[0] if created else None


def announcements_publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish every scheduled announcement whose time has come, in its scheduler's name."""
    from renkei.announcements.selectors import due_scheduled_announcements

    published = 0
    for announcement in due_scheduled_announcements(now=now or timezone.now()):
        actor = announcement.scheduled_by or announcement.created_by
        try:
            announcement_publish(announcement=announcement, by=actor)
        except TransitionError:
            continue  # published or unscheduled meanwhile, or the scheduler lost the right
        published += 1
    return published


# A delivery still being prepared this long after it started lost its task (a worker killed).
STUCK_PREPARING = dt.timedelta(minutes=15)


def deliveries_resume_stuck(*, now: dt.datetime | None = None) -> int:
    """Queue again the preparation of deliveries whose task was lost; return how many.

    Safe to repeat: `delivery_prepare` locks the delivery and does nothing once it is queued.
    """
    cutoff = (now or timezone.now()) - STUCK_PREPARING
    stuck = list(
        Delivery.objects.filter(status=DeliveryStatus.PREPARING, started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for delivery_id in stuck:
        _delivery_enqueue(delivery_id=delivery_id)
    return len(stuck)


def _delivery_start(*, announcement: Announcement, by: User) -> Delivery:
    """Record a delivery (it counts for the fiscal year) and queue its task after commit."""
    now = timezone.now()
    delivery = Delivery.objects.create(
        announcement=announcement,
        started_at=now,
        fiscal_year=fiscal_year_of(timezone.localdate(now)),
        started_by=by,
    )
    _record(
        "announcement_delivery_started", announcement, by=by, request=None, delivery=delivery.pk
    )
    transaction.on_commit(partial(_delivery_enqueue, delivery_id=delivery.pk), robust=True)
    return delivery


def _delivery_enqueue(*, delivery_id: int) -> None:
    from renkei.announcements.tasks import deliver_announcement

    deliver_announcement.enqueue(delivery_id)


def _publication_enqueue(*, at: dt.datetime) -> None:
    from renkei.announcements.tasks import publish_due_announcements

    if publish_due_announcements.get_backend().supports_defer:
        publish_due_announcements.using(run_after=at).enqueue()
    # Otherwise (development, tests) cron's `announcements_publish_due` publishes it.


def delivery_prepare(*, delivery: Delivery) -> Delivery:
    """Resolve the recipients and queue one outbox message each (run by the worker)."""
    from renkei.announcements.mail import delivery_messages_queue

    with transaction.atomic():
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.status != DeliveryStatus.PREPARING:
            return locked  # a re-run task must not queue the messages twice
        count, skipped = delivery_messages_queue(delivery=locked)
        locked.status = DeliveryStatus.QUEUED
        locked.recipient_count = count
        locked.unsubscribed_count = skipped
        locked.save(update_fields=["status", "recipient_count", "unsubscribed_count"])
    return locked


def delivery_resend_failures(
    *, delivery: Delivery, by: User, request: HttpRequest | None = None
) -> int:
    """Send again to the recipients whose message failed; return how many."""
    with transaction.atomic():
        count = outbox_requeue(topic=delivery.topic)
        _record(
            "announcement_resent",
            delivery.announcement,
            by=by,
            request=request,
            delivery=delivery.pk,
            count=count,
        )
    return count


def newsletter_unsubscribe(*, email: str, request: HttpRequest | None = None) -> bool:
    """Record that an address wants no more newsletters; False if it had already said so."""
    address = email.strip().lower()
    try:
        with transaction.atomic():
            NewsletterOptOut.objects.create(email=address)
            audit_record(
                action=Action.CHANGED,
                request=request,
                actor_username=address,
                detail={"what": "newsletter_unsubscribed"},
            )
    except IntegrityError:
        return False
    return True


def external_contacts_import(
    *, by: User, rows: Sequence[tuple[str, str, str]], request: HttpRequest | None = None
) -> tuple[int, int]:
    """Add non-member addresses (organization, name, e-mail), all or nothing.

    Returns (added, already listed). Rows must be validated first (forms.ExternalImportForm).
    """
    existing = {e.lower() for e in ExternalContact.objects.values_list("email", flat=True)}
    added, known = [], 0
    for organization_name, name, email in rows:
        if email.lower() in existing:
            known += 1
            continue
        existing.add(email.lower())
        added.append(ExternalContact(organization_name=organization_name, name=name, email=email))
    with transaction.atomic():
        ExternalContact.objects.bulk_create(added)
        audit_record(
            action=Action.CHANGED,
            actor=by,
            request=request,
            detail={"what": "external_contacts_imported", "added": len(added), "known": known},
        )
    return len(added), known


def external_contact_set_active(
    *, contact: ExternalContact, by: User, active: bool, request: HttpRequest | None = None
) -> None:
    """Stop or resume mailing one non-member address."""
    with transaction.atomic():
        ExternalContact.objects.filter(pk=contact.pk).update(is_active=active)
        contact.is_active = active
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=contact,
            request=request,
            detail={"what": "external_contact_active", "active": active},
        )


def announcement_read_mark(*, user: User, announcement: Announcement) -> None:
    """Remember that the user has opened the announcement, so it is no longer 未読 for them.

    A reader's own bookkeeping, like the forum's read markers: not audited.
    """
    AnnouncementRead.objects.get_or_create(user=user, announcement=announcement)
