"""An answer's status in words, the people on it, its versions and the latest submitted ones."""

from django.db.models import OuterRef, QuerySet, Subquery

from renkei.accounts.models import User
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
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
