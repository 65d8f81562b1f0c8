"""Reading お知らせ: who sees them, who receives them, how each delivery went."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.announcements.models import (
    Announcement,
    AnnouncementRead,
    AnnouncementStatus,
    AudienceKind,
    Delivery,
    ExternalContact,
    NewsletterOptOut,
)
from renkei.core.fiscal_year import fiscal_year_of
from renkei.directory.models import GroupMember, Organization, Person
from renkei.directory.permissions import organization_of
from renkei.directory.selectors import (
    Affiliation,
    group_organization_ids,
    member_organizations,
    notification_recipients,
)
from renkei.mailer.models import OutboxMessage, Status

# What the delivery log calls each outbox status (送信中 is still on its way: 送信待ち).
RECIPIENT_STATUSES = {
    "queued": ("送信待ち", (Status.QUEUED, Status.SENDING)),
    "sent": ("送信済み", (Status.SENT,)),
    "failed": ("送信失敗", (Status.FAILED,)),
    "bounced": ("不達（エラー返送）", (Status.BOUNCED,)),
}


def _organization_groups(organization: Organization, *, on: dt.date) -> QuerySet[GroupMember]:
    """Return the groups the organization belongs to today, itself or through its people.

    A subquery, so that matching an audience costs the announcements' query alone.
    """
    in_term = (Q(term_start__isnull=True) | Q(term_start__lte=on)) & (
        Q(term_end__isnull=True) | Q(term_end__gte=on)
    )
    return (
        GroupMember.objects.filter(in_term)
        .filter(Q(organization=organization) | Q(person__organization=organization))
        .order_by()
        .values("group_id")
    )


def audience_includes(
    organization: Organization,
    *,
    on: dt.date | None = None,
    group_ids: Iterable[int] | None = None,
) -> Q:
    """Match the announcements whose audience takes in the organization.

    group_ids: the organization's groups today when the caller knows them already
    (Affiliation.organization_group_ids); otherwise they are a subquery.
    """
    on = on or timezone.localdate()
    groups = _organization_groups(organization, on=on) if group_ids is None else list(group_ids)
    return (
        Q(audience=AudienceKind.ALL_MEMBERS)
        | Q(audience=AudienceKind.GROUP, audience_group_id__in=groups)
        | Q(
            audience=AudienceKind.ORGANIZATION_KIND,
            audience_kinds__contains=f",{organization.kind},",
        )
        | Q(
            audience=AudienceKind.PREFECTURE,
            audience_prefectures__contains=f",{organization.prefecture_code or '--'},",
        )
    )


def announcements_visible_to(*, user: User) -> QuerySet[Announcement]:
    """Return the published announcements the user may read, newest first.

    The secretariat reads all; a member reads those whose audience takes in their
    organization (an announcement for non-members only is the secretariat's).
    """
    published = Announcement.objects.filter(status=AnnouncementStatus.PUBLISHED)
    if has_capability(user, Capability.MANAGE_ANNOUNCEMENTS):
        return published
    organization = organization_of(user)
    if organization is None or not has_capability(user, Capability.VIEW_ANNOUNCEMENTS):
        return published.none()
    return published.filter(audience_includes(organization))


def announcement_news(*, user: User, affiliation: Affiliation, limit: int) -> list[dict]:
    """Return the newest announcements the user may read as rows, unread marked (1 query).

    The rule of announcements_visible_to, with the organization and its groups passed in.
    Each row has pk, title, published_at and unread.
    """
    published = Announcement.objects.filter(status=AnnouncementStatus.PUBLISHED)
    if not has_capability(user, Capability.MANAGE_ANNOUNCEMENTS):
        organization = affiliation.organization
        if organization is None or not has_capability(user, Capability.VIEW_ANNOUNCEMENTS):
            return []
        published = published.filter(
            audience_includes(organization, group_ids=affiliation.organization_group_ids)
        )
    return list(
        read_annotate(published, user=user)
        .order_by("-published_at", "-id")
        .values("pk", "title", "published_at", "unread")[:limit]
    )


def announcement_list(
    *, user: User, query: str = "", fiscal_year: int | None = None
) -> QuerySet[Announcement]:
    """Return the news list (新着情報) for a user, filtered by words and fiscal year."""
    announcements = announcements_visible_to(user=user).order_by("-published_at", "-id")
    for word in query.split():
        announcements = announcements.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if fiscal_year is not None:
        start = dt.datetime(fiscal_year, 4, 1, tzinfo=timezone.get_current_timezone())
        end = dt.datetime(fiscal_year + 1, 4, 1, tzinfo=timezone.get_current_timezone())
        announcements = announcements.filter(published_at__gte=start, published_at__lt=end)
    return read_annotate(
        announcements.only("title", "kind", "published_at", "audience", "status"), user=user
    )


def read_annotate(announcements: QuerySet[Announcement], *, user: User) -> QuerySet[Announcement]:
    """Annotate `unread`: the user has not opened the announcement (a subquery, no extra query)."""
    return announcements.annotate(
        unread=~Exists(AnnouncementRead.objects.filter(user=user, announcement=OuterRef("pk")))
    )


def managed_announcements(*, status: str = "", query: str = "") -> QuerySet[Announcement]:
    """Return every announcement for the secretariat's list, filtered by status and words."""
    announcements = Announcement.objects.select_related("audience_group").annotate(
        delivery_count=Count("deliveries")
    )
    if status:
        announcements = announcements.filter(status=status)
    for word in query.split():
        announcements = announcements.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return announcements.order_by("-updated_at", "-id")


def audience_organization_ids(*, announcement: Announcement) -> set[int]:
    """Return the member organizations an announcement is addressed to."""
    if announcement.audience == AudienceKind.EXTERNAL_ONLY:
        return set()
    if announcement.audience == AudienceKind.GROUP:
        if announcement.audience_group_id is None:
            return set()
        return group_organization_ids(group_id=announcement.audience_group_id)
    members = member_organizations()
    if announcement.audience == AudienceKind.ORGANIZATION_KIND:
        members = members.filter(kind__in=announcement.kinds)
    elif announcement.audience == AudienceKind.PREFECTURE:
        members = members.filter(prefecture_code__in=announcement.prefectures)
    return set(members.values_list("pk", flat=True))


@dataclass(frozen=True)
class Recipient:
    """One address a delivery goes to."""

    name: str
    email: str
    organization_name: str = ""
    source: str = ""  # 通知先, 利用者 or 会員外


def delivery_recipients(*, announcement: Announcement) -> tuple[list[Recipient], int]:
    """Return the addresses a delivery goes to, each once, and how many opted out.

    The organizations' notification addresses (連絡窓口 and shared mailboxes) and the
    accounts of their people, then the non-member list if chosen. A newsletter leaves out
    the addresses that unsubscribed; a notice the council must send reaches all of them.
    Four queries, whatever the audience's size.
    """
    organization_ids = audience_organization_ids(announcement=announcement)
    candidates: list[Recipient] = [
        Recipient(r.name, r.email, r.organization.name, "通知先")
        for r in notification_recipients(organization_ids=organization_ids)
    ]
    holders = (
        Person.objects.filter(
            organization_id__in=organization_ids, user__is_active=True, organization__isnull=False
        )
        .exclude(user__email="")
        .values_list("name", "user__email", "organization__name")
        .order_by("organization__code", "kana", "pk")
    )
    candidates += [Recipient(name, email, org, "利用者") for name, email, org in holders]
    if announcement.include_external or announcement.audience == AudienceKind.EXTERNAL_ONLY:
        contacts = ExternalContact.objects.filter(is_active=True).values_list(
            "name", "email", "organization_name"
        )
        candidates += [Recipient(name, email, org, "会員外") for name, email, org in contacts]
    opted_out = (
        newsletter_opt_outs(emails=[c.email for c in candidates])
        if announcement.is_newsletter
        else set()
    )
    recipients, seen, skipped = [], set(), 0
    for candidate in candidates:
        key = candidate.email.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        if key in opted_out:
            skipped += 1
            continue
        recipients.append(candidate)
    return recipients, skipped


def newsletter_opt_outs(*, emails: Iterable[str]) -> set[str]:
    """Return which of the addresses (lower case) unsubscribed from newsletters."""
    wanted = {e.strip().lower() for e in emails}
    if not wanted:
        return set()
    # One query: the opt-out list is short beside any mailing.
    return {
        e
        for e in NewsletterOptOut.objects.annotate(lower=Lower("email")).values_list(
            "lower", flat=True
        )
        if e in wanted
    }


def delivery_counts(*, delivery: Delivery) -> dict[str, int]:
    """Count a delivery's recipients per log status (queued, sent, failed, bounced)."""
    rows = (
        OutboxMessage.objects.filter(topic=delivery.topic)
        .order_by()
        .values("status")
        .annotate(count=Count("id"))
    )
    by_status = {row["status"]: row["count"] for row in rows}
    return {
        key: sum(by_status.get(s, 0) for s in statuses)
        for key, (_, statuses) in RECIPIENT_STATUSES.items()
    }


def delivery_messages(*, delivery: Delivery, status: str = "", query: str = "") -> QuerySet:
    """Return a delivery's per-recipient messages, filtered by log status and address."""
    messages = OutboxMessage.objects.filter(topic=delivery.topic).only(
        "to_email", "to_name", "status", "attempts", "sent_at", "bounced_at", "last_error"
    )
    if status in RECIPIENT_STATUSES:
        messages = messages.filter(status__in=RECIPIENT_STATUSES[status][1])
    for word in query.split():
        messages = messages.filter(Q(to_email__icontains=word) | Q(to_name__icontains=word))
    return messages.order_by("id")


def deliveries_per_fiscal_year() -> list[tuple[int, int]]:
    """Return (fiscal year, number of deliveries), newest year first: 「25回配信」."""
    rows = (
        Delivery.objects.order_by()
        .values("fiscal_year")
        .annotate(count=Count("id"))
        .order_by("-fiscal_year")
    )
    return [(row["fiscal_year"], row["count"]) for row in rows]


def deliveries_in_fiscal_year(*, year: int | None = None) -> int:
    """Count the e-mail deliveries of a fiscal year (this one by default)."""
    year = year if year is not None else fiscal_year_of(timezone.localdate())
    return Delivery.objects.filter(fiscal_year=year).count()


def due_scheduled_announcements(*, now: dt.datetime) -> QuerySet[Announcement]:
    """Return the scheduled announcements whose time has come."""
    return Announcement.objects.filter(
        status=AnnouncementStatus.SCHEDULED, scheduled_at__lte=now
    ).order_by("scheduled_at", "id")
