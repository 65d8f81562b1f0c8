"""Writing to the audit log."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from renkei.audit.models import AuditEvent
from renkei.core.client_address import client_address


def audit_record(
    *,
    action: str,
    actor: Any | None = None,
    actor_username: str = "",
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor_username or (actor.get_username() if actor else ""),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        ip_address=client_address(request),
        detail=detail or {},
    )
