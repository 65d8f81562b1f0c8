"""The inquiries a user sees, per tab, and a new inquiry's suggested deadline."""

import datetime as dt

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    When,
)
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.business_days import add_business_days
from renkei.directory.permissions import organization_id_of
from renkei.inquiries.models import (
    Inquiry,
    InquiryStatus,
)
from renkei.inquiries.permissions import (
    answerable_filter,
    answerable_inquiries,
    results_visible_filter,
    visible_inquiries_filter,
)


def _with_my_answer(queryset: QuerySet[Inquiry], org_id: int | None) -> QuerySet[Inquiry]:
    # One outer join on the organization's answer (one per inquiry and organization), not a
    # subquery per column: the three subqueries cost more to build than to run.
    return queryset.annotate(
        my_answer=FilteredRelation("answers", condition=Q(answers__organization_id=org_id)),
        my_answer_status=F("my_answer__status"),
        my_answer_submitted_at=F("my_answer__submitted_at"),
        my_answer_kind=F("my_answer__kind"),
    )


def _asked_with_my_answer(user: User) -> QuerySet[Inquiry]:
    """Return the inquiries the user's organization is asked to answer, with its answer's status."""
    queryset = answerable_inquiries(user)
    return _with_my_answer(queryset, organization_id_of(user)).select_related("requester")


def inquiries_to_answer(user: User) -> QuerySet[Inquiry]:
    """Return the open inquiries the user's organization is asked to answer, with its status."""
    return _asked_with_my_answer(user).filter(status=InquiryStatus.OPEN).order_by("deadline", "-id")


def inquiry_news(user: User, *, limit: int) -> list[dict]:
    """Return the newest inquiries to answer and published results the user may see (1 query).

    Rows, newest first by `at` (when an open inquiry was opened, when results were
    published), with pk, title, status, deadline, at and my_answer_status (None until the
    user's organization begins its answer).
    """
    to_answer = answerable_filter(user) & Q(status=InquiryStatus.OPEN, opened_at__isnull=False)
    queryset = _with_my_answer(
        Inquiry.objects.filter(to_answer | _results_news_q(user)), organization_id_of(user)
    )
    return list(
        queryset.annotate(
            at=Case(When(status=InquiryStatus.OPEN, then=F("opened_at")), default=F("published_at"))
        )
        .order_by("-at", "-id")
        .values("pk", "title", "status", "deadline", "at", "my_answer_status")[:limit]
    )


def inquiry_results_news(user: User, *, limit: int) -> list[dict]:
    """Return the newest published results the user may see (1 query): pk, title and at."""
    return list(
        Inquiry.objects.filter(_results_news_q(user))
        .order_by("-published_at", "-id")
        .values("pk", "title", at=F("published_at"))[:limit]
    )


def _results_news_q(user: User) -> Q:
    return Q(status=InquiryStatus.PUBLISHED, published_at__isnull=False) & (
        results_visible_filter(user)
    )


def inquiries_answered_before(user: User) -> QuerySet[Inquiry]:
    """Return the closed or published inquiries the user's organization was asked to answer."""
    return (
        _asked_with_my_answer(user).exclude(status=InquiryStatus.OPEN).order_by("-deadline", "-id")
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


def suggested_deadline(*, today: dt.date | None = None, business_days: int = 10) -> dt.date:
    """Return the default deadline: N business days from today."""
    return add_business_days(today or timezone.localdate(), business_days)
