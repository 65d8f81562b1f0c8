"""Demo inquiries and polls, taken from the source documents (seeds 000 and 004)."""

import datetime as dt

from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.directory.models import Organization
from renkei.inquiries import services as inquiry_services
from renkei.inquiries.forms.common import deadline_combine
from renkei.inquiries.models import Answer, Inquiry, Question, QuestionKind
from renkei.inquiries.selectors.lists import suggested_deadline
from renkei.inquiries.services.authoring import InquiryDraft
from renkei.inquiries.services.questions import QuestionDraft
from renkei.polls import services as poll_services
from renkei.polls.models import VoteScope

# The organizations that answered 深川市's inquiry at the exchange meeting (seed 004).
EXCHANGE_MEMBERS = [
    (
        "212041",
        "公表している",
        "開示している",
        "うまく運用できている",
        "自主点検規程を定め、年1回以上の自主点検と全職員研修で改善に努めている。",
    ),
    ("353213", "公表していない", "開示している", "うまく運用できていない", ""),
    ("172014", "公表していない", "開示している", "うまく運用できていない", ""),
    (
        "132098",
        "公表していない",
        "開示している",
        "うまく運用できていない",
        "隠さず見せる姿勢で臨んでいる。",
    ),
    (
        "112089",
        "公表していない",
        "開示している",
        "うまく運用できている",
        "総務省ガイドラインの改正に合わせて基本方針と対策基準を見直した（平成23年4月）。",
    ),
    ("013030", "公表していない", "開示している", "うまく運用できていない", ""),
    (
        "433489",
        "公表していない",
        "開示していない",
        "うまく運用できていない",
        "年1回の研修を担当課に実施し、これから職員への開示を進める。",
    ),
]

# 深川市's inquiry: its three single-choice questions (text, choices), before a free note.
SECURITY_QUESTIONS = [
    ("情報セキュリティ対策基準を公表していますか。", ["公表している", "公表していない"]),
    ("情報セキュリティ対策基準を職員に開示していますか。", ["開示している", "開示していない"]),
    ("PDCAサイクルを運用できていますか。", ["うまく運用できている", "うまく運用できていない"]),
]


def _answer(*, inquiry: Inquiry, organization: Organization, user: User, data: dict) -> None:
    answer, _ = Answer.objects.get_or_create(inquiry=inquiry, organization=organization)
    answer = inquiry_services.answer_save(
        answer=answer, by=user, revision=answer.revision, data=data
    )
    inquiry_services.answer_submit(answer=answer, by=user, revision=answer.revision)


def _member_user(organization: Organization, password_hash: str) -> User:
    """Give the organization's directory contact an account for the demo answers."""
    person = organization.people.order_by("pk").first()
    if person.user_id:
        return person.user
    user = User.objects.create(
        username=f"demo-{organization.code}",
        email=person.email or f"{organization.code}@example.lg.jp",
        full_name=person.name,
        role=Role.STAFF,
        password=password_hash,
    )
    person.user = user
    person.save(update_fields=["user"])
    return user


def _inquiry_create(
    *, by: User, requester: str, draft: InquiryDraft, questions: list[QuestionDraft]
) -> tuple[Inquiry, list[Question]]:
    """Create an inquiry of the organization with code `requester` and its questions, in order."""
    inquiry = inquiry_services.inquiry_create(
        by=by, requester=Organization.objects.get(code=requester), draft=draft
    )
    return inquiry, [
        inquiry_services.question_create(inquiry=inquiry, by=by, draft=question)
        for question in questions
    ]


def _deadline(*, business_days: int) -> dt.datetime:
    """Return a deadline the way councils set one: a business day, at 17:00."""
    return deadline_combine(suggested_deadline(business_days=business_days), None)


def demo_inquiries_load(*, secretariat: User, password_hash: str) -> None:
    """Create a published inquiry (深川市), an open one (町田市) and the poll corner's polls."""
    security, (q1, q2, q3, q4) = _inquiry_create(
        by=secretariat,
        requester="012289",
        draft=InquiryDraft(
            title="情報セキュリティポリシーについて",
            purpose="各団体における情報セキュリティポリシーの公表、職員への開示、PDCAサイクルの運用について照会します。",
            contact="深川市 企画課 情報担当",
            deadline=_deadline(business_days=10),
        ),
        questions=[
            *(
                QuestionDraft(kind=QuestionKind.SINGLE, text=text, choices=choices, required=True)
                for text, choices in SECURITY_QUESTIONS
            ),
            QuestionDraft(
                kind=QuestionKind.LONG_TEXT,
                text="運用上の工夫や見直しの内容があればお書きください。",
                required=False,
            ),
        ],
    )
    codes = [row[0] for row in EXCHANGE_MEMBERS]
    organizations = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    spec = {"mode": "pick", "organization_ids": sorted(o.pk for o in organizations.values())}
    inquiry_services.inquiry_targets_set(inquiry=security, by=secretariat, spec=spec)
    inquiry_services.inquiry_open(inquiry=security, by=secretariat)
    for code, published, disclosed, pdca, note in EXCHANGE_MEMBERS:
        if code == "013030":
            continue  # 当別町 has not answered: the demo staff can try the answer form.
        organization = organizations[code]
        _answer(
            inquiry=security,
            organization=organization,
            user=_member_user(organization, password_hash),
            data={str(q1.pk): published, str(q2.pk): disclosed, str(q3.pk): pdca, str(q4.pk): note},
        )

    platform, _ = _inquiry_create(
        by=secretariat,
        requester="132098",
        draft=InquiryDraft(
            title="地域情報プラットフォームへの準拠について",
            purpose="複数ベンダのシステム群を地域情報プラットフォームに準拠させる取組みの参考として照会します。",
            contact="町田市 情報システム課",
            deadline=_deadline(business_days=14),
        ),
        questions=[
            QuestionDraft(
                kind=QuestionKind.YES_NO,
                text="基幹系システムは地域情報プラットフォームに準拠していますか。",
            ),
            QuestionDraft(
                kind=QuestionKind.NUMBER,
                text="準拠しているシステムの数",
                unit="システム",
                required=False,
            ),
            QuestionDraft(kind=QuestionKind.LONG_TEXT, text="準拠に向けた課題", required=False),
        ],
    )
    inquiry_services.inquiry_targets_set(inquiry=platform, by=secretariat, spec=spec)
    inquiry_services.inquiry_open(inquiry=platform, by=secretariat)
    _polls(secretariat=secretariat)


def _polls(*, secretariat: User) -> None:
    today = timezone.localdate()
    for question, choices, start, end in [
        (
            "CMS（Content Management System）の導入について",
            ["導入済み", "導入予定", "予定なし"],
            0,
            14,
        ),
        (
            "LGPKI（地方公共団体組織認証基盤）発行の証明書の利用について",
            ["利用している", "利用を検討している", "利用していない"],
            0,
            14,
        ),
    ]:
        poll_services.poll_create(
            draft=poll_services.PollDraft(
                question=question,
                choices=choices,
                start_date=today + dt.timedelta(days=start),
                end_date=today + dt.timedelta(days=end),
                vote_scope=VoteScope.ORGANIZATION,
            ),
            by=secretariat,
        )
