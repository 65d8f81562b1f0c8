"""Receiving registrants at the event (受付)."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.wareki import format_datetime
from renkei.events.models import Registration, RegistrationStatus
from renkei.events.services.common import EventError, _audit


def check_in(
    *, registration: Registration, by: User, request: HttpRequest | None = None
) -> Registration:
    """Record that a confirmed registrant arrived (受付)."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise EventError(
            f"{registration.name}さんの申込は「{registration.get_status_display()}」のため"
            "受付できません。"
        )
    if registration.checked_in_at is not None:
        raise EventError(
            f"{registration.name}さんは{format_datetime(registration.checked_in_at)}に受付済みです。"
        )
    now = timezone.now()
    with transaction.atomic():
        updated = Registration.objects.filter(pk=registration.pk, checked_in_at=None).update(
            checked_in_at=now, checked_in_by=by
        )
        if not updated:
            raise EventError(f"{registration.name}さんは受付済みです。")
        registration.checked_in_at, registration.checked_in_by = now, by
        _audit(by=by, target=registration, request=request, event="checked_in")
    return registration
