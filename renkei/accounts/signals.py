"""Record logins, failed logins, logouts and MFA changes in the audit log."""

from typing import Any

from allauth.account.signals import password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from renkei.audit.models import Action
from renkei.audit.services import audit_record


@receiver(user_logged_in)
def record_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.LOGIN_SUCCEEDED, actor=user, request=request)


@receiver(user_login_failed)
def record_failed_login(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or credentials.get("login") or "")[:150]
    audit_record(action=Action.LOGIN_FAILED, actor_username=username, request=request)


@receiver(user_logged_out)
def record_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.LOGOUT, actor=user, request=request)


@receiver(password_reset)
def record_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.PASSWORD_RESET, actor=user, target=user, request=request)


@receiver(authenticator_added)
def record_mfa_added(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.MFA_ENABLED, actor=user, target=user, request=request)


@receiver(authenticator_removed)
def record_mfa_removed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(action=Action.MFA_DISABLED, actor=user, target=user, request=request)
