"""Changing accounts: roles, activation, preferences."""

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from renkei.accounts.models import Role, User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
from renkei.mailer.services import mail_queue


class AccountError(ServiceError):
    """A change to an account that is not allowed; the message is shown to the user."""


def user_set_role(*, user: User, role: str, by: User, request: HttpRequest | None = None) -> User:
    """Give the user another role and record who did it."""
    if role not in Role.values:
        raise AccountError("権限の指定が正しくありません。")
    if user.pk == by.pk:
        raise AccountError("自分自身の権限は変更できません。")
    old = user.role
    if old == role:
        return user
    with transaction.atomic():
        user.role = role
        user.save(update_fields=["role"])
        audit_record(
            action=Action.ROLE_CHANGED,
            actor=by,
            target=user,
            request=request,
            detail={"from": old, "to": role},
        )
    return user


def user_set_active(
    *, user: User, active: bool, by: User, request: HttpRequest | None = None
) -> User:
    """Deactivate or reactivate an account, tell its holder by mail and record who did it."""
    if user.pk == by.pk:
        raise AccountError("自分自身のアカウントは停止できません。")
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            action=Action.USER_REACTIVATED if active else Action.USER_DEACTIVATED,
            actor=by,
            target=user,
            request=request,
        )
        if user.email:
            mail_queue(
                to=[(user.get_full_name(), user.email)],
                template="account_reactivated" if active else "account_suspended",
                context={
                    "username": user.username,
                    "actor": by.get_full_name(),
                    "url": settings.RENKEI["BASE_URL"] + reverse("account_login"),
                },
                topic="account",
            )
    return user


def user_set_date_style(*, user: User, date_style: str, request: HttpRequest | None = None) -> User:
    """Store how the user wants dates shown, and record it."""
    before = user.date_style
    if before == date_style:
        return user
    with transaction.atomic():
        user.date_style = date_style
        user.save(update_fields=["date_style"])
        audit_record(
            action=Action.CHANGED,
            actor=user,
            target=user,
            request=request,
            detail={"field": "date_style", "before": before, "after": date_style},
        )
    return user
