"""Meeting calls (招集通知) in the member's 新着情報 (renkei.core.feeds)."""

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.core.feeds import FeedItem
from renkei.core.row_urls import RowUrl
from renkei.core.wareki import format_datetime
from renkei.directory.selectors import Affiliation
from renkei.meetings.models import MeetingKind, Reply
from renkei.meetings.selectors import invitation_news


def meeting_feed(*, user: User, affiliation: Affiliation, limit: int) -> list[FeedItem]:
    """Return the calls to upcoming meetings, unread until the person answers 出欠."""
    if not has_capability(user, Capability.VIEW_MEETINGS):
        return []
    url = RowUrl("meetings:detail")
    labels = dict(MeetingKind.choices)
    replies = dict(Reply.choices)
    items = []
    for row in invitation_news(user=user, group_ids=affiliation.group_ids, limit=limit):
        answered = bool(row["my_reply"])
        reply = replies.get(row["my_reply"], "") if answered else "未回答"
        items.append(
            FeedItem(
                kind=labels.get(row["kind"], "会議"),
                title=f"招集：{row['title']}",
                url=url(row["pk"]),
                at=row["invitations_sent_at"],
                note=f"開催 {format_datetime(row['starts_at'])}・出欠：{reply}",
                unread=not answered,
            )
        )
    return items
