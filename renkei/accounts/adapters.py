"""django-allauth adapter: no public sign-up, and every e-mail goes through the outbox."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from renkei.accounts.throttling import (
    login_failure_record,
    login_success_record,
    login_wait_seconds,
)
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.client_address import client_address
from renkei.core.links import absolute_url
from renkei.mailer.services import outbox_add


@dataclass(frozen=True)
class MailSite:
    """What allauth's mail templates call current_site: the product, not the request's host."""

    name: str
    council_name: str
    base_url: str

    @property
    def domain(self) -> str:
        return urlsplit(self.base_url).netloc


def mail_site() -> MailSite:
    """Return the site name, council name and address every account mail signs with."""
    return MailSite(
        name=settings.RENKEI["SITE_NAME"],
        council_name=settings.RENKEI["COUNCIL_NAME"],
        base_url=settings.RENKEI["BASE_URL"],
    )


def _on_base_url(url: str) -> str:
    """Return an absolute URL's path and query on RENKEI_BASE_URL."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


class AccountAdapter(DefaultAccountAdapter):
    """Council accounts are created by invitation only."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's own rate limits (password reset, MFA) count the same address as the
        # login throttle and the audit log: one reading of X-Forwarded-For for the product.
        address = client_address(request)
        if address is None:
            raise PermissionDenied("接続元のアドレスを確認できません。")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        username = str(credentials.get("username") or "")
        wait = login_wait_seconds(request=request, username=username)
        if wait:
            # Attempts refused by the throttle never reach authenticate(), so the
            # user_login_failed receiver does not see them; record them here.
            audit_record(
                action=Action.LOGIN_FAILED,
                actor_username=username[:150],
                request=request,
                detail={"reason": "rate_limited"},
            )
            raise ValidationError(
                "ログインの失敗が続いたため、このユーザーIDでのログインを一時的に止めています。"
                f"{_duration(wait)}後にもう一度お試しください。"
                "パスワードが分からない場合は「パスワードを忘れた方はこちら」から再設定できます。"
            )
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_success_record(request=request, username=str(credentials.get("username")))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login_failure_record(request=request, username=str(credentials.get("username") or ""))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # Mail links use RENKEI_BASE_URL, like every other mail, not the host the request used.
        return _on_base_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return _on_base_url(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth's callers pass the request's host (or nothing) as current_site; every mail
        # is signed with the product's name instead (「連携 Renkei（…）からのお知らせです。」).
        context = {**context, "current_site": mail_site()}
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        outbox_add(
            to_email=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            topic="account",
        )


def _duration(seconds: int) -> str:
    """Return a wait such as 「2分30秒」 or 「45秒」."""
    minutes, seconds = divmod(seconds, 60)
    if not minutes:
        return f"{seconds}秒"
    return f"{minutes}分{seconds}秒" if seconds else f"{minutes}分"
