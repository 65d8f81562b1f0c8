"""Who of the targets has answered: counts, rows of the progress page, reminders' recipients."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import (
    Case,
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from renkei.core.text import to_halfwidth_digits
from renkei.directory.models import (
    Organization,
)
from renkei.directory.selectors import (
    NotificationAddress,
    notification_addresses,
    notification_recipients,
)
from renkei.inquiries.models import (
    Answer,
    AnswerStatus,
    Inquiry,
    MailingStatus,
    Reminder,
    ReminderKind,
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


@dataclass(frozen=True)
class ProgressOrganization:
    """What the progress page shows of a target organization."""

    pk: int
    code: str | None
    name: str
    prefecture_code: str
    # The shared mailbox, one of the contacts the row lists ("" for none).
    notification_email: str


@dataclass
class ProgressRow:
    """One target organization on the progress page."""

    organization: ProgressOrganization
    answer: ProgressAnswer | None
    contacts: list[NotificationAddress]

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


# The states progress counts, besides the status of an answer never submitted: an answer
# submitted (ever, even while a correction is drafted), and a target (the row counting them).
_SUBMITTED = "*submitted"
_TARGET = "*target"


def inquiry_progress(inquiry: Inquiry) -> Progress:
    """Count the targets of an inquiry and their answers by state, in one query."""
    answers = (
        Answer.objects.filter(inquiry=inquiry)
        .values(
            state=Case(When(submitted_at__isnull=False, then=Value(_SUBMITTED)), default="status")
        )
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("state", "count")
    )
    targets = (
        Target.objects.filter(inquiry=inquiry)
        .values(state=Value(_TARGET))
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("state", "count")
    )
    target_count = submitted = 0
    drafting: dict[str, int] = {}
    # Answers exist only for targets (permissions._target_answer checks it).
    for state, count in answers.union(targets, all=True):
        if state == _TARGET:
            target_count = count
        elif state == _SUBMITTED:
            submitted = count
        else:
            drafting[state] = count
    return Progress(target_count=target_count, submitted_count=submitted, drafting=drafting)


# What a progress row shows of an organization, and says of its answer (not its data), read
# as tuples in this order.
PROGRESS_ORGANIZATION_FIELDS = tuple(f.name for f in fields(ProgressOrganization))
PROGRESS_ANSWER_FIELDS = tuple(f.name for f in fields(ProgressAnswer))


def progress_targets(
    *,
    inquiry: Inquiry,
    status: str = "",
    prefecture_code: str = "",
    kind: str = "",
    query: str = "",
) -> QuerySet[Organization, tuple]:
    """Return the target organizations of an inquiry that match the progress page's filters.

    As tuples of PROGRESS_ORGANIZATION_FIELDS then PROGRESS_ANSWER_FIELDS (None for an
    organization without an answer), in the page's order: each organization is joined to its
    one answer to the inquiry, so the status filters are conditions on that join and a page
    needs no second query for its answers. Targets are matched with EXISTS rather than IN:
    the database can then walk the organizations in code order and stop at the page's last
    row, where IN had it read and sort every target first (SQLite: 0.08 ms instead of
    0.8 ms for the first page of 1,788; the last pages cost about the same).
    """
    organizations = Organization.objects.filter(
        Exists(Target.objects.filter(inquiry=inquiry, organization=OuterRef("pk")))
    ).annotate(
        answer=FilteredRelation("inquiry_answers", condition=Q(inquiry_answers__inquiry=inquiry))
    )
    if status == "waiting":
        organizations = organizations.filter(answer__submitted_at__isnull=True)
    elif status == "not_started":
        organizations = organizations.filter(answer__isnull=True)
    elif status == "submitted":
        organizations = organizations.filter(answer__submitted_at__isnull=False)
    elif status in AnswerStatus.values:
        organizations = organizations.filter(answer__status=status, answer__submitted_at=None)
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
    return organizations.order_by("code", "name", "pk").values_list(
        *PROGRESS_ORGANIZATION_FIELDS, *(f"answer__{name}" for name in PROGRESS_ANSWER_FIELDS)
    )


def progress_rows(*, organizations: Iterable[tuple]) -> list[ProgressRow]:
    """Return one page of progress_targets with their contacts (one query).

    Contacts are read for the page's non-submitting organizations only.
    """
    width = len(PROGRESS_ORGANIZATION_FIELDS)
    rows = [
        ProgressRow(
            organization=ProgressOrganization(*row[:width]),
            # An answer's status is never empty: None means the organization has none.
            answer=ProgressAnswer(*row[width:]) if row[width] is not None else None,
            contacts=[],
        )
        for row in organizations
    ]
    waiting = {row.organization.pk: row for row in rows if not row.submitted}
    if waiting:
        # The addresses the inquiry's mail and reminders go to (account or not).
        addresses = notification_addresses(
            organizations={
                pk: (row.organization.name, row.organization.notification_email)
                for pk, row in waiting.items()
            },
            departments=False,  # the page shows names, addresses and phones
        )
        for pk, row in waiting.items():
            row.contacts = addresses[pk]
    return rows


@dataclass(frozen=True)
class ReminderLine:
    """One reminder in the progress page's history."""

    sent_at: dt.datetime
    kind_label: str
    message_count: int
    # Its mail is still being written and sent (message_count is not final yet).
    mailing_running: bool
    # "" once the sender's account is gone.
    sent_by_name: str


def reminder_history(*, inquiry: Inquiry, limit: int = 20) -> list[ReminderLine]:
    """Return the inquiry's latest reminders, newest first, read as plain values."""
    kinds = dict(ReminderKind.choices)
    return [
        ReminderLine(
            sent_at=sent_at,
            kind_label=kinds.get(kind, kind),
            message_count=message_count,
            mailing_running=mailing_status is not None and mailing_status != MailingStatus.DONE,
            # User.get_full_name: the full name, else the user ID.
            sent_by_name=(full_name or username) if username is not None else "",
        )
        for sent_at, kind, message_count, mailing_status, full_name, username in (
            Reminder.objects.filter(inquiry=inquiry)
            .order_by("-sent_at")
            .values_list(
                "sent_at",
                "kind",
                "message_count",
                "mailing__status",
                "sent_by__full_name",
                "sent_by__username",
            )[:limit]
        )
    ]


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
