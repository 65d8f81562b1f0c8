"""Read-only views of the outbox, for dashboards and monitoring."""

from django.db.models import Count

from renkei.mailer.models import OutboxMessage, Status


def outbox_counts() -> dict[str, int]:
    """Return the number of messages in each status, zeros included."""
    counts = dict.fromkeys(Status.values, 0)
    # order_by() drops the model's default ordering, which would otherwise split the groups.
    rows = OutboxMessage.objects.order_by().values("status").annotate(count=Count("id"))
    for row in rows:
        counts[row["status"]] = row["count"]
    return counts


def outbox_recent(*, status: str | None = None, limit: int = 100) -> list[OutboxMessage]:
    """Return the newest messages, optionally only those in one status."""
    messages = OutboxMessage.objects.order_by("-created_at", "-id")
    if status is not None:
        messages = messages.filter(status=status)
    return list(messages[:limit])
