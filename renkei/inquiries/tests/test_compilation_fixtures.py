"""Builders for compilation, export and offline tests: inquiries, questions, answers."""

import datetime as dt
from typing import Any

from renkei.directory.jis_codes import check_digit
from renkei.directory.models import Organization, OrganizationKind
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    InquiryStatus,
    Question,
    ResultsVisibility,
    Target,
)
from renkei.testing import Council, make_organization

SUBMITTED_AT = dt.datetime(2012, 10, 1, 10, 0, tzinfo=dt.UTC)


def make_inquiry(
    council: Council,
    *,
    title: str = "地域情報プラットフォームへの準拠について",
    status: str = InquiryStatus.PUBLISHED,
    requester: Organization | None = None,
    visibility: str = ResultsVisibility.ANSWERING,
    hide_names: bool = False,
) -> Inquiry:
    """Create an inquiry asked by the board city (町田市's role in the minutes)."""
    return Inquiry.objects.create(
        title=title,
        requester=requester or council.board_org,
        status=status,
        results_visibility=visibility,
        hide_names=hide_names,
    )


def add_question(
    inquiry: Inquiry, *, code: str, kind: str, text: str = "", **fields: Any
) -> Question:
    """Add a question at the end of the inquiry."""
    position = inquiry.questions.count() + 1
    return Question.objects.create(
        inquiry=inquiry,
        position=position,
        code=code,
        kind=kind,
        text=text or f"{code}の設問",
        **fields,
    )


def make_towns(
    count: int, *, prefecture_code: str = "07", kind: str = OrganizationKind.TOWN, start: int = 300
) -> list[Organization]:
    """Create member towns with valid JIS codes in one prefecture."""
    towns = []
    for number in range(start, start + count):
        five = f"{prefecture_code}{number:03d}"
        towns.append(
            make_organization(
                code=five + check_digit(five),
                name=f"テスト{number}町",
                kind=kind,
                prefecture_code=prefecture_code,
            )
        )
    return towns


def submit_answer(
    inquiry: Inquiry,
    organization: Organization,
    data: dict[str, Any] | None = None,
    *,
    kind: str = AnswerKind.ANSWERED,
    target: bool = True,
) -> Answer:
    """Record a submitted answer (and the target it answers)."""
    if target:
        Target.objects.get_or_create(inquiry=inquiry, organization=organization)
    answer = Answer.objects.create(
        inquiry=inquiry,
        organization=organization,
        status=AnswerStatus.SUBMITTED,
        kind=kind,
        data=data or {},
        submitted_at=SUBMITTED_AT,
        revision=1,
    )
    AnswerVersion.objects.create(
        answer=answer, number=1, kind=kind, data=data or {}, submitted_at=SUBMITTED_AT
    )
    return answer


def start_correction(answer: Answer, data: dict[str, Any]) -> None:
    """Reopen a submitted answer and change it without submitting again."""
    answer.status = AnswerStatus.DRAFT
    answer.data = data
    answer.save()


def draft_answer(inquiry: Inquiry, organization: Organization, data: dict[str, Any]) -> Answer:
    """Record an answer still being written."""
    Target.objects.get_or_create(inquiry=inquiry, organization=organization)
    return Answer.objects.create(
        inquiry=inquiry, organization=organization, status=AnswerStatus.DRAFT, data=data
    )
