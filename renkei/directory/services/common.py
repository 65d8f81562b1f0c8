"""Shared by the directory services: their error and the save that writes its audit row."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError


class DirectoryError(ServiceError):
    """A directory change that is not allowed; the message is shown to the user."""


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
