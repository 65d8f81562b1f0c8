"""The inquiry's transition table: every step audited, stale copies refused, races settled."""

import datetime as dt

import pytest
from django.utils import timezone

from renkei.audit.models import Action, AuditEvent
from renkei.inquiries import services
from renkei.inquiries.lifecycle import INQUIRY_WORKFLOW
from renkei.inquiries.models import Inquiry, InquiryStatus, QuestionKind, Target
from renkei.inquiries.services import lifecycle as lifecycle_services
from renkei.inquiries.services.errors import InquiryError
from renkei.mailer.models import OutboxMessage
from renkei.testing import Council, make_contact, race, races_on_postgresql


def _request_in_review(council: Council) -> Inquiry:
    """A member's request (深川市 asks), ready and sent to the secretariat for review."""
    inquiry = services.inquiry_create(
        by=council.board,
        draft=services.InquiryDraft(
            title="RPA の導入状況", deadline=timezone.now() + dt.timedelta(days=14)
        ),
    )
    services.question_create(
        inquiry=inquiry,
        by=council.board,
        draft=services.QuestionDraft(kind=QuestionKind.YES_NO, text="RPA を導入していますか。"),
    )
    services.inquiry_targets_set(inquiry=inquiry, by=council.board, spec={"mode": "all"})
    return services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)


def _steps(inquiry: Inquiry) -> list[tuple[str, str, str]]:
    return [
        (event.detail["transition"], event.detail["from"], event.detail["to"])
        for event in AuditEvent.objects.filter(
            action=Action.STATUS_CHANGED, target_id=str(inquiry.pk)
        ).order_by("id")
    ]


def test_every_step_of_a_request_is_audited_with_who_took_it(council):
    make_contact(user=council.staff)
    inquiry = _request_in_review(council)
    services.inquiry_approve(inquiry=inquiry, by=council.secretariat, note="承認します")
    services.inquiry_close(inquiry=inquiry, by=council.board)
    services.inquiry_extend_deadline(
        inquiry=inquiry, by=council.board, deadline=timezone.now() + dt.timedelta(days=30)
    )
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    services.inquiry_publish_results(inquiry=inquiry, by=council.secretariat)

    assert _steps(inquiry) == [
        ("submit_for_review", "draft", "review"),
        ("approve", "review", "open"),
        ("close", "open", "closed"),
        ("extend", "closed", "open"),
        ("close", "open", "closed"),
        ("publish", "closed", "published"),
    ]
    actors = list(
        AuditEvent.objects.filter(action=Action.STATUS_CHANGED)
        .order_by("id")
        .values_list("actor__username", flat=True)
    )
    assert actors[:3] == [
        council.board.username,
        council.secretariat.username,
        council.board.username,
    ]


def test_approval_writes_review_fields_and_targets_in_one_step(council):
    inquiry = _request_in_review(council)

    services.inquiry_approve(inquiry=inquiry, by=council.secretariat, note="承認します")

    stored = Inquiry.objects.get(pk=inquiry.pk)
    assert stored.status == InquiryStatus.OPEN
    assert (stored.reviewed_by, stored.review_note) == (council.secretariat, "承認します")
    assert stored.opened_at is not None
    assert Target.objects.filter(inquiry=inquiry).exists()


def test_stale_copy_cannot_reject_an_approved_request(council):
    inquiry = _request_in_review(council)
    stale = Inquiry.objects.get(pk=inquiry.pk)
    services.inquiry_approve(inquiry=inquiry, by=council.secretariat)

    with pytest.raises(InquiryError, match="他の方が先に操作"):
        services.inquiry_reject(inquiry=stale, by=council.secretariat, note="見直してください")

    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.OPEN


def test_refusal_names_the_current_status_and_changes_nothing(council):
    inquiry = _request_in_review(council)

    with pytest.raises(InquiryError) as refused:
        services.inquiry_close(inquiry=inquiry, by=council.secretariat)

    assert refused.value.args[0] == "締め切れるのは受付中の照会のみです。（現在の状態：審査中）"
    assert _steps(inquiry) == [("submit_for_review", "draft", "review")]


def test_failed_mail_rolls_the_step_back(council, monkeypatch):
    inquiry = _request_in_review(council)
    sent_before = OutboxMessage.objects.count()

    def broken(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(lifecycle_services, "users_mail", broken)
    with pytest.raises(RuntimeError):
        services.inquiry_reject(inquiry=inquiry, by=council.secretariat, note="理由")

    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.REVIEW
    assert OutboxMessage.objects.count() == sent_before
    assert _steps(inquiry) == [("submit_for_review", "draft", "review")]


def test_the_table_names_a_refusal_and_mail_for_every_step():
    for step in INQUIRY_WORKFLOW.transitions:
        assert step.refused.endswith("のみです。"), step.name
        assert step.mail, step.name
        assert step.capability is not None, step.name


@pytest.mark.django_db(transaction=True)
@races_on_postgresql
def test_of_a_racing_approval_and_rejection_exactly_one_wins():
    from renkei.testing import make_council

    council = make_council()
    make_contact(user=council.staff)
    inquiry = _request_in_review(council)

    outcomes = race(
        read=lambda: Inquiry.objects.get(pk=inquiry.pk),
        steps={
            "approve": lambda copy: services.inquiry_approve(inquiry=copy, by=council.secretariat),
            "reject": lambda copy: services.inquiry_reject(
                inquiry=copy, by=council.secretariat, note="見直し"
            ),
        },
        refused=InquiryError,
    )

    assert sorted(outcomes.values()) == ["applied", "refused"]
    stored = Inquiry.objects.get(pk=inquiry.pk)
    targets = Target.objects.filter(inquiry=inquiry).count()
    if outcomes["approve"] == "applied":
        assert stored.status == InquiryStatus.OPEN
        assert targets > 0
    else:
        assert stored.status == InquiryStatus.REJECTED
        assert targets == 0  # the losing approval created nothing
    assert [s[0] for s in _steps(inquiry)] == [
        "submit_for_review",
        "approve" if targets else "reject",
    ]
