"""The lists' items in the member's 新着情報: the latest threads of the user's lists."""

from django.urls import reverse

from renkei.accounts.models import User
from renkei.core.feeds import FeedItem
from renkei.forum.lists.selectors import recent_threads


def lists_feed(*, user: User, limit: int) -> list[FeedItem]:
    """Return the threads of the user's lists with new messages, newest first (1 query)."""
    return [
        FeedItem(
            kind="メーリングリスト",
            title=thread.subject,
            url=reverse("lists:thread", args=[thread.pk]),
            at=thread.last_message_at,
            note=f"{thread.mailing_list.group.name}・{thread.message_count}件",
            unread=False,
        )
        for thread in recent_threads(user=user, limit=limit)
    ]
