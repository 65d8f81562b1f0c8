"""The lists' items in the member's 新着情報: the latest threads of the user's lists."""

from renkei.accounts.models import User
from renkei.core.feeds import FeedItem
from renkei.core.row_urls import RowUrl
from renkei.directory.selectors import Affiliation
from renkei.forum.lists.selectors import recent_threads


def lists_feed(*, user: User, affiliation: Affiliation, limit: int) -> list[FeedItem]:
    """Return the threads of the user's lists with new messages, newest first (1 query)."""
    url = RowUrl("lists:thread")
    return [
        FeedItem(
            kind="メーリングリスト",
            title=thread["subject"],
            url=url(thread["pk"]),
            at=thread["last_message_at"],
            note=f"{thread['group_name']}・{thread['message_count']}件",
            unread=False,
        )
        for thread in recent_threads(group_ids=affiliation.group_ids, limit=limit)
    ]
