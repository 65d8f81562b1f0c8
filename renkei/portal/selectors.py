"""What is new for a user, gathered from the feature apps."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.core.row_urls import RowUrl
from renkei.core.wareki import format_date, format_datetime
from renkei.inquiries.models import AnswerKind
from renkei.inquiries.selectors.answers import answer_status_label, status_words
from renkei.inquiries.selectors.lists import inquiries_to_answer
from renkei.polls.permissions import visible_polls
from renkei.polls.selectors import polls_open

HOME_ITEMS = 5
# Open inquiries the home page reads for its card and its 新着情報: all an organization is
# asked at once in practice. Beyond this many, the feed takes its newest from the soonest due.
OPEN_INQUIRIES_READ = 100


@dataclass
class Section:
    """One block of the home page: a title, items and a link to see more."""

    title: str
    items: list[dict] = field(default_factory=list)
    empty_text: str = "新しい情報はありません。"
    more_url: str = ""


def inquiries_to_answer_rows(*, user: User) -> list[dict]:
    """Return the open inquiries the user's organization is asked, soonest deadline first.

    One query, for two parts of the home page: the 回答依頼中の照会 card shows the first few,
    and the 新着情報 takes the newest of them (portal.feeds.home_inquiry_items).
    """
    if not has_capability(user, Capability.ANSWER_INQUIRIES):
        return []
    return list(
        inquiries_to_answer(user).values(
            "pk",
            "title",
            "deadline",
            "opened_at",
            "my_answer_status",
            "my_answer_kind",
            "my_answer_submitted_at",
        )[:OPEN_INQUIRIES_READ]
    )


def whats_new(*, user: User, to_answer: list[dict]) -> list[Section]:
    """Return the home page sections for the user, in display order (one query per section).

    `to_answer` is inquiries_to_answer_rows(), which the home page reads once for two parts.
    """
    sections = []
    if has_capability(user, Capability.ANSWER_INQUIRIES):
        inquiry_url = RowUrl("inquiries:detail")
        sections.append(
            Section(
                title="回答依頼中の照会",
                items=[
                    {
                        "title": inquiry["title"],
                        "url": inquiry_url(inquiry["pk"]),
                        "note": (
                            f"期限 {format_datetime(inquiry['deadline'])}・"
                            if inquiry["deadline"]
                            else ""
                        )
                        + _answer_state(inquiry),
                    }
                    for inquiry in to_answer[:HOME_ITEMS]
                ],
                empty_text="回答をお願いしている照会はありません。",
                more_url=reverse("inquiries:list"),
            )
        )
    today = timezone.localdate()
    poll_url = RowUrl("polls:detail")
    polls = (
        polls_open(polls=visible_polls(user), today=today)
        .order_by("end_date")
        .values_list("pk", "question", "end_date")[:HOME_ITEMS]
    )
    sections.append(
        Section(
            title="実施中の調査（調査コーナー）",
            items=[
                {"title": question, "url": poll_url(pk), "note": f"{format_date(end_date)}まで"}
                for pk, question, end_date in polls
            ],
            empty_text="実施中の調査はありません。",
            more_url=reverse("polls:index"),
        )
    )
    return sections


def _answer_state(inquiry: dict) -> str:
    status = inquiry["my_answer_status"]
    if status is None:
        return answer_status_label(None)
    return status_words(
        status=status,
        kind=inquiry["my_answer_kind"] or AnswerKind.ANSWERED,
        ever_submitted=inquiry["my_answer_submitted_at"] is not None,
    )
