"""Seminars and trainings in the member's 新着情報 (renkei.core.feeds)."""

from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.core.feeds import FeedItem
from renkei.core.wareki import format_datetime
from renkei.events.models import Event, EventStatus


def event_feed(*, user: User, limit: int) -> list[FeedItem]:
    """Return the published events still to come, newest announced first, in one query."""
    if not has_capability(user, Capability.ATTEND_EVENTS):
        return []
    events = (
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gte=timezone.now())
        .exclude(published_at=None)
        .only("title", "kind", "starts_at", "published_at")
        .order_by("-published_at", "-id")[:limit]
    )
    return [
        FeedItem(
            kind=event.get_kind_display(),
            title=event.title,
            url=reverse("events:detail", args=[event.pk]),
            at=event.published_at,
            note=f"開催 {format_datetime(event.starts_at)}",
        )
        for event in events
    ]
