"""お知らせ in the member's 新着情報 (renkei.core.feeds)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.announcements.selectors import announcements_visible_to
from renkei.core.feeds import FeedItem

# An announcement this recent is marked 新着 (announcements keep no per-reader marker).
NEW_FOR = dt.timedelta(days=7)


def announcement_feed(*, user: User, limit: int) -> list[FeedItem]:
    """Return the newest announcements addressed to the user's organization, in one query."""
    now = timezone.now()
    return [
        FeedItem(
            kind="お知らせ",
            title=announcement.title,
            url=reverse("announcements:detail", args=[announcement.pk]),
            at=announcement.published_at,
            unread=announcement.published_at >= now - NEW_FOR,
        )
        for announcement in announcements_visible_to(user=user)
        .only("title", "published_at")
        .order_by("-published_at", "-id")[:limit]
    ]
