"""A member's own details: name and phone, and a confirmed change of e-mail address."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.directory.services.common import DirectoryError, _changes
from renkei.mailer.services import mail_queue

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
