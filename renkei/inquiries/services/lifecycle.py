"""Moving an inquiry through its lifecycle: review, approval, opening, extension, closing, results.

DRAFT → (member 調査依頼) REVIEW → approved: OPEN / rejected: REJECTED → REVIEW …; the
secretariat opens its own drafts directly. OPEN → CLOSED → PUBLISHED; a deadline extension
reopens a closed inquiry. Access checks are the caller's (see permissions.py); these
functions enforce the states and the data.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.core.links import absolute_url
from renkei.core.wareki import format_datetime
from renkei.directory.selectors import notification_recipients
from renkei.inquiries.lifecycle import INQUIRY_WORKFLOW
from renkei.inquiries.mailings import (
    inquiry_context,
    mailing_request,
)
from renkei.inquiries.models import (
    AnswerKind,
    Inquiry,
    ResultsVisibility,
    Target,
)
from renkei.inquiries.selectors.targets import target_organizations
from renkei.inquiries.services.common import users_mail
from renkei.inquiries.services.errors import InquiryError
from renkei.mailer.services import mail_queue
from renkei.workflow.transitions import refused_as

REQUESTER_EVENTS = {
    "approved": "事務局に承認され、照会先へ送信されました",
    "opened": "照会先へ送信され、回答の受付を開始しました",
    "closed": "回答の受付を締め切りました",
    "published": "結果が公開されました",
}


def _requester_mail(*, inquiry: Inquiry, event: str, include_author: bool = True) -> int:
    """Tell the requesting organization (and the author) what happened to its inquiry."""
    to: list[tuple[str, str]] = [
        (r.name, r.email) for r in notification_recipients(organization_ids=[inquiry.requester_id])
    ]
    author = inquiry.created_by
    if include_author and author is not None and author.is_active and author.email:
        to.append((author.get_full_name(), author.email))
    if not to:
        return 0
    targets = inquiry.targets.count()
    submitted = inquiry.answers.filter(submitted_at__isnull=False).count()
    return len(
        mail_queue(
            to=to,
            template="inquiry_requester_notice",
            context={
                **inquiry_context(inquiry),
                "event": event,
                "event_label": REQUESTER_EVENTS[event],
                "target_count": f"{targets:,}",
                "submitted_count": f"{submitted:,}",
                "progress_url": absolute_url(reverse("inquiries:progress", args=[inquiry.pk])),
            },
            topic=f"inquiry:{inquiry.pk}",
        )
    )


def _ready_check(inquiry: Inquiry, *, now: dt.datetime) -> None:
    """Refuse to send out an inquiry that is missing something the targets need."""
    problems = []
    if not inquiry.questions.exists():
        problems.append("設問が1つもありません。")
    if not inquiry.target_spec:
        problems.append("照会先が設定されていません。")
    if inquiry.deadline is None:
        problems.append("回答期限が設定されていません。")
    elif inquiry.deadline <= now:
        problems.append("回答期限が過ぎています。期限を設定し直してください。")
    if problems:
        raise InquiryError("この照会はまだ開始できません：" + " ".join(problems))


def _transition_check(inquiry: Inquiry, name: str, *, by: User) -> None:
    """Refuse early, in the workflow's words, a step the inquiry's status does not allow."""
    with refused_as(InquiryError):
        INQUIRY_WORKFLOW.check(instance=inquiry, name=name, by=by)


def _transition(
    inquiry: Inquiry,
    name: str,
    *,
    by: User,
    changes: Mapping[str, Any] | None = None,
    after: Callable[[Inquiry], None] | None = None,
    request: HttpRequest | None = None,
    detail: Mapping[str, Any] | None = None,
) -> Inquiry:
    """Apply a step of the inquiry's transition table (conditional, audited, atomic)."""
    with refused_as(InquiryError):
        return INQUIRY_WORKFLOW.apply(
            instance=inquiry,
            name=name,
            by=by,
            changes=changes,
            after=after,
            request=request,
            detail=detail,
        )


def inquiry_submit_for_review(
    *, inquiry: Inquiry, by: User, request: HttpRequest | None = None
) -> Inquiry:
    """Send a member's draft (調査依頼) to the secretariat for review."""
    _transition_check(inquiry, "submit_for_review", by=by)
    _ready_check(inquiry, now=timezone.now())

    def mail(inquiry: Inquiry) -> None:
        secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True).exclude(email="")
        users_mail(
            users=secretariat,
            template="inquiry_review_requested",
            inquiry=inquiry,
            author=by.get_full_name(),
        )

    return _transition(inquiry, "submit_for_review", by=by, after=mail, request=request)


def _open_organization_ids(inquiry: Inquiry, *, now: dt.datetime) -> list[int]:
    """Return the organizations an inquiry about to open goes to, or refuse to open it."""
    _ready_check(inquiry, now=now)
    organization_ids = list(
        target_organizations(spec=inquiry.target_spec, exclude_id=inquiry.requester_id).values_list(
            "pk", flat=True
        )
    )
    if not organization_ids:
        raise InquiryError("照会先の条件に当てはまる団体がありません。")
    return organization_ids


def _targets_fix_and_notify(
    inquiry: Inquiry, *, organization_ids: list[int], requester_event: str, by: User
) -> None:
    """Create the targets, queue the mail to their notification addresses (with answer links)
    and mail the requester, inside the transaction that opens the inquiry."""
    Target.objects.bulk_create(
        [Target(inquiry=inquiry, organization_id=org_id) for org_id in organization_ids],
        batch_size=500,
    )
    mailing_request(
        inquiry=inquiry,
        organization_ids=organization_ids,
        template="inquiry_opened",
        by=by,
        links=True,
    )
    # The author of an approved request hears of it in inquiry_reviewed already.
    _requester_mail(
        inquiry=inquiry, event=requester_event, include_author=requester_event != "approved"
    )


def inquiry_approve(
    *, inquiry: Inquiry, by: User, note: str = "", request: HttpRequest | None = None
) -> Inquiry:
    """Approve a 調査依頼 and send it out to the targets at once."""
    _transition_check(inquiry, "approve", by=by)
    now = timezone.now()
    organization_ids = _open_organization_ids(inquiry, now=now)

    def after(inquiry: Inquiry) -> None:
        _targets_fix_and_notify(
            inquiry, organization_ids=organization_ids, requester_event="approved", by=by
        )
        users_mail(
            users=[inquiry.created_by],
            template="inquiry_reviewed",
            inquiry=inquiry,
            approved=True,
            note=inquiry.review_note,
        )

    changes = {"review_note": note.strip(), "reviewed_by": by, "reviewed_at": now}
    return _transition(
        inquiry,
        "approve",
        by=by,
        changes={**changes, "opened_at": now},
        after=after,
        request=request,
    )


def inquiry_reject(
    *, inquiry: Inquiry, by: User, note: str, request: HttpRequest | None = None
) -> Inquiry:
    """Send a 調査依頼 back to its author with the reason."""
    _transition_check(inquiry, "reject", by=by)
    if not note.strip():
        raise InquiryError("差戻しの理由を入力してください。", field="note")

    def mail(inquiry: Inquiry) -> None:
        users_mail(
            users=[inquiry.created_by],
            template="inquiry_reviewed",
            inquiry=inquiry,
            approved=False,
            note=inquiry.review_note,
        )

    changes = {"review_note": note.strip(), "reviewed_by": by, "reviewed_at": timezone.now()}
    return _transition(inquiry, "reject", by=by, changes=changes, after=mail, request=request)


def inquiry_open(
    *,
    inquiry: Inquiry,
    by: User,
    requester_event: str = "opened",
    request: HttpRequest | None = None,
) -> Inquiry:
    """Fix the targets, open the inquiry for answers and mail the targets and the requester.

    Every target organization's notification addresses get the inquiry with the
    organization's answer link, in the transaction that opens it.
    """
    _transition_check(inquiry, "open", by=by)
    now = timezone.now()
    organization_ids = _open_organization_ids(inquiry, now=now)

    def after(inquiry: Inquiry) -> None:
        _targets_fix_and_notify(
            inquiry, organization_ids=organization_ids, requester_event=requester_event, by=by
        )

    return _transition(
        inquiry, "open", by=by, changes={"opened_at": now}, after=after, request=request
    )


def inquiry_extend_deadline(
    *,
    inquiry: Inquiry,
    by: User,
    deadline: dt.datetime,
    request: HttpRequest | None = None,
) -> Inquiry:
    """Move the deadline later, reopen the inquiry if it was closed, and tell the targets."""
    _transition_check(inquiry, "extend", by=by)
    now = timezone.now()
    if deadline <= now:
        raise InquiryError("新しい期限には現在より後の日時を指定してください。", field="deadline")
    if inquiry.deadline is not None and deadline <= inquiry.deadline:
        raise InquiryError(
            f"新しい期限は現在の期限（{format_datetime(inquiry.deadline)}）より後にしてください。",
            field="deadline",
        )

    def mail(inquiry: Inquiry) -> None:
        mailing_request(
            inquiry=inquiry,
            organization_ids=inquiry.targets.values_list("organization_id", flat=True),
            template="inquiry_deadline_extended",
            by=by,
            links=True,
        )

    # The automatic reminder counts from the new deadline.
    changes = {"deadline": deadline, "closed_at": None, "auto_reminder_sent_at": None}
    previous = inquiry.deadline.isoformat() if inquiry.deadline else None
    return _transition(
        inquiry,
        "extend",
        by=by,
        changes=changes,
        after=mail,
        request=request,
        detail={"deadline_before": previous, "deadline": deadline.isoformat()},
    )


def inquiry_close(*, inquiry: Inquiry, by: User, request: HttpRequest | None = None) -> Inquiry:
    """Stop accepting answers."""

    def mail(inquiry: Inquiry) -> None:
        _requester_mail(inquiry=inquiry, event="closed")

    return _transition(
        inquiry,
        "close",
        by=by,
        changes={"closed_at": timezone.now()},
        after=mail,
        request=request,
    )


def inquiry_publish_results(
    *, inquiry: Inquiry, by: User, request: HttpRequest | None = None
) -> Inquiry:
    """Publish the results and tell the requester and the targets that may read them.

    With 回答した団体 the organizations that submitted an answer (other than 回答辞退) are
    told; with 全会員 (with or without observers) every target; with 事務局と照会団体のみ no
    target.
    """

    def mail(inquiry: Inquiry) -> None:
        readers = _result_reader_ids(inquiry)
        if readers:
            mailing_request(
                inquiry=inquiry,
                organization_ids=readers,
                template="inquiry_results_published",
                by=by,
            )
        _requester_mail(inquiry=inquiry, event="published")

    return _transition(
        inquiry,
        "publish",
        by=by,
        changes={"published_at": timezone.now()},
        after=mail,
        request=request,
    )


def _result_reader_ids(inquiry: Inquiry) -> list[int]:
    """Return the target organizations that may read the published results."""
    if inquiry.results_visibility in (ResultsVisibility.MEMBERS, ResultsVisibility.MEMBERS_ONLY):
        return list(inquiry.targets.values_list("organization_id", flat=True))
    if inquiry.results_visibility == ResultsVisibility.ANSWERING:
        return list(
            inquiry.answers.filter(submitted_at__isnull=False)
            .exclude(kind=AnswerKind.DECLINED)
            .values_list("organization_id", flat=True)
        )
    return []
