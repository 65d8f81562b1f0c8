"""Test builders: inquiries (directly or through the services), questions, answers, towns."""

import datetime as dt
from typing import Any

from django.utils import timezone

from renkei.directory.jis_codes import check_digit
from renkei.directory.models import Department, Organization, OrganizationKind, Person, Post
from renkei.inquiries import services
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    InquiryStatus,
    Question,
    QuestionKind,
    ResultsVisibility,
    Target,
)
from renkei.testing import Council, make_organization

SUBMITTED_AT = dt.datetime(2012, 10, 1, 10, 0, tzinfo=dt.UTC)
# The choices of 町田市's question on the 地域情報プラットフォーム (the minutes' example).
PLATFORM = ["準拠している", "次年度の調達で条件にする", "準拠していない"]


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


def make_villages(
    count: int, *, prefecture_code: str, notified: bool = False
) -> list[Organization]:
    """Create villages of one prefecture in one query, each with its own address if `notified`."""
    return Organization.objects.bulk_create(
        Organization(
            code=f"9{index:05d}",
            name=f"試験村{index:04d}",
            kana=f"シケンムラ{index:04d}",
            kind=OrganizationKind.VILLAGE,
            prefecture_code=prefecture_code,
            notification_email=f"joho{index}@village{index}.example.lg.jp" if notified else "",
        )
        for index in range(count)
    )


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


# --- through the services --------------------------------------------------------------------


def future(days: int = 14) -> dt.datetime:
    """Return the moment the given number of days from now."""
    return timezone.now() + dt.timedelta(days=days)


def make_draft(council: Council, *, by=None, **fields) -> Inquiry:
    """A secretariat draft with one yes/no and one conditional text question, to everyone."""
    by = by or council.secretariat
    inquiry = services.inquiry_create(
        by=by,
        draft=services.InquiryDraft(
            title=fields.pop("title", "情報セキュリティポリシーについて"),
            purpose="ポリシーの**公表**状況を伺います。",
            deadline=fields.pop("deadline", future()),
            **fields,
        ),
    )
    q1 = services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(kind=QuestionKind.YES_NO, text="ポリシーを公表していますか。"),
    )
    services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(
            kind=QuestionKind.SHORT_TEXT,
            text="公表している場所を教えてください。",
            condition_question=q1,
            condition_value="はい",
        ),
    )
    services.inquiry_targets_set(inquiry=inquiry, by=by, spec={"mode": "all"})
    return inquiry


def make_open(council: Council, **fields) -> Inquiry:
    """Return make_draft's inquiry, opened by the secretariat."""
    inquiry = make_draft(council, **fields)
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    return inquiry


def questions_of(inquiry: Inquiry) -> list[Question]:
    """Return the inquiry's questions in order."""
    return list(inquiry.questions.order_by("position"))


def complete_data(inquiry: Inquiry) -> dict:
    """Return answer data that completes make_draft's two questions."""
    q1, q2 = questions_of(inquiry)[:2]
    return {str(q1.pk): "はい", str(q2.pk): "要綱集に掲載"}


def started_answer(inquiry: Inquiry, organization) -> Answer:
    """Return the organization's answer row as its first save leaves it (revision 0)."""
    return Answer.objects.get_or_create(inquiry=inquiry, organization=organization)[0]


def answer_post(inquiry: Inquiry, answer: Answer, intent: str = "save", **values) -> dict:
    """Return the answer form's POST for make_draft's questions, answered completely."""
    q1, q2 = list(inquiry.questions.order_by("position"))[:2]
    data = {
        "revision": answer.revision,
        "kind": "answered",
        "reason": "",
        f"q{q1.pk}": "はい",
        f"q{q2.pk}": "要綱集に掲載",
        "intent": intent,
    }
    data.update(values)
    return data


def towns_without_accounts(count: int, *, start: int = 0) -> list:
    """Member towns whose 連絡窓口 has no account, each with a shared mailbox."""
    towns = []
    for i in range(start, start + count):
        town = make_organization(
            code=f"{700000 + i:06d}", name=f"町{i}", kind=OrganizationKind.TOWN
        )
        town.notification_email = f"joho@town{i}.example.lg.jp"
        town.save(update_fields=["notification_email"])
        department = Department.objects.create(organization=town, name="情報政策課")
        person = Person.objects.create(
            name=f"窓口 {i}",
            email=f"madoguchi@town{i}.example.lg.jp",
            organization=town,
            department=department,
        )
        Post.objects.create(organization=town, title="情報政策課長", is_contact=True, holder=person)
        towns.append(town)
    return towns
