"""What the inquiry services share: state checks, audit rows, mail to users, draft fields."""

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.services import audit_record
from renkei.inquiries.mailings import inquiry_context
from renkei.inquiries.models import (
    Inquiry,
    InquiryStatus,
)
from renkei.inquiries.services.errors import InquiryError
from renkei.mailer.services import mail_queue


def users_mail(*, users: Iterable[User], template: str, inquiry: Inquiry, **extra: Any) -> int:
    """Queue one mail about the inquiry to each user with an address; return how many."""
    recipients = [(user.get_full_name(), user.email) for user in users if user and user.email]
    if not recipients:
        return 0
    return len(
        mail_queue(
            to=recipients,
            template=template,
            context={**inquiry_context(inquiry), **extra},
            topic=f"inquiry:{inquiry.pk}",
        )
    )


def status_require(inquiry: Inquiry, allowed: Iterable[str], message: str) -> None:
    """Refuse, naming the current state, unless the inquiry is in one of the allowed states."""
    if inquiry.status not in allowed:
        raise InquiryError(f"{message}（現在の状態：{InquiryStatus(inquiry.status).label}）")


def change_record(
    action: str,
    *,
    by: User | None,
    target: Any,
    request: HttpRequest | None,
    actor_username: str = "",
    **detail: Any,
) -> None:
    """Write the audit row of a change; call it inside the change's transaction."""
    audit_record(
        action=action,
        actor=by,
        actor_username=actor_username,
        target=target,
        request=request,
        detail=detail,
    )


def draft_values(draft: Any) -> dict[str, Any]:
    """Return a draft's fields by name (shallow: model instances stay themselves)."""
    return {f.name: getattr(draft, f.name) for f in fields(draft)}
