"""What is new for a user, gathered from the feature apps."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.core.wareki import format_date, format_datetime
from renkei.inquiries.models import Answer, AnswerKind, Inquiry
from renkei.inquiries.selectors.answers import answer_status_label
from renkei.inquiries.selectors.lists import inquiries_to_answer
from renkei.polls.permissions import visible_polls
from renkei.polls.selectors import polls_open

HOME_ITEMS = 5


@dataclass
class Section:
    """One block of the home page: a title, items and a link to see more."""

    title: str
    items: list[dict] = field(default_factory=list)
    empty_text: str = "新しい情報はありません。"
    more_url: str = ""


def whats_new(*, user: User) -> list[Section]:
    """Return the home page sections for the user, in display order, in a fixed number of queries."""
    sections = []
    if has_capability(user, Capability.ANSWER_INQUIRIES):
        inquiries = list(inquiries_to_answer(user)[:HOME_ITEMS])
        sections.append(
            Section(
                title="回答依頼中の照会",
                items=[
                    {
                        "title": inquiry.title,
                        "url": reverse("inquiries:detail", args=[inquiry.pk]),
                        "note": (
                            f"期限 {format_datetime(inquiry.deadline)}・"
                            if inquiry.deadline
                            else ""
                        )
                        + _answer_state(inquiry),
                    }
                    for inquiry in inquiries
                ],
                empty_text="回答をお願いしている照会はありません。",
                more_url=reverse("inquiries:list"),
            )
        )
    today = timezone.localdate()
    polls = list(
        polls_open(polls=visible_polls(user), today=today).order_by("end_date")[:HOME_ITEMS]
    )
    sections.append(
        Section(
            title="実施中の調査（調査コーナー）",
            items=[
                {
                    "title": poll.question,
                    "url": reverse("polls:detail", args=[poll.pk]),
                    "note": f"{format_date(poll.end_date)}まで",
                }
                for poll in polls
            ],
            empty_text="実施中の調査はありません。",
            more_url=reverse("polls:index"),
        )
    )
    return sections


def _answer_state(inquiry: Inquiry) -> str:
    status = getattr(inquiry, "my_answer_status", None)
    if status is None:
        return answer_status_label(None)
    answer = Answer(
        status=status,
        kind=inquiry.my_answer_kind or AnswerKind.ANSWERED,
        submitted_at=inquiry.my_answer_submitted_at,
    )
    return answer_status_label(answer)
