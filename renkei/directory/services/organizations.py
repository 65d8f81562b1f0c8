"""Organizations: joining and leaving the council, abolition, records, notification mailbox."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.wareki import format_date
from renkei.directory.models import Membership, Organization
from renkei.directory.services.common import DirectoryError, _save_recorded


def membership_start(
    *,
    organization: Organization,
    category: str,
    joined_on: dt.date,
    by: User,
    request: HttpRequest | None = None,
) -> Membership:
    """Record that an organization joined the council on a date."""
    open_membership = organization.memberships.filter(left_on__isnull=True).first()
    if open_membership is not None:
        raise DirectoryError(
            f"{organization.name} はすでに会員です"
            f"（入会日 {format_date(open_membership.joined_on)}）。"
        )
    with transaction.atomic():
        membership = Membership.objects.create(
            organization=organization, category=category, joined_on=joined_on
        )
        audit_record(
            action=Action.MEMBERSHIP_CHANGED,
            actor=by,
            target=organization,
            request=request,
            detail={"joined_on": joined_on.isoformat(), "category": category},
        )
    return membership


def membership_end(
    *, organization: Organization, left_on: dt.date, by: User, request: HttpRequest | None = None
) -> Membership:
    """Record that an organization left the council; left_on is its first day as a non-member."""
    membership = organization.memberships.filter(left_on__isnull=True).first()
    if membership is None:
        raise DirectoryError(f"{organization.name} は現在会員ではありません。")
    if left_on <= membership.joined_on:
        raise DirectoryError("退会日は入会日より後の日付にしてください。")
    with transaction.atomic():
        membership.left_on = left_on
        _save_recorded(
            membership,
            ["left_on"],
            action=Action.MEMBERSHIP_CHANGED,
            target=organization,
            by=by,
            request=request,
            detail={"left_on": left_on.isoformat()},
        )
    return membership


def organization_abolish(
    *,
    organization: Organization,
    abolished_on: dt.date,
    successor: Organization | None,
    by: User,
    request: HttpRequest | None = None,
) -> Organization:
    """Mark an organization abolished (e.g. by a merger) and name its successor."""
    if successor is not None and successor.pk == organization.pk:
        raise DirectoryError("承継団体に自分自身は指定できません。")
    with transaction.atomic():
        organization.abolished_on = abolished_on
        organization.successor = successor
        organization.save(update_fields=["abolished_on", "successor", "updated_at"])
        membership = organization.memberships.filter(left_on__isnull=True).first()
        if membership is not None and abolished_on > membership.joined_on:
            membership.left_on = abolished_on
            membership.save(update_fields=["left_on"])
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=organization,
            request=request,
            detail={
                "abolished_on": abolished_on.isoformat(),
                "successor": successor.pk if successor else None,
            },
        )
    return organization


def organization_save(
    *,
    organization: Organization,
    changed: list[str],
    by: User,
    request: HttpRequest | None = None,
) -> Organization:
    """Store a new or edited hand-entered organization (validated by its form) and record it."""
    action = Action.CREATED if organization.pk is None else Action.CHANGED
    with transaction.atomic():
        _save_recorded(
            organization, None, action=action, by=by, request=request, detail={"fields": changed}
        )
    return organization


def organization_notification_email_set(
    *, organization: Organization, email: str, by: User, request: HttpRequest | None = None
) -> Organization:
    """Set or clear an organization's shared notification mailbox, and record who did it."""
    email = email.strip()
    before = organization.notification_email
    if email == before:
        return organization
    with transaction.atomic():
        organization.notification_email = email
        _save_recorded(
            organization,
            ["notification_email", "updated_at"],
            by=by,
            request=request,
            detail={"field": "notification_email", "before": before, "after": email},
        )
    return organization
