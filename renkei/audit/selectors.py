"""Reading the audit log."""

import datetime as dt

from django.db.models import QuerySet

from renkei.audit.models import AuditEvent


def audit_events(
    *,
    action: str = "",
    username: str = "",
    target_type: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return audit events matching the filters, newest first."""
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username__icontains=username)
    if target_type:
        events = events.filter(target_type=target_type)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events.order_by("-created_at", "-id")
