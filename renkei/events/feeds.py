"""Seminars and trainings in the member's 新着情報 (renkei.core.feeds)."""

from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.core.feeds import FeedItem
from renkei.core.row_urls import RowUrl
from renkei.core.wareki import format_datetime
from renkei.directory.selectors import Affiliation
from renkei.events.models import Event, EventKind, EventStatus


def event_feed(*, user: User, affiliation: Affiliation, limit: int) -> list[FeedItem]:
    """Return the published events still to come, newest announced first, in one query."""
    if not has_capability(user, Capability.ATTEND_EVENTS):
        return []
    events = (
        Event.objects.filter(
            status=EventStatus.PUBLISHED,
            starts_at__gte=timezone.now(),
            published_at__isnull=False,
        )
        .order_by("-published_at", "-id")
        .values_list("pk", "title", "kind", "starts_at", "published_at")[:limit]
    )
    url = RowUrl("events:detail")
    labels = dict(EventKind.choices)
    return [
        FeedItem(
            kind=labels.get(kind, kind),
            title=title,
            url=url(pk),
            at=published_at,
            note=f"開催 {format_datetime(starts_at)}",
        )
        for pk, title, kind, starts_at, published_at in events
    ]
