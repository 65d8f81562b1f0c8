"""The inquiries' items in the member's 新着情報 (the inquiries app stays unaware of the feed)."""

import datetime as dt

from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.feeds import FeedItem
from renkei.core.row_urls import RowUrl
from renkei.core.wareki import format_datetime
from renkei.directory.selectors import Affiliation
from renkei.inquiries.models import InquiryStatus
from renkei.inquiries.selectors.lists import inquiry_news, inquiry_results_news

# An inquiry whose deadline is this close is flagged in the feed.
DEADLINE_SOON_DAYS = 3


def inquiry_feed(*, user: User, affiliation: Affiliation, limit: int) -> list[FeedItem]:
    """Return the open inquiries to answer (unread until an answer is started) and new results."""
    now, url = timezone.now(), RowUrl("inquiries:detail")
    return [
        _to_answer_item(inquiry, now=now, url=url)
        if inquiry["status"] == InquiryStatus.OPEN
        else _result_item(inquiry, url=url)
        for inquiry in inquiry_news(user, limit=limit)
    ]


def home_inquiry_items(*, user: User, to_answer: list[dict], limit: int) -> list[FeedItem]:
    """Return the inquiries' items for the home page, the open ones from `to_answer`.

    The home page's 回答依頼中の照会 card has read the open inquiries already
    (portal.selectors.inquiries_to_answer_rows): only the published results are read here.
    """
    now, url = timezone.now(), RowUrl("inquiries:detail")
    newest = sorted(
        (row for row in to_answer if row["opened_at"] is not None),
        key=lambda row: (row["opened_at"], row["pk"]),
        reverse=True,
    )[:limit]
    items = [_to_answer_item({**row, "at": row["opened_at"]}, now=now, url=url) for row in newest]
    results = inquiry_results_news(user, limit=limit)
    return items + [_result_item(row, url=url) for row in results]


def _to_answer_item(inquiry: dict, *, now: dt.datetime, url: RowUrl) -> FeedItem:
    note = ""
    deadline = inquiry["deadline"]
    if deadline:
        note = f"回答期限 {format_datetime(deadline)}"
        if now <= deadline <= now + dt.timedelta(days=DEADLINE_SOON_DAYS):
            note += "（期限が近づいています）"
    return FeedItem(
        kind="照会",
        title=f"回答依頼：{inquiry['title']}",
        url=url(inquiry["pk"]),
        at=inquiry["at"],
        note=note,
        unread=inquiry["my_answer_status"] is None,
    )


def _result_item(inquiry: dict, *, url: RowUrl) -> FeedItem:
    return FeedItem(
        kind="照会",
        title=f"結果公開：{inquiry['title']}",
        url=url(inquiry["pk"]),
        at=inquiry["at"],
    )
