"""お知らせ in the member's 新着情報 (renkei.core.feeds)."""

from django.urls import reverse

from renkei.accounts.models import User
from renkei.announcements.selectors import announcements_visible_to, read_annotate
from renkei.core.feeds import FeedItem


def announcement_feed(*, user: User, limit: int) -> list[FeedItem]:
    """Return the newest announcements addressed to the user's organization, in one query."""
    return [
        FeedItem(
            kind="お知らせ",
            title=announcement.title,
            url=reverse("announcements:detail", args=[announcement.pk]),
            at=announcement.published_at,
            unread=announcement.unread,
        )
        for announcement in read_annotate(
            announcements_visible_to(user=user).only("title", "published_at"), user=user
        ).order_by("-published_at", "-id")[:limit]
    ]
