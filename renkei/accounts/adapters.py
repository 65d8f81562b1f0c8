"""django-allauth adapter: no public sign-up, and every e-mail goes through the outbox."""

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.links import absolute_url
from renkei.mailer.services import outbox_add


class AccountAdapter(DefaultAccountAdapter):
    """Council accounts are created by invitation only."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Attempts refused by the failed-login limit never reach authenticate(), so the
        # user_login_failed receiver does not see them; record them here.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            audit_record(
                action=Action.LOGIN_FAILED,
                actor_username=str(credentials.get("username") or "")[:150],
                request=request,
                detail={"reason": "rate_limited"},
            )
            raise

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_base_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return _on_base_url(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
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


def _on_base_url(url: str) -> str:
    """Move a link allauth built from the request's host onto RENKEI_BASE_URL."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))
