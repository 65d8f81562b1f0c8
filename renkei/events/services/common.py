"""Shared by the event services: their error, their audit record and the steps events and
questionnaires both take."""

from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError


class EventError(ServiceError):
    """A change the event's state or data does not allow; the message is for the user."""


def _audit(
    *,
    by: User,
    target: Model,
    request: HttpRequest | None,
    action: str = Action.CHANGED,
    **detail: Any,
) -> None:
    """Record in the audit log what `by` did to `target`, `detail` saying what."""
    audit_record(action=action, actor=by, target=target, request=request, detail=detail)


M = TypeVar("M", bound=Model)


def _rows_replace(
    *,
    old: QuerySet[M],
    new: list[M],
    by: User,
    target: Model,
    request: HttpRequest | None,
    detail: dict[str, Any],
) -> list[M]:
    """Replace a record's ordered rows (program, questions) in one transaction, audited."""
    with transaction.atomic():
        old.delete()
        created = old.model.objects.bulk_create(new)
        _audit(by=by, target=target, request=request, **detail)
    return created
