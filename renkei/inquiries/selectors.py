"""Reading inquiries: lists, progress, answer contents and target resolution."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.business_days import add_business_days
from renkei.core.markdown import markdown_html  # noqa: F401 (the inquiry views use it from here)
from renkei.core.question_kinds import hidden_question_ids, kind_of, value_is_empty
from renkei.core.text import to_halfwidth_digits
from renkei.directory.models import (
    MEMBER_CATEGORIES,
    Group,
    Organization,
    OrganizationKind,
)
from renkei.directory.permissions import organization_id_of
from renkei.directory.prefectures import PREFECTURES
from renkei.directory.selectors import (
    NotificationRecipient,
    group_organization_ids,
    member_organizations,
    notification_recipients,
)
from renkei.inquiries.lifecycle import STARTED
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Answer,
    AnswerKind,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    InquiryStatus,
    Question,
    Target,
)
from renkei.inquiries.permissions import (
    answerable_inquiries,
    results_visible_filter,
    visible_inquiries_filter,
)

# The relation of a question to its inquiry, whose cached instance inquiry_questions sets.
_QUESTION_INQUIRY = Question._meta.get_field("inquiry")

CODE_PREFIX_RE = re.compile(r"^(\d{5,6})(?:[\s\u3000]|$)")

TARGET_MODES = {
    "all": "全会員団体",
    "group": "グループ",
    "filter": "条件で絞り込み",
    "pick": "個別に指定",
}


# --- questions and answer contents -------------------------------------------------------


def inquiry_questions(inquiry: Inquiry) -> list[Question]:
    """Return the questions of an inquiry in order, each with its condition's question.

    A condition always names a question of the same inquiry (services.question_validate),
    so it is taken from the list itself rather than joined in again for every question:
    the answer form reads all of them on every save.

    Once an inquiry has started its questions are fixed (the services refuse changes and
    the admin shows them read-only), so each process keeps them in its local cache, keyed
    by the inquiry's last change; the cache hands every caller its own copies.
    """
    key = None
    if inquiry.status in STARTED and inquiry.pk and inquiry.updated_at:
        key = f"inquiry-questions:{inquiry.pk}:{inquiry.updated_at.timestamp()}"
        kept = caches["local"].get(key)
        if kept is not None:
            for question in kept:
                # The copies are kept without their inquiry: they share the caller's.
                _QUESTION_INQUIRY.set_cached_value(question, inquiry)
            return kept
    questions = list(inquiry.questions.order_by("position", "id"))
    by_id = {question.pk: question for question in questions}
    for question in questions:
        controller = by_id.get(question.condition_question_id)
        if controller is not None:
            question.condition_question = controller
    if key is not None:
        # Keep no copy of the inquiry: it changes (deadline, status) while its questions do not.
        for question in questions:
            _QUESTION_INQUIRY.delete_cached_value(question)
        caches["local"].set(key, questions, timeout=3600)
        for question in questions:
            _QUESTION_INQUIRY.set_cached_value(question, inquiry)
    return questions


def missing_required(questions: Iterable[Question], data: dict[str, Any]) -> list[Question]:
    """Return the required, shown questions that have no answer."""
    questions = list(questions)
    hidden = hidden_question_ids(questions, data)
    missing = []
    for question in questions:
        if question.id in hidden or not question.required:
            continue
        value = data.get(str(question.id))
        empty = kind_of(question).is_unanswered(question, value)
        if not empty and OTHER_CHOICE in (value if isinstance(value, list) else [value]):
            empty = question.allow_other and value_is_empty(data.get(f"{question.id}_other"))
        if empty:
            missing.append(question)
    return missing


@dataclass
class AnswerRow:
    """One question with its answer, ready to show read-only."""

    question: Question
    text: str
    table: list[tuple[str, list[Any]]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)


def answer_rows(questions: Iterable[Question], data: dict[str, Any]) -> list[AnswerRow]:
    """Return each shown question with its answer as text, for read-only pages."""
    questions = list(questions)
    hidden = hidden_question_ids(questions, data)
    rows = []
    for question in questions:
        if question.id in hidden:
            continue
        row = AnswerRow(question=question, text="")
        kind_of(question).show(
            row, data.get(str(question.id)), data.get(f"{question.id}_other", "")
        )
        rows.append(row)
    return rows


# --- targets --------------------------------------------------------------------------------


def answering_member_organizations() -> QuerySet[Organization]:
    """Return the member organizations that may be asked to answer."""
    return member_organizations(categories=MEMBER_CATEGORIES)


def requester_organizations() -> QuerySet[Organization]:
    """Return the organizations the secretariat may ask on behalf of, itself included."""
    return Organization.objects.filter(
        Q(pk__in=answering_member_organizations().values("pk"))
        | Q(kind=OrganizationKind.SECRETARIAT)
    )


def target_kinds(spec: dict[str, Any]) -> list[str]:
    """Return the organization kinds a filter asks for (none: every kind)."""
    # Specs written before several kinds could be chosen hold one "kind"; seed_scale still
    # writes that shape.
    kinds = spec.get("kinds") or ([spec["kind"]] if spec.get("kind") else [])
    return [kind for kind in kinds if kind in OrganizationKind.values]


def target_organizations(*, spec: dict[str, Any], exclude_id: int | None) -> QuerySet[Organization]:
    """Return the organizations a target description (target_spec) reaches today."""
    mode = spec.get("mode")
    if mode == "all":
        organizations = answering_member_organizations()
    elif mode == "group" and spec.get("group_id"):
        organizations = Organization.objects.filter(
            pk__in=group_organization_ids(group_id=spec["group_id"])
        )
    elif mode == "filter":
        organizations = answering_member_organizations()
        if spec.get("prefecture_code"):
            organizations = organizations.filter(prefecture_code=spec["prefecture_code"])
        if target_kinds(spec):
            organizations = organizations.filter(kind__in=target_kinds(spec))
        if spec.get("population_min") is not None:
            organizations = organizations.filter(population__gte=spec["population_min"])
        if spec.get("population_max") is not None:
            organizations = organizations.filter(population__lte=spec["population_max"])
    elif mode == "pick":
        organizations = Organization.objects.filter(pk__in=spec.get("organization_ids") or [])
    else:
        return Organization.objects.none()
    if exclude_id is not None:
        organizations = organizations.exclude(pk=exclude_id)
    return organizations.order_by("code", "name")


def target_description(spec: dict[str, Any]) -> str:
    """Describe a target description in words, as shown on the inquiry (照会先)."""
    mode = spec.get("mode")
    if mode == "all":
        return "全会員団体"
    if mode == "group":
        group = Group.objects.filter(pk=spec.get("group_id")).first()
        return f"グループ：{group.name}" if group else "グループ"
    if mode == "filter":
        parts = []
        if spec.get("prefecture_code"):
            parts.append(PREFECTURES.get(spec["prefecture_code"], spec["prefecture_code"]))
        if target_kinds(spec):
            parts.append("・".join(OrganizationKind(kind).label for kind in target_kinds(spec)))
        low, high = spec.get("population_min"), spec.get("population_max")
        if low is not None or high is not None:
            low_text = f"{low:,}人" if low is not None else ""
            high_text = f"{high:,}人" if high is not None else ""
            parts.append(f"人口{low_text}〜{high_text}")
        return "会員団体のうち " + "、".join(parts) if parts else "全会員団体"
    if mode == "pick":
        names = list(
            Organization.objects.filter(pk__in=spec.get("organization_ids") or []).values_list(
                "name", flat=True
            )
        )
        text = "、".join(names)
        if len(text) > 200:
            text = text[:200] + "…"
        return f"{len(names):,}団体（{text}）"
    return ""


@dataclass
class OrganizationLookup:
    """Result of looking up typed organization names and codes."""

    found: list[Organization]
    unknown: list[str]
    ambiguous: list[tuple[str, list[Organization]]]


def organizations_lookup(lines: Iterable[str]) -> OrganizationLookup:
    """Find organizations by JIS code (5 or 6 digits) or name, one entry per line.

    A name shared by several organizations (美里町) is resolved to the member organization
    when only one of them is a member, and reported as ambiguous otherwise.
    """
    entries = [line.strip() for line in lines if line.strip()]
    result = OrganizationLookup(found=[], unknown=[], ambiguous=[])
    members = set(answering_member_organizations().values_list("pk", flat=True))
    seen: set[int] = set()
    prefecture_names = sorted(PREFECTURES.values(), key=len, reverse=True)
    for entry in entries:
        # A line may be a code, a name, or both ("013030 当別町", as the form shows them).
        code = CODE_PREFIX_RE.match(to_halfwidth_digits(entry))
        if code and len(code[1]) == 6:
            candidates = list(Organization.objects.filter(code=code[1]))
        elif code:
            # Five digits: the code without its check digit.
            candidates = list(Organization.objects.filter(code__startswith=code[1]))
        else:
            name, prefecture_code = entry.replace(" ", "").replace("　", ""), None
            for prefecture in prefecture_names:
                if name.startswith(prefecture) and name != prefecture:
                    prefecture_code = next(k for k, v in PREFECTURES.items() if v == prefecture)
                    name = name[len(prefecture) :]
                    break
            candidates = list(Organization.objects.filter(name=name))
            if prefecture_code:
                candidates = [c for c in candidates if c.prefecture_code == prefecture_code]
        if len(candidates) > 1:
            narrowed = [c for c in candidates if c.pk in members]
            candidates = narrowed if len(narrowed) == 1 else candidates
        if not candidates:
            result.unknown.append(entry)
        elif len(candidates) > 1:
            result.ambiguous.append((entry, candidates))
        elif candidates[0].pk not in seen:
            seen.add(candidates[0].pk)
            result.found.append(candidates[0])
    return result


# --- lists ----------------------------------------------------------------------------------


def _with_my_answer(queryset: QuerySet[Inquiry], org_id: int | None) -> QuerySet[Inquiry]:
    answers = Answer.objects.filter(inquiry=OuterRef("pk"), organization_id=org_id)
    return queryset.annotate(
        my_answer_status=Subquery(answers.values("status")[:1]),
        my_answer_submitted_at=Subquery(answers.values("submitted_at")[:1]),
        my_answer_kind=Subquery(answers.values("kind")[:1]),
    )


def inquiries_to_answer(user: User) -> QuerySet[Inquiry]:
    """Return the open inquiries the user's organization is asked to answer, with its status."""
    queryset = answerable_inquiries(user).filter(status=InquiryStatus.OPEN)
    return (
        _with_my_answer(queryset, organization_id_of(user))
        .select_related("requester")
        .order_by("deadline", "-id")
    )


def inquiries_answered_before(user: User) -> QuerySet[Inquiry]:
    """Return the closed or published inquiries the user's organization was asked to answer."""
    queryset = answerable_inquiries(user).exclude(status=InquiryStatus.OPEN)
    return (
        _with_my_answer(queryset, organization_id_of(user))
        .select_related("requester")
        .order_by("-deadline", "-id")
    )


def inquiries_requested(user: User) -> QuerySet[Inquiry]:
    """Return the inquiries the user's organization asked, drafts included."""
    org_id = organization_id_of(user)
    if org_id is None:
        return Inquiry.objects.none()
    return _with_counts(Inquiry.objects.filter(requester_id=org_id)).select_related("requester")


def inquiries_published(user: User) -> QuerySet[Inquiry]:
    """Return the inquiries with published results the user may see."""
    return (
        Inquiry.objects.filter(status=InquiryStatus.PUBLISHED)
        .filter(results_visible_filter(user))
        .select_related("requester")
        .order_by("-published_at", "-id")
    )


def inquiries_all(*, status: str = "", query: str = "") -> QuerySet[Inquiry]:
    """Return every inquiry for the secretariat, optionally by status and title."""
    queryset = Inquiry.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(requester__name__icontains=query))
    return _with_counts(queryset).select_related("requester")


def inquiries_in_review() -> QuerySet[Inquiry]:
    """Return the 調査依頼 waiting for the secretariat's review, oldest first."""
    return (
        Inquiry.objects.filter(status=InquiryStatus.REVIEW)
        .select_related("requester", "created_by")
        .order_by("updated_at", "id")
    )


def visible_inquiries(user: User) -> QuerySet[Inquiry]:
    """Return every inquiry the user may open."""
    return Inquiry.objects.filter(visible_inquiries_filter(user))


def _with_counts(queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return queryset.order_by("-created_at", "-id").annotate(
        target_count=Count("targets", distinct=True),
        submitted_count=Count(
            "answers", filter=Q(answers__submitted_at__isnull=False), distinct=True
        ),
    )


# --- progress -------------------------------------------------------------------------------


# Status filters of the progress page: the value in the address and its label.
PROGRESS_STATUSES = [
    ("waiting", "未提出（すべて）"),
    ("not_started", "未着手"),
    (AnswerStatus.DRAFT, "作成中"),
    (AnswerStatus.AWAITING_CONFIRMATION, "所属長確認待ち"),
    (AnswerStatus.CONFIRMED, "確認済み"),
    ("submitted", "提出済み"),
]


@dataclass(frozen=True)
class ProgressAnswer:
    """What the progress page shows of an organization's answer."""

    status: str
    kind: str
    by_proxy: bool
    updated_at: dt.datetime
    submitted_at: dt.datetime | None


@dataclass
class ProgressRow:
    """One target organization on the progress page."""

    organization: Organization
    answer: ProgressAnswer | None
    contacts: list[NotificationRecipient]

    @property
    def submitted(self) -> bool:
        return self.answer is not None and self.answer.submitted_at is not None

    @property
    def status_label(self) -> str:
        if self.answer is None:
            return answer_status_label(None)
        return status_words(
            status=self.answer.status,
            kind=self.answer.kind,
            ever_submitted=self.answer.submitted_at is not None,
        )


@dataclass
class Progress:
    """How far the answers of an inquiry have come (「19団体中7団体」), by answer status."""

    target_count: int
    submitted_count: int
    # Organizations with an answer row, by its status, among those never submitted.
    drafting: dict[str, int]

    @property
    def waiting_count(self) -> int:
        return self.target_count - self.submitted_count

    @property
    def not_started_count(self) -> int:
        return self.waiting_count - sum(self.drafting.values())

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """Return (filter value, label, count) for each status, as the summary lists them."""
        counts = {
            "not_started": self.not_started_count,
            "submitted": self.submitted_count,
            **self.drafting,
        }
        return [
            (value, label, counts.get(value, 0))
            for value, label in PROGRESS_STATUSES
            if value != "waiting"
        ]

    def status_count(self, status: str) -> int:
        """Return how many targets the progress page's status filter ("": none) lists."""
        if status == "":
            return self.target_count
        if status == "waiting":
            return self.waiting_count
        if status == "not_started":
            return self.not_started_count
        if status == "submitted":
            return self.submitted_count
        return self.drafting.get(status, 0)


def inquiry_progress(inquiry: Inquiry) -> Progress:
    """Count the targets, the submitted answers and the drafts of an inquiry in two queries."""
    target_count = Target.objects.filter(inquiry=inquiry).count()
    submitted = 0
    drafting: dict[str, int] = {}
    # Answers exist only for targets (permissions._target_answer checks it).
    rows = (
        Answer.objects.filter(inquiry=inquiry)
        .values("status", done=Q(submitted_at__isnull=False))
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        if row["done"]:
            submitted += row["count"]
        else:
            drafting[row["status"]] = drafting.get(row["status"], 0) + row["count"]
    return Progress(target_count=target_count, submitted_count=submitted, drafting=drafting)


# What a progress row shows of an organization.
PROGRESS_ORGANIZATION_FIELDS = ("code", "name", "prefecture_code")
# What a progress row says of an answer; its data (the answers themselves) is not read.
PROGRESS_ANSWER_FIELDS = ("status", "kind", "by_proxy", "updated_at", "submitted_at")


def progress_targets(
    *,
    inquiry: Inquiry,
    status: str = "",
    prefecture_code: str = "",
    kind: str = "",
    query: str = "",
) -> QuerySet[Organization]:
    """Return the target organizations of an inquiry that match the progress page's filters."""
    organizations = Organization.objects.filter(
        pk__in=Target.objects.filter(inquiry=inquiry).values("organization_id")
    )
    answers = Answer.objects.filter(inquiry=inquiry, organization=OuterRef("pk"))
    if status == "waiting":
        organizations = organizations.exclude(Exists(answers.filter(submitted_at__isnull=False)))
    elif status == "not_started":
        organizations = organizations.exclude(Exists(answers))
    elif status == "submitted":
        organizations = organizations.filter(Exists(answers.filter(submitted_at__isnull=False)))
    elif status in AnswerStatus.values:
        organizations = organizations.filter(
            Exists(answers.filter(status=status, submitted_at__isnull=True))
        )
    if prefecture_code:
        organizations = organizations.filter(prefecture_code=prefecture_code)
    if kind:
        organizations = organizations.filter(kind=kind)
    query = query.strip()
    if query:
        digits = to_halfwidth_digits(query)
        organizations = organizations.filter(
            Q(name__icontains=query) | Q(kana__icontains=query) | Q(code__startswith=digits)
        )
    # Only what a row shows: a page of full organizations cost more than its queries.
    return organizations.only(*PROGRESS_ORGANIZATION_FIELDS).order_by("code", "name", "pk")


def progress_rows(*, inquiry: Inquiry, organizations: Iterable[Organization]) -> list[ProgressRow]:
    """Return one page of target organizations with their answers and contacts (two queries).

    The answers are read as plain values, not model instances (their data is not read):
    joined to every target instead, they would be looked up for each row an OFFSET skips.
    """
    organizations = list(organizations)
    answers = {
        row[0]: ProgressAnswer(**dict(zip(PROGRESS_ANSWER_FIELDS, row[1:], strict=True)))
        for row in Answer.objects.filter(
            inquiry=inquiry, organization_id__in=[o.pk for o in organizations]
        ).values_list("organization_id", *PROGRESS_ANSWER_FIELDS)
    }
    rows = [
        ProgressRow(organization=o, answer=answers.get(o.pk), contacts=[]) for o in organizations
    ]
    waiting = {row.organization.pk: row for row in rows if not row.submitted}
    if waiting:
        # The addresses the inquiry's mail and reminders go to (account or not).
        for recipient in notification_recipients(organization_ids=waiting):
            waiting[recipient.organization.pk].contacts.append(recipient)
    return rows


def reminder_recipient_count(*, organization_ids: Iterable[int]) -> int:
    """Return how many addresses a reminder to the organizations would be sent to."""
    return len(notification_recipients(organization_ids=set(organization_ids)))


def non_submitted_organization_ids(inquiry: Inquiry) -> list[int]:
    """Return the target organizations that have never submitted an answer."""
    submitted = Answer.objects.filter(inquiry=inquiry, submitted_at__isnull=False).values(
        "organization_id"
    )
    return list(
        Target.objects.filter(inquiry=inquiry)
        .exclude(organization_id__in=submitted)
        .values_list("organization_id", flat=True)
    )


def answer_status_label(answer: Answer | None) -> str:
    """Describe an organization's answer status in words (None: 未着手, nothing saved yet)."""
    if answer is None:
        return "未着手"
    return status_words(
        status=answer.status, kind=answer.kind, ever_submitted=answer.submitted_at is not None
    )


_STATUS_LABELS = dict(AnswerStatus.choices)
_KIND_LABELS = dict(AnswerKind.choices)


def status_words(*, status: str, kind: str, ever_submitted: bool) -> str:
    """Describe an answer's status: 提出済み（回答）, 修正中（提出済みの回答あり）・作成中 …"""
    if status == AnswerStatus.SUBMITTED:
        return f"提出済み（{_KIND_LABELS.get(kind, kind)}）"
    if ever_submitted:
        return f"修正中（提出済みの回答あり）・{_STATUS_LABELS.get(status, status)}"
    return _STATUS_LABELS.get(status, status)


ANSWER_PEOPLE = ("updated_by", "confirmation_requested_by", "confirmed_by", "submitted_by")


def answer_people_attach(answer: Answer) -> Answer:
    """Load the people an answer page names (last saver, confirmer, submitter) in one query."""
    ids = {getattr(answer, f"{name}_id") for name in ANSWER_PEOPLE} - {None}
    people = User.objects.in_bulk(ids) if ids else {}
    for name in ANSWER_PEOPLE:
        setattr(answer, name, people.get(getattr(answer, f"{name}_id")))
    return answer


def answer_versions(answer: Answer) -> QuerySet[AnswerVersion]:
    """Return the submitted versions of an answer, newest first (none before its first save)."""
    if answer.pk is None:
        return AnswerVersion.objects.none()
    return answer.versions.select_related("submitted_by").order_by("-number")


def latest_submitted_versions(inquiry: Inquiry) -> QuerySet[AnswerVersion]:
    """Return the latest submitted version of each organization's answer.

    This is what counts as an organization's answer for compilation: a correction being
    drafted after submission does not replace it until it is submitted again.
    """
    latest = (
        AnswerVersion.objects.filter(answer=OuterRef("answer"))
        .order_by("-number")
        .values("number")[:1]
    )
    return (
        AnswerVersion.objects.filter(answer__inquiry=inquiry, number=Subquery(latest))
        .select_related("answer__organization", "submitted_by")
        .order_by("answer__organization__code", "answer__organization__name")
    )


def suggested_deadline(*, today: dt.date | None = None, business_days: int = 10) -> dt.date:
    """Return the default deadline: N business days from today."""
    return add_business_days(today or timezone.localdate(), business_days)
