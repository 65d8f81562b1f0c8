"""Changing the directory: memberships, people, transfers, groups and invitations."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.links import absolute_url
from renkei.core.text import hiragana_to_katakana, katakana_from_halfwidth
from renkei.core.wareki import format_date
from renkei.directory.models import (
    Assignment,
    Department,
    Group,
    GroupMember,
    Invitation,
    Membership,
    Organization,
    Person,
    Post,
)
from renkei.mailer.services import mail_queue

INVITATION_VALID_DAYS = 7


class DirectoryError(Exception):
    """A directory change that is not allowed; the message is shown to the user."""


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
        membership.save(update_fields=["left_on"])
        audit_record(
            action=Action.MEMBERSHIP_CHANGED,
            actor=by,
            target=organization,
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


def person_create(
    *,
    organization: Organization,
    name: str,
    kana: str = "",
    email: str = "",
    phone: str = "",
    department_name: str = "",
    title: str = "",
    started_on: dt.date | None = None,
) -> Person:
    """Add a person to an organization's directory, starting their post history."""
    with transaction.atomic():
        department = _department(organization=organization, name=department_name)
        person = Person.objects.create(
            name=name,
            kana=_kana_clean(kana),
            email=email,
            phone=phone,
            organization=organization,
            department=department,
            title=title,
        )
        Assignment.objects.create(
            person=person,
            organization=organization,
            department=department,
            department_name=department.name if department else "",
            title=title,
            started_on=started_on or timezone.localdate(),
        )
    return person


def person_transfer(
    *,
    person: Person,
    organization: Organization,
    department_name: str,
    title: str,
    on: dt.date,
    by: User,
    request: HttpRequest | None = None,
) -> Person:
    """Move a person to another post (人事異動); their history and the old posts stay."""
    with transaction.atomic():
        current = person.assignments.filter(ended_on__isnull=True).first()
        if current is not None:
            if on <= current.started_on:
                raise DirectoryError("異動日は現在の着任日より後の日付にしてください。")
            current.ended_on = on
            current.save(update_fields=["ended_on"])
        # The posts the person held stay with the organization, vacant until refilled.
        Post.objects.filter(holder=person).update(holder=None)
        department = _department(organization=organization, name=department_name)
        Assignment.objects.create(
            person=person,
            organization=organization,
            department=department,
            department_name=department.name if department else "",
            title=title,
            started_on=on,
        )
        old_organization_id = person.organization_id
        person.organization = organization
        person.department = department
        person.title = title
        person.save(update_fields=["organization", "department", "title", "updated_at"])
        if person.user_id and old_organization_id != organization.pk:
            # An account does not carry management rights into another organization.
            user = person.user
            if user.role == Role.REPRESENTATIVE:
                user.role = Role.STAFF
                user.save(update_fields=["role"])
                audit_record(
                    action=Action.ROLE_CHANGED,
                    actor=by,
                    target=user,
                    request=request,
                    detail={"from": Role.REPRESENTATIVE, "to": Role.STAFF, "reason": "transfer"},
                )
        audit_record(
            action=Action.PERSON_TRANSFERRED,
            actor=by,
            target=person,
            request=request,
            detail={
                "from_organization": old_organization_id,
                "to_organization": organization.pk,
                "title": title,
                "on": on.isoformat(),
            },
        )
    return person


def person_leave(*, person: Person, on: dt.date, by: User) -> Person:
    """End a person's current post (retirement or leaving the member organizations)."""
    with transaction.atomic():
        person.assignments.filter(ended_on__isnull=True).update(ended_on=on)
        Post.objects.filter(holder=person).update(holder=None)
        person.organization = None
        person.department = None
        person.title = ""
        person.save(update_fields=["organization", "department", "title", "updated_at"])
        if person.user_id and person.user.is_active:
            person.user.is_active = False
            person.user.save(update_fields=["is_active"])
        audit_record(
            action=Action.PERSON_TRANSFERRED,
            actor=by,
            target=person,
            detail={"left_on": on.isoformat()},
        )
    return person


def _kana_clean(kana: str) -> str:
    """Store kana as full-width katakana, however it was typed, so that searches find it."""
    return hiragana_to_katakana(katakana_from_halfwidth(kana)).strip()


def _department(*, organization: Organization, name: str) -> Department | None:
    name = name.strip()
    if not name:
        return None
    department, _ = Department.objects.get_or_create(organization=organization, name=name)
    return department


def group_member_add(
    *,
    group: Group,
    person: Person | None = None,
    organization: Organization | None = None,
    role: str,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
) -> GroupMember:
    """Add a person or a whole organization to a group."""
    if (person is None) == (organization is None):
        raise DirectoryError("人員か団体のどちらか一方を指定してください。")
    if term_start and term_end and term_end < term_start:
        raise DirectoryError("任期終了は任期開始より後の日付にしてください。")
    return GroupMember.objects.create(
        group=group,
        person=person,
        organization=organization,
        role=role,
        term_start=term_start,
        term_end=term_end,
    )


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
        organization.save(update_fields=["notification_email", "updated_at"])
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=organization,
            request=request,
            detail={"field": "notification_email", "before": before, "after": email},
        )
    return organization


def invitation_create(
    *,
    organization: Organization,
    name: str,
    email: str,
    role: str,
    by: User,
    request: HttpRequest | None = None,
) -> Invitation:
    """Invite a person to open an account for the organization, by e-mail."""
    if role not in Role.values:
        raise DirectoryError("権限の指定が正しくありません。")
    if by.role != Role.SECRETARIAT and role not in (Role.STAFF, Role.REPRESENTATIVE):
        raise DirectoryError("団体管理者が招待できるのは職員と団体管理者のみです。")
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise DirectoryError(f"{email} はすでに利用者として登録されています。")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organization=organization,
            name=name,
            email=email,
            role=role,
            invited_by=by,
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_VALID_DAYS),
        )
        # Mail links use RENKEI_BASE_URL, never the host the request happened to name.
        url = absolute_url(reverse("invitation_accept", args=[invitation.token]))
        mail_queue(
            to=[(name, email)],
            template="invitation",
            context={
                "organization": organization.name,
                "role": Role(role).label,
                "inviter": by.get_full_name(),
                "url": url,
                "expires_at": invitation.expires_at,
            },
            topic="invitation",
        )
        audit_record(
            action=Action.INVITATION_SENT,
            actor=by,
            target=invitation,
            request=request,
            detail={"organization": organization.pk, "role": role},
        )
    return invitation


def invitation_is_usable(invitation: Invitation) -> bool:
    """Tell whether the invitation can still be accepted."""
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > timezone.now()
    )


def invitation_accept(
    *,
    invitation: Invitation,
    username: str,
    password: str,
    kana: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Create the invited person's account and directory entry."""
    if not invitation_is_usable(invitation):
        raise DirectoryError("この招待は有効期限が切れているか、すでに使用されています。")
    # allauth looks user IDs up in lower case (ACCOUNT_PRESERVE_USERNAME_CASING = False).
    username = username.strip().lower()
    taken = DirectoryError(f"ユーザーID「{username}」はすでに使われています。")
    if User.objects.filter(username__iexact=username).exists():
        raise taken
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                password=password,
                email=invitation.email,
                full_name=invitation.name,
                role=invitation.role,
            )
            person = (
                invitation.person
                or Person.objects.filter(
                    organization=invitation.organization,
                    email__iexact=invitation.email,
                    user__isnull=True,
                ).first()
            )
            if person is None:
                person = person_create(
                    organization=invitation.organization,
                    name=invitation.name,
                    kana=kana,
                    email=invitation.email,
                )
            person.user = user
            person.save(update_fields=["user", "updated_at"])
            invitation.accepted_at = timezone.now()
            invitation.person = person
            invitation.save(update_fields=["accepted_at", "person"])
            audit_record(
                action=Action.INVITATION_ACCEPTED,
                actor=user,
                target=invitation,
                request=request,
            )
    except IntegrityError as exc:
        raise taken from exc
    return user


def invitation_revoke(
    *, invitation: Invitation, by: User, request: HttpRequest | None = None
) -> None:
    """Withdraw an invitation that has not been accepted."""
    if invitation.accepted_at is not None:
        raise DirectoryError("承諾済みの招待は取り消せません。")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(action=Action.INVITATION_REVOKED, actor=by, target=invitation, request=request)
