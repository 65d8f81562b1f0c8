"""Changing the directory: memberships, people, transfers, groups and invitations."""

import datetime as dt
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import Capability, has_capability
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
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
from renkei.directory.permissions import ORGANIZATION_MANAGED_ROLES
from renkei.mailer.services import mail_queue

INVITATION_VALID_DAYS = 7


class DirectoryError(ServiceError):
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
    by: User,
    request: HttpRequest | None = None,
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
        _assignment_start(
            person=person,
            organization=organization,
            department=department,
            title=title,
            started_on=started_on or timezone.localdate(),
        )
        audit_record(
            action=Action.CREATED,
            actor=by,
            target=person,
            request=request,
            detail={"organization": organization.pk},
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
        _assignment_start(
            person=person,
            organization=organization,
            department=department,
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
                _save_recorded(
                    user,
                    ["role"],
                    action=Action.ROLE_CHANGED,
                    by=by,
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


def person_leave(
    *, person: Person, on: dt.date, by: User, request: HttpRequest | None = None
) -> Person:
    """Record that a person left their organization (離任・退職) and end everything it gave them.

    Their current post ends on the date, the posts they held (連絡窓口 among them) fall vacant,
    their group terms end, pending invitations are withdrawn and their account is deactivated.
    """
    if person.organization_id is None:
        raise DirectoryError(f"{person.name} さんはすでにどの団体にも所属していません。")
    if on > timezone.localdate():
        raise DirectoryError("離任日が今日より後です。離任日を迎えてから登録してください。")
    current = person.assignments.filter(ended_on__isnull=True).order_by("-started_on").first()
    if current is not None and on < current.started_on:
        raise DirectoryError(
            f"離任日は現在の着任日（{format_date(current.started_on)}）以後の日付にしてください。"
        )
    if person.user_id is not None and by.pk == person.user_id:
        raise DirectoryError(
            "自分自身の離任は登録できません。事務局または他の団体管理者に依頼してください。"
        )
    with transaction.atomic():
        organization = person.organization
        person.assignments.filter(ended_on__isnull=True).update(ended_on=on)
        vacated = list(Post.objects.filter(holder=person).values_list("pk", flat=True))
        Post.objects.filter(pk__in=vacated).update(holder=None)
        # Terms that would start after the departure never begin; running ones end on the date.
        person.group_memberships.filter(term_start__gt=on).delete()
        person.group_memberships.filter(Q(term_end__isnull=True) | Q(term_end__gt=on)).update(
            term_end=on
        )
        Invitation.objects.filter(
            Q(person=person) | Q(organization=organization, email__iexact=person.email or "-"),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        person.organization = None
        person.department = None
        person.title = ""
        person.save(update_fields=["organization", "department", "title", "updated_at"])
        deactivated = False
        if person.user_id and person.user.is_active:
            person.user.is_active = False
            _save_recorded(
                person.user,
                ["is_active"],
                action=Action.USER_DEACTIVATED,
                by=by,
                request=request,
                detail={"reason": "left"},
            )
            deactivated = True
        audit_record(
            action=Action.PERSON_TRANSFERRED,
            actor=by,
            target=person,
            request=request,
            detail={
                "left_on": on.isoformat(),
                "from_organization": organization.pk,
                "vacated_posts": vacated,
                "account_deactivated": deactivated,
            },
        )
    return person


def person_update(
    *,
    person: Person,
    department_name: str,
    title: str,
    email: str,
    phone: str,
    by: User,
    request: HttpRequest | None = None,
) -> Person:
    """Correct a person's department, title and contact details (not a dated transfer)."""
    if person.organization is None:
        raise DirectoryError(f"{person.name} さんはどの団体にも所属していません。")
    with transaction.atomic():
        department = _department(organization=person.organization, name=department_name)
        before = {
            "department": person.department.name if person.department else "",
            "title": person.title,
            "email": person.email,
            "phone": person.phone,
        }
        person.department = department
        person.title = title.strip()
        person.email = email.strip()
        person.phone = phone.strip()
        after = {
            "department": department.name if department else "",
            "title": person.title,
            "email": person.email,
            "phone": person.phone,
        }
        changes = _changes(before, after)
        if not changes:
            return person
        person.save(update_fields=["department", "title", "email", "phone", "updated_at"])
        # The current post's record follows a correction of department or title.
        if "department" in changes or "title" in changes:
            person.assignments.filter(ended_on__isnull=True).update(
                department=department, department_name=after["department"], title=person.title
            )
        audit_record(
            action=Action.CHANGED, actor=by, target=person, request=request, detail=changes
        )
    return person


def post_assign(
    *, post: Post, holder: Person | None, by: User, request: HttpRequest | None = None
) -> Post:
    """Give a post (e.g. the 連絡窓口) to a current member of its organization, or leave it vacant."""
    if holder is not None and holder.organization_id != post.organization_id:
        raise DirectoryError(
            f"{holder.name} さんは {post.organization.name} の職員ではありません。"
        )
    if holder is not None and holder.user_id is not None and not holder.user.is_active:
        raise DirectoryError(f"{holder.name} さんは利用停止中のため、職に就けられません。")
    old = post.holder_id
    if old == (holder.pk if holder else None):
        return post
    with transaction.atomic():
        post.holder = holder
        _save_recorded(
            post,
            ["holder"],
            by=by,
            request=request,
            detail={"holder": [old, holder.pk if holder else None], "is_contact": post.is_contact},
        )
    return post


def contact_post_create(
    *,
    organization: Organization,
    title: str,
    holder: Person | None,
    by: User,
    request: HttpRequest | None = None,
) -> Post:
    """Set up a 連絡窓口 post for an organization and give it to one of its staff."""
    title = title.strip() or "連絡窓口"
    if organization.posts.filter(title=title).exists():
        raise DirectoryError(f"「{title}」という職はすでにあります。")
    with transaction.atomic():
        post = Post.objects.create(organization=organization, title=title, is_contact=True)
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=post,
            request=request,
            detail={"created": True, "is_contact": True},
        )
        if holder is not None:
            post_assign(post=post, holder=holder, by=by, request=request)
    return post


def _kana_clean(kana: str) -> str:
    """Store kana as full-width katakana, however it was typed, so that searches find it."""
    return hiragana_to_katakana(katakana_from_halfwidth(kana)).strip()


def _department(*, organization: Organization, name: str) -> Department | None:
    name = name.strip()
    if not name:
        return None
    department, _ = Department.objects.get_or_create(organization=organization, name=name)
    return department


def _assignment_start(
    *,
    person: Person,
    organization: Organization,
    department: Department | None,
    title: str,
    started_on: dt.date,
) -> Assignment:
    """Open a person's next post record (their post history: 着任 until ended)."""
    return Assignment.objects.create(
        person=person,
        organization=organization,
        department=department,
        department_name=department.name if department else "",
        title=title,
        started_on=started_on,
    )


def _save_recorded(
    instance: models.Model,
    fields: list[str] | None,
    *,
    action: str = Action.CHANGED,
    target: models.Model | None = None,
    by: User,
    request: HttpRequest | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Save the instance (only `fields`, if named) and write the change's audit row.

    The caller holds the transaction. The row names `target`, else the instance itself.
    """
    instance.save(update_fields=fields)
    audit_record(
        action=action,
        actor=by,
        target=instance if target is None else target,
        request=request,
        detail=detail,
    )


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return the values that differ, each as [before, after], for the audit row."""
    return {k: [before[k], after[k]] for k in before if before[k] != after[k]}


def group_member_add(
    *,
    group: Group,
    person: Person | None = None,
    organization: Organization | None = None,
    role: str,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    by: User,
    request: HttpRequest | None = None,
) -> GroupMember:
    """Add a person or a whole organization to a group."""
    if (person is None) == (organization is None):
        raise DirectoryError("人員か団体のどちらか一方を指定してください。")
    if term_start and term_end and term_end < term_start:
        raise DirectoryError("任期終了は任期開始より後の日付にしてください。", field="term_end")
    with transaction.atomic():
        member = GroupMember.objects.create(
            group=group,
            person=person,
            organization=organization,
            role=role,
            term_start=term_start,
            term_end=term_end,
        )
        audit_record(
            action=Action.CREATED,
            actor=by,
            target=member,
            request=request,
            detail={"group": group.pk, "role": role},
        )
    return member


def group_member_remove(
    *, group: Group, member_id: int, by: User, request: HttpRequest | None = None
) -> None:
    """Take a person or an organization out of a group."""
    member = group.members.filter(pk=member_id).first()
    if member is None:
        raise DirectoryError("外す構成員が見つかりません。")
    with transaction.atomic():
        # Recorded first: once deleted, the row has no primary key to name.
        audit_record(
            action=Action.DELETED,
            actor=by,
            target=member,
            request=request,
            detail={"group": group.pk},
        )
        member.delete()


def group_save(*, group: Group, by: User, request: HttpRequest | None = None) -> Group:
    """Store a new or edited group (validated by its form) and record who did it."""
    action = Action.CREATED if group.pk is None else Action.CHANGED
    with transaction.atomic():
        _save_recorded(group, None, action=action, by=by, request=request)
    return group


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


# A member's own details ----------------------------------------------------------------------

EMAIL_CHANGE_SALT = "renkei.directory.email_change"
EMAIL_CHANGE_VALID_HOURS = 24


def profile_update(
    *, user: User, full_name: str, phone: str, request: HttpRequest | None = None
) -> User:
    """Change one's own display name and phone; the directory entry follows."""
    full_name = full_name.strip()
    if not full_name:
        raise DirectoryError("氏名を入力してください。")
    person = getattr(user, "person", None)
    before = {"full_name": user.full_name, "phone": person.phone if person else ""}
    after = {"full_name": full_name, "phone": phone.strip() if person else ""}
    changes = _changes(before, after)
    if not changes:
        return user
    with transaction.atomic():
        user.full_name = full_name
        user.save(update_fields=["full_name"])
        if person is not None:
            person.name = full_name
            person.phone = after["phone"]
            person.save(update_fields=["name", "phone", "updated_at"])
        audit_record(
            action=Action.CHANGED, actor=user, target=user, request=request, detail=changes
        )
    return user


def email_change_request(*, user: User, new_email: str, request: HttpRequest | None = None) -> str:
    """Send a signed, expiring confirmation link to the new address; nothing changes yet."""
    new_email = new_email.strip()
    if new_email.lower() == (user.email or "").lower():
        raise DirectoryError("現在と同じメールアドレスです。")
    if User.objects.filter(email__iexact=new_email, is_active=True).exclude(pk=user.pk).exists():
        raise DirectoryError(f"{new_email} は他の利用者が使っています。")
    token = signing.dumps(
        {"u": user.pk, "from": user.email, "to": new_email}, salt=EMAIL_CHANGE_SALT
    )
    with transaction.atomic():
        mail_queue(
            to=[(user.get_full_name(), new_email)],
            template="email_change",
            context={
                "username": user.username,
                "old_email": user.email,
                "new_email": new_email,
                "url": settings.RENKEI["BASE_URL"]
                + reverse("directory:email_change_confirm", args=[token]),
                "hours": EMAIL_CHANGE_VALID_HOURS,
            },
            topic="account",
        )
        audit_record(
            action=Action.CHANGED,
            actor=user,
            target=user,
            request=request,
            detail={"email_change_requested": new_email},
        )
    return token


def email_change_read(*, user: User, token: str) -> str:
    """Return the new address a confirmation link carries, or refuse it with the reason."""
    try:
        data = signing.loads(
            token, salt=EMAIL_CHANGE_SALT, max_age=dt.timedelta(hours=EMAIL_CHANGE_VALID_HOURS)
        )
    except signing.SignatureExpired as exc:
        raise DirectoryError(
            f"このリンクは有効期限（{EMAIL_CHANGE_VALID_HOURS}時間）が切れています。"
            "利用者設定からもう一度変更を申し込んでください。"
        ) from exc
    except signing.BadSignature as exc:
        raise DirectoryError(
            "このリンクは正しくありません。メールに記載されたリンクをそのまま開いてください。"
        ) from exc
    if data.get("u") != user.pk:
        raise DirectoryError(
            "このリンクは別の利用者のためのものです。変更を申し込んだ本人のユーザーIDで"
            "ログインしてから開いてください。"
        )
    if (data.get("from") or "").lower() != (user.email or "").lower():
        raise DirectoryError(
            "このリンクはすでに使われたか、その後メールアドレスが変更されています。"
        )
    return data["to"]


def email_change_confirm(*, user: User, token: str, request: HttpRequest | None = None) -> User:
    """Change one's account and directory address to the one the link was sent to."""
    new_email = email_change_read(user=user, token=token)
    if User.objects.filter(email__iexact=new_email, is_active=True).exclude(pk=user.pk).exists():
        raise DirectoryError(f"{new_email} は他の利用者が使っています。")
    old_email = user.email
    with transaction.atomic():
        user.email = new_email
        user.save(update_fields=["email"])
        person = getattr(user, "person", None)
        if person is not None:
            person.email = new_email
            person.save(update_fields=["email", "updated_at"])
        # allauth keeps its own address rows (password reset reads them): follow the change.
        EmailAddress.objects.filter(user=user, email__iexact=old_email).delete()
        audit_record(
            action=Action.CHANGED,
            actor=user,
            target=user,
            request=request,
            detail={"email": [old_email, new_email]},
        )
        if old_email:
            mail_queue(
                to=[(user.get_full_name(), old_email)],
                template="email_changed",
                context={"username": user.username, "old_email": old_email, "new_email": new_email},
                topic="account",
            )
    return user
