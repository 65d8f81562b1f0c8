"""The inquiries' items in the member's 新着情報 (the inquiries app stays unaware of the feed)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.core.feeds import FeedItem
from renkei.core.wareki import format_datetime
from renkei.inquiries.selectors.lists import inquiries_published, inquiries_to_answer

# An inquiry whose deadline is this close is flagged in the feed.
DEADLINE_SOON_DAYS = 3


def inquiry_feed(*, user: User, limit: int) -> list[FeedItem]:
    """Return the open inquiries to answer (unread until an answer is started) and new results."""
    items: list[FeedItem] = []
    now = timezone.now()
    if has_capability(user, Capability.ANSWER_INQUIRIES):
        for inquiry in (
            inquiries_to_answer(user)
            .filter(opened_at__isnull=False)
            .order_by("-opened_at", "-id")[:limit]
        ):
            note = ""
            if inquiry.deadline:
                note = f"回答期限 {format_datetime(inquiry.deadline)}"
                if now <= inquiry.deadline <= now + dt.timedelta(days=DEADLINE_SOON_DAYS):
                    note += "（期限が近づいています）"
            items.append(
                FeedItem(
                    kind="照会",
                    title=f"回答依頼：{inquiry.title}",
                    url=reverse("inquiries:detail", args=[inquiry.pk]),
                    at=inquiry.opened_at,
                    note=note,
                    unread=getattr(inquiry, "my_answer_status", None) is None,
                )
            )
    for inquiry in (
        inquiries_published(user)
        .filter(published_at__isnull=False)
        .order_by("-published_at", "-id")[:limit]
    ):
        items.append(
            FeedItem(
                kind="照会",
                title=f"結果公開：{inquiry.title}",
                url=reverse("inquiries:detail", args=[inquiry.pk]),
                at=inquiry.published_at,
            )
        )
    return items
