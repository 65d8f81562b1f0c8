"""Invitations: inviting a person by e-mail, accepting (account and directory entry), revoking."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import Capability, has_capability
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.links import absolute_url
from renkei.directory.models import Invitation, Organization, Person
from renkei.directory.permissions import ORGANIZATION_MANAGED_ROLES
from renkei.directory.services.common import DirectoryError, _save_recorded
from renkei.directory.services.people import person_create
from renkei.mailer.services import mail_queue

INVITATION_VALID_DAYS = 7


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
    if (
        not has_capability(by, Capability.MANAGE_DIRECTORY)
        and role not in ORGANIZATION_MANAGED_ROLES
    ):
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
                    by=user,
                    request=request,
                )
            person.user = user
            person.save(update_fields=["user", "updated_at"])
            invitation.accepted_at = timezone.now()
            invitation.person = person
            _save_recorded(
                invitation,
                ["accepted_at", "person"],
                action=Action.INVITATION_ACCEPTED,
                by=user,
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
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        _save_recorded(
            invitation, ["revoked_at"], action=Action.INVITATION_REVOKED, by=by, request=request
        )
