"""The inquiries' items in the member's 新着情報 (the inquiries app stays unaware of the feed)."""

import datetime as dt

from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.feeds import FeedItem
from renkei.core.row_urls import RowUrl
from renkei.core.wareki import format_datetime
from renkei.directory.selectors import Affiliation
from renkei.inquiries.models import InquiryStatus
from renkei.inquiries.selectors.lists import inquiry_news

# An inquiry whose deadline is this close is flagged in the feed.
DEADLINE_SOON_DAYS = 3


def inquiry_feed(*, user: User, affiliation: Affiliation, limit: int) -> list[FeedItem]:
    """Return the open inquiries to answer (unread until an answer is started) and new results."""
    items: list[FeedItem] = []
    now = timezone.now()
    url = RowUrl("inquiries:detail")
    for inquiry in inquiry_news(user, limit=limit):
        if inquiry["status"] != InquiryStatus.OPEN:
            items.append(
                FeedItem(
                    kind="照会",
                    title=f"結果公開：{inquiry['title']}",
                    url=url(inquiry["pk"]),
                    at=inquiry["at"],
                )
            )
            continue
        note = ""
        deadline = inquiry["deadline"]
        if deadline:
            note = f"回答期限 {format_datetime(deadline)}"
            if now <= deadline <= now + dt.timedelta(days=DEADLINE_SOON_DAYS):
                note += "（期限が近づいています）"
        items.append(
            FeedItem(
                kind="照会",
                title=f"回答依頼：{inquiry['title']}",
                url=url(inquiry["pk"]),
                at=inquiry["at"],
                note=note,
                unread=inquiry["my_answer_status"] is None,
            )
        )
    return items
