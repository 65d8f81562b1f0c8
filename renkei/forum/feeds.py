"""The room's items in the member's 新着情報: followed threads with posts by others."""

from renkei.accounts.models import User
from renkei.core.feeds import FeedItem
from renkei.core.row_urls import RowUrl
from renkei.directory.selectors import Affiliation
from renkei.forum.selectors import followed_thread_news, page_of


def forum_feed(*, user: User, affiliation: Affiliation, limit: int) -> list[FeedItem]:
    """Return the followed threads with their newest activity, unread ones marked (1 query)."""
    url = RowUrl("forum:thread")
    items = []
    for thread in followed_thread_news(user=user, group_ids=affiliation.group_ids, limit=limit):
        post_count, last_read = thread["post_count"], thread["last_read"]
        unread = max(post_count - last_read, 0)
        # A thread the user only wrote in and has read to the end is not news.
        target = last_read + 1 if unread else post_count
        items.append(
            FeedItem(
                kind="電子会議室",
                title=thread["title"],
                url=url(thread["pk"])
                + (f"?page={page_of(number=target)}#post-{target}" if target > 1 else ""),
                at=thread["last_post_at"],
                note=f"{thread['board_name']}・{post_count}件"
                + (f"（未読{unread}件）" if unread else ""),
                unread=bool(unread),
            )
        )
    return items
