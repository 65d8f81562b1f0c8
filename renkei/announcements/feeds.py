"""お知らせ in the member's 新着情報 (renkei.core.feeds)."""

from renkei.accounts.models import User
from renkei.announcements.selectors import announcement_news
from renkei.core.feeds import FeedItem
from renkei.core.row_urls import RowUrl
from renkei.directory.selectors import Affiliation


def announcement_feed(*, user: User, affiliation: Affiliation, limit: int) -> list[FeedItem]:
    """Return the newest announcements addressed to the user's organization, in one query."""
    url = RowUrl("announcements:detail")
    return [
        FeedItem(
            kind="お知らせ",
            title=row["title"],
            url=url(row["pk"]),
            at=row["published_at"],
            unread=row["unread"],
        )
        for row in announcement_news(user=user, affiliation=affiliation, limit=limit)
    ]
