"""Who of the targets has answered: counts, rows of the progress page, reminders' recipients."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from renkei.core.text import to_halfwidth_digits
from renkei.directory.models import (
    Organization,
)
from renkei.directory.selectors import (
    NotificationRecipient,
    notification_recipients,
)
from renkei.inquiries.models import (
    Answer,
    AnswerStatus,
    Inquiry,
    Target,
)
from renkei.inquiries.selectors.answers import answer_status_label, status_words

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
