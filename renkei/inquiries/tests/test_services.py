"""Inquiry services: lifecycle, targets, questions, answers, versions and reminders."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renkei.audit.models import Action, AuditEvent
from renkei.core.business_days import add_business_days
from renkei.directory.models import Group, GroupMember, OrganizationKind
from renkei.inquiries import services
from renkei.inquiries.models import (
    Answer,
    AnswerFile,
    AnswerKind,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    InquiryStatus,
    QuestionKind,
    Reminder,
    ReminderKind,
    Target,
)
from renkei.inquiries.permissions import get_answer_for, get_answer_for_proxy
from renkei.inquiries.services.errors import (
    AnswerConflictError,
    AnswerIncompleteError,
    InquiryError,
)
from renkei.inquiries.tests.builders import (
    complete_data,
    future,
    make_draft,
    make_open,
    questions_of,
)
from renkei.mailer.models import OutboxMessage
from renkei.testing import make_organization, make_user


def save_complete(answer: Answer, by, **kwargs) -> Answer:
    return services.answer_save(
        answer=answer, by=by, revision=answer.revision, data=complete_data(answer.inquiry), **kwargs
    )


# --- lifecycle ------------------------------------------------------------------------------


def test_secretariat_opens_draft_fixes_targets_and_mails_contacts(council, contacts):
    inquiry = make_open(council)

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert inquiry.opened_at is not None
    target_ids = set(
        Target.objects.filter(inquiry=inquiry).values_list("organization_id", flat=True)
    )
    # Regular members only: not the secretariat (asker), not the observer 総務省.
    assert target_ids == {council.member_org.pk, council.other_org.pk, council.board_org.pk}
    mails = OutboxMessage.objects.filter(template="inquiry_opened")
    # The 連絡窓口 of each target; 当別町's representative holds no contact post.
    assert {m.to_email for m in mails} == {
        council.staff.email,
        council.outsider.email,
        council.board.email,
    }
    assert "情報セキュリティポリシーについて" in mails[0].subject


def test_targets_stay_fixed_after_opening(council):
    inquiry = make_open(council)
    make_organization(
        code="012050", name="室蘭市", kind=OrganizationKind.CITY, prefecture_code="01"
    )

    assert inquiry.targets.count() == 3


def test_opening_without_questions_is_refused(council):
    inquiry = services.inquiry_create(
        by=council.secretariat, draft=services.InquiryDraft(title="空の照会", deadline=future())
    )
    services.inquiry_targets_set(inquiry=inquiry, by=council.secretariat, spec={"mode": "all"})

    with pytest.raises(InquiryError, match="設問が1つもありません"):
        services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DRAFT
    assert not inquiry.targets.exists()


def test_opening_with_past_deadline_is_refused(council):
    inquiry = make_draft(council, deadline=timezone.now() - dt.timedelta(hours=1))

    with pytest.raises(InquiryError, match="回答期限が過ぎています"):
        services.inquiry_open(inquiry=inquiry, by=council.secretariat)


def test_member_request_goes_through_review_and_approval_opens(council):
    inquiry = make_draft(council, by=council.board)
    assert inquiry.requester == council.board_org

    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)
    assert inquiry.status == InquiryStatus.REVIEW
    assert OutboxMessage.objects.filter(
        template="inquiry_review_requested", to_email=council.secretariat.email
    ).exists()

    services.inquiry_approve(inquiry=inquiry, by=council.secretariat, note="承認します。")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert inquiry.reviewed_by == council.secretariat
    # The asking city is not asked to answer its own inquiry.
    assert not inquiry.targets.filter(organization=council.board_org).exists()
    assert OutboxMessage.objects.filter(
        template="inquiry_reviewed", to_email=council.board.email
    ).exists()


def test_rejection_needs_a_note_and_returns_the_draft(council):
    inquiry = make_draft(council, by=council.board)
    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)

    with pytest.raises(InquiryError, match="理由"):
        services.inquiry_reject(inquiry=inquiry, by=council.secretariat, note="  ")
    services.inquiry_reject(inquiry=inquiry, by=council.secretariat, note="設問2を具体的に。")

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.REJECTED
    assert inquiry.review_note == "設問2を具体的に。"
    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)
    assert inquiry.status == InquiryStatus.REVIEW


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (InquiryStatus.DRAFT, "approve"),
        (InquiryStatus.OPEN, "submit_for_review"),
        (InquiryStatus.DRAFT, "close"),
        (InquiryStatus.OPEN, "publish"),
        (InquiryStatus.PUBLISHED, "open"),
        (InquiryStatus.DRAFT, "remind"),
        (InquiryStatus.PUBLISHED, "extend"),
    ],
)
def test_invalid_transition_raises_japanese_error(council, status, action):
    inquiry = make_draft(council)
    Inquiry.objects.filter(pk=inquiry.pk).update(status=status)
    inquiry.refresh_from_db()
    by = council.secretariat
    calls = {
        "approve": lambda: services.inquiry_approve(inquiry=inquiry, by=by),
        "submit_for_review": lambda: services.inquiry_submit_for_review(inquiry=inquiry, by=by),
        "close": lambda: services.inquiry_close(inquiry=inquiry, by=by),
        "publish": lambda: services.inquiry_publish_results(inquiry=inquiry, by=by),
        "open": lambda: services.inquiry_open(inquiry=inquiry, by=by),
        "remind": lambda: services.inquiry_remind(inquiry=inquiry, by=by),
        "extend": lambda: services.inquiry_extend_deadline(
            inquiry=inquiry, by=by, deadline=future(30)
        ),
    }

    with pytest.raises(InquiryError, match="現在の状態"):
        calls[action]()
    inquiry.refresh_from_db()
    assert inquiry.status == status


def test_close_then_publish(council):
    inquiry = make_open(council)

    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    assert inquiry.status == InquiryStatus.CLOSED and inquiry.closed_at
    services.inquiry_publish_results(inquiry=inquiry, by=council.secretariat)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.PUBLISHED and inquiry.published_at


def test_extending_deadline_reopens_and_notifies_targets(council, contacts):
    inquiry = make_open(council)
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    Inquiry.objects.filter(pk=inquiry.pk).update(auto_reminder_sent_at=timezone.now())
    inquiry.refresh_from_db()

    services.inquiry_extend_deadline(inquiry=inquiry, by=council.secretariat, deadline=future(30))

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert inquiry.auto_reminder_sent_at is None
    assert OutboxMessage.objects.filter(
        template="inquiry_deadline_extended", to_email=council.staff.email
    ).exists()


def test_extending_to_an_earlier_deadline_is_refused(council):
    inquiry = make_open(council, deadline=future(20))

    with pytest.raises(InquiryError, match="より後"):
        services.inquiry_extend_deadline(
            inquiry=inquiry, by=council.secretariat, deadline=future(10)
        )


def test_copy_makes_a_draft_with_questions_and_remapped_conditions(council):
    inquiry = make_open(council)

    copy = services.inquiry_copy(inquiry=inquiry, by=council.board)

    assert copy.status == InquiryStatus.DRAFT
    assert copy.requester == council.board_org
    assert copy.copied_from == inquiry
    assert copy.target_spec == {"mode": "all"}
    assert copy.target_description == inquiry.target_description
    original, copied = questions_of(inquiry), questions_of(copy)
    assert [q.text for q in copied] == [q.text for q in original]
    assert copied[1].condition_question == copied[0]
    assert not copy.targets.exists()


def test_deleting_an_open_inquiry_is_refused(council):
    inquiry = make_open(council)

    with pytest.raises(InquiryError):
        services.inquiry_delete(inquiry=inquiry, by=council.secretariat)


# --- targets --------------------------------------------------------------------------------


def test_group_targets_reach_member_organizations(council):
    group = Group.objects.create(name="北海道ブロック", kind="other")
    GroupMember.objects.create(group=group, organization=council.member_org)
    inquiry = make_draft(council)

    services.inquiry_targets_set(
        inquiry=inquiry, by=council.secretariat, spec={"mode": "group", "group_id": group.pk}
    )
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)

    assert list(inquiry.targets.values_list("organization_id", flat=True)) == [
        council.member_org.pk
    ]
    assert inquiry.target_description == "グループ：北海道ブロック"


def test_filter_targets_by_prefecture_and_kind(council):
    inquiry = make_draft(council)

    services.inquiry_targets_set(
        inquiry=inquiry,
        by=council.secretariat,
        spec={"mode": "filter", "prefecture_code": "01", "kind": OrganizationKind.TOWN},
    )
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)

    assert set(inquiry.targets.values_list("organization_id", flat=True)) == {council.member_org.pk}
    assert "北海道" in inquiry.target_description


def test_filter_matching_nobody_is_refused(council):
    inquiry = make_draft(council)

    with pytest.raises(InquiryError, match="当てはまる団体がありません"):
        services.inquiry_targets_set(
            inquiry=inquiry,
            by=council.secretariat,
            spec={"mode": "filter", "prefecture_code": "47"},
        )


# --- questions ------------------------------------------------------------------------------


def test_single_choice_without_choices_is_refused(council):
    inquiry = services.inquiry_create(
        by=council.secretariat, draft=services.InquiryDraft(title="t")
    )

    with pytest.raises(InquiryError, match="選択肢") as error:
        services.question_create(
            inquiry=inquiry,
            by=council.secretariat,
            draft=services.QuestionDraft(kind=QuestionKind.SINGLE, text="どれですか", choices=[]),
        )
    assert error.value.field == "choices"
    assert not inquiry.questions.exists()


def test_condition_value_must_be_a_choice_of_the_controlling_question(council):
    inquiry = make_draft(council)
    q1 = questions_of(inquiry)[0]

    with pytest.raises(InquiryError, match="選択肢"):
        services.question_create(
            inquiry=inquiry,
            by=council.secretariat,
            draft=services.QuestionDraft(
                kind=QuestionKind.LONG_TEXT,
                text="理由",
                condition_question=q1,
                condition_value="たぶん",
            ),
        )


def test_question_codes_are_numbered_in_order(council):
    inquiry = make_draft(council)

    assert [q.code for q in questions_of(inquiry)] == ["Q1", "Q2"]


def test_moving_a_question_above_its_condition_is_refused(council):
    inquiry = make_draft(council)
    q2 = questions_of(inquiry)[1]

    with pytest.raises(InquiryError, match="前に移動できません"):
        services.question_move(question=q2, by=council.secretariat, up=True)


def test_deleting_a_controlling_question_frees_its_dependents(council):
    inquiry = make_draft(council)
    q1, q2 = questions_of(inquiry)

    services.question_delete(question=q1, by=council.secretariat)

    q2.refresh_from_db()
    assert q2.condition_question is None


def test_questions_cannot_change_once_open(council):
    inquiry = make_open(council)

    with pytest.raises(InquiryError, match="開始済み"):
        services.question_create(
            inquiry=inquiry,
            by=council.secretariat,
            draft=services.QuestionDraft(kind=QuestionKind.SHORT_TEXT, text="追加"),
        )


# --- answers --------------------------------------------------------------------------------


def test_first_access_creates_nothing_and_first_save_one_shared_draft(council):
    inquiry = make_open(council)

    first = get_answer_for(council.staff, inquiry.pk)
    assert first.pk is None
    assert not Answer.objects.filter(inquiry=inquiry).exists()
    save_complete(first, council.staff)
    second = get_answer_for(council.representative, inquiry.pk)

    assert first.pk == second.pk
    assert second.status == AnswerStatus.DRAFT
    assert Answer.objects.filter(inquiry=inquiry).count() == 1


def colleague_saved_first(council, inquiry: Inquiry) -> Answer:
    """Open the unsaved answer as the staff member, then let the representative save it first.

    Return the staff member's answer, still at revision 0; the stored one answers Q1 いいえ.
    """
    q1 = questions_of(inquiry)[0]
    mine = get_answer_for(council.staff, inquiry.pk)
    theirs = get_answer_for(council.representative, inquiry.pk)
    services.answer_save(
        answer=theirs, by=council.representative, revision=0, data={str(q1.pk): "いいえ"}
    )
    return mine


def test_two_first_saves_of_one_organization_conflict_rather_than_duplicate(council):
    inquiry = make_open(council)
    q1 = questions_of(inquiry)[0]
    mine = colleague_saved_first(council, inquiry)

    with pytest.raises(AnswerConflictError):
        services.answer_save(answer=mine, by=council.staff, revision=0, data={str(q1.pk): "はい"})

    assert Answer.objects.filter(inquiry=inquiry).count() == 1


def test_save_records_who_saved_and_bumps_revision(council):
    inquiry = make_open(council)
    answer = get_answer_for(council.staff, inquiry.pk)

    save_complete(answer, council.staff)

    answer.refresh_from_db()
    assert answer.revision == 1
    assert answer.updated_by == council.staff
    assert answer.data[str(questions_of(inquiry)[0].pk)] == "はい"


def test_save_based_on_old_revision_is_refused_and_changes_nothing(council):
    inquiry = make_open(council)
    q1 = questions_of(inquiry)[0]
    mine = colleague_saved_first(council, inquiry)

    with pytest.raises(AnswerConflictError) as error:
        services.answer_save(answer=mine, by=council.staff, revision=0, data={str(q1.pk): "はい"})

    assert "他の方（当別 太郎）が" in error.value.message
    assert "最新の内容を確認してから保存し直してください。" in error.value.message
    stored = Answer.objects.get(pk=mine.pk)
    assert stored.data == {str(q1.pk): "いいえ"}
    assert stored.revision == 1


def test_submit_creates_numbered_versions_and_allows_correction(council):
    inquiry = make_open(council)
    answer = get_answer_for(council.staff, inquiry.pk)
    save_complete(answer, council.staff)

    first = services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)
    q2 = questions_of(inquiry)[1]
    corrected = {**complete_data(inquiry), str(q2.pk): "例規集に掲載"}
    services.answer_save(answer=answer, by=council.staff, revision=answer.revision, data=corrected)
    assert answer.status == AnswerStatus.DRAFT
    second = services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)

    assert (first.number, second.number) == (1, 2)
    assert first.data[str(q2.pk)] == "要綱集に掲載"
    assert second.data[str(q2.pk)] == "例規集に掲載"
    assert second.submitted_by == council.staff
    assert answer.status == AnswerStatus.SUBMITTED


def test_submitting_without_required_answers_is_refused(council):
    inquiry = make_open(council)
    answer = get_answer_for(council.staff, inquiry.pk)

    with pytest.raises(AnswerIncompleteError, match="Q1"):
        services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)
    assert not AnswerVersion.objects.filter(answer__inquiry=inquiry).exists()


def test_hidden_conditional_question_is_skipped_and_dropped(council):
    inquiry = make_open(council)
    q1, q2 = questions_of(inquiry)
    answer = get_answer_for(council.staff, inquiry.pk)
    services.answer_save(
        answer=answer,
        by=council.staff,
        revision=0,
        data={str(q1.pk): "いいえ", str(q2.pk): "書きかけ"},
    )

    version = services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)

    assert version.data == {str(q1.pk): "いいえ"}


def test_not_applicable_and_declined_are_answers(council):
    inquiry = make_open(council)
    answer = get_answer_for(council.staff, inquiry.pk)

    with pytest.raises(InquiryError, match="理由"):
        services.answer_save(answer=answer, by=council.staff, revision=0, kind=AnswerKind.DECLINED)
    services.answer_save(
        answer=answer,
        by=council.staff,
        revision=0,
        kind=AnswerKind.DECLINED,
        reason="担当部署が異なるため",
    )
    version = services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)

    assert version.kind == AnswerKind.DECLINED
    assert version.reason == "担当部署が異なるため"
    assert version.data == {}


def test_answer_after_deadline_is_refused(council):
    inquiry = make_open(council)
    answer = get_answer_for(council.staff, inquiry.pk)
    Inquiry.objects.filter(pk=inquiry.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    answer.inquiry.refresh_from_db()

    with pytest.raises(InquiryError, match=r"回答期限.*過ぎた"):
        save_complete(answer, council.staff)
    assert not Answer.objects.filter(inquiry=inquiry).exists()


def test_answer_when_closed_is_refused(council):
    inquiry = make_open(council)
    answer = get_answer_for(council.staff, inquiry.pk)
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    answer.inquiry.refresh_from_db()

    with pytest.raises(InquiryError, match="受付を終了"):
        save_complete(answer, council.staff)


@pytest.fixture
def unconfirmed(council) -> Answer:
    """当別町's complete draft, saved by its staff, of an inquiry that requires 所属長確認."""
    inquiry = make_open(council, requires_confirmation=True)
    return save_complete(get_answer_for(council.staff, inquiry.pk), council.staff)


def test_confirmation_required_staff_cannot_submit_unconfirmed(council, unconfirmed):
    answer = unconfirmed

    with pytest.raises(InquiryError, match="所属長確認が必要"):
        services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)


def test_confirmation_flow_request_confirm_then_staff_submits(council, unconfirmed):
    answer = unconfirmed

    services.answer_request_confirmation(answer=answer, by=council.staff, revision=answer.revision)
    assert answer.status == AnswerStatus.AWAITING_CONFIRMATION
    assert OutboxMessage.objects.filter(
        template="inquiry_confirmation_requested", to_email=council.representative.email
    ).exists()
    with pytest.raises(InquiryError, match="所属長"):
        services.answer_confirm(answer=answer, by=council.staff, revision=answer.revision)
    services.answer_confirm(answer=answer, by=council.representative, revision=answer.revision)
    assert answer.status == AnswerStatus.CONFIRMED
    version = services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)

    assert version.number == 1
    answer.refresh_from_db()
    assert answer.confirmed_by == council.representative


def test_representative_confirms_and_submits_in_one_step(council):
    inquiry = make_open(council, requires_confirmation=True)
    answer = get_answer_for(council.representative, inquiry.pk)
    save_complete(answer, council.representative)

    services.answer_submit(answer=answer, by=council.representative, revision=answer.revision)

    assert answer.status == AnswerStatus.SUBMITTED
    assert answer.confirmed_by == council.representative


def test_editing_a_confirmed_answer_needs_confirmation_again(council, unconfirmed):
    answer, inquiry = unconfirmed, unconfirmed.inquiry
    services.answer_confirm(answer=answer, by=council.representative, revision=answer.revision)

    changed = {**complete_data(inquiry), str(questions_of(inquiry)[1].pk): "例規集に掲載"}
    services.answer_save(answer=answer, by=council.staff, revision=answer.revision, data=changed)

    assert answer.status == AnswerStatus.DRAFT
    assert answer.confirmed_by is None


def test_saving_unchanged_contents_keeps_the_confirmation(council, unconfirmed):
    answer = unconfirmed
    services.answer_confirm(answer=answer, by=council.representative, revision=answer.revision)

    save_complete(answer, council.staff)
    services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)

    assert answer.status == AnswerStatus.SUBMITTED
    assert answer.confirmed_by == council.representative


def test_proxy_entry_is_flagged_and_audited(council):
    inquiry = make_open(council, requires_confirmation=True)
    answer = get_answer_for_proxy(council.secretariat, inquiry.pk, council.other_org.pk)
    save_complete(answer, council.secretariat, proxy=True)

    version = services.answer_submit(
        answer=answer, by=council.secretariat, revision=answer.revision, proxy=True
    )

    assert answer.by_proxy and version.by_proxy
    events = AuditEvent.objects.filter(action=Action.PROXY_ENTRY, target_id=str(answer.pk))
    assert events.count() == 2


def test_answer_file_is_stored_and_kept_for_versions(council):
    inquiry = make_draft(council)
    question = services.question_create(
        inquiry=inquiry,
        by=council.secretariat,
        draft=services.QuestionDraft(
            kind=QuestionKind.FILE, text="規程を添付してください。", required=False
        ),
    )
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    answer = get_answer_for(council.staff, inquiry.pk)
    upload = SimpleUploadedFile("kitei.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.answer_save(
        answer=answer,
        by=council.staff,
        revision=0,
        data=complete_data(inquiry),
        uploads={question.pk: upload},
    )
    stored = answer.data[str(question.pk)]
    assert stored[0]["name"] == "kitei.pdf"
    services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)

    services.answer_save(
        answer=answer,
        by=council.staff,
        revision=answer.revision,
        data=complete_data(inquiry),
        remove_file_ids=[stored[0]["id"]],
    )

    assert str(question.pk) not in answer.data
    # The submitted version still refers to the file, so it stays.
    assert AnswerFile.objects.filter(pk=stored[0]["id"]).exists()


# --- reminders ------------------------------------------------------------------------------


def submit_for(council, inquiry, user):
    answer = get_answer_for(user, inquiry.pk)
    save_complete(answer, user)
    services.answer_submit(answer=answer, by=user, revision=answer.revision)


def test_manual_reminder_goes_only_to_non_submitters(council, contacts):
    inquiry = make_open(council)
    submit_for(council, inquiry, council.staff)
    OutboxMessage.objects.all().delete()

    reminder = services.inquiry_remind(
        inquiry=inquiry, by=council.secretariat, kind=ReminderKind.MANUAL
    )

    assert set(reminder.organizations.values_list("pk", flat=True)) == {
        council.other_org.pk,
        council.board_org.pk,
    }
    recipients = set(OutboxMessage.objects.values_list("to_email", flat=True))
    assert recipients == {council.outsider.email, council.board.email}
    assert reminder.message_count == 2


def test_reminder_to_chosen_organizations_skips_those_who_submitted(council):
    inquiry = make_open(council)
    submit_for(council, inquiry, council.staff)

    reminder = services.inquiry_remind(
        inquiry=inquiry, organizations=[council.member_org, council.other_org], by=council.board
    )

    assert list(reminder.organizations.all()) == [council.other_org]


def deadline_in_business_days(days: int) -> dt.datetime:
    day = add_business_days(timezone.localdate(), days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0)))


def test_automatic_reminder_is_sent_once_and_only_to_non_submitters(council, contacts):
    inquiry = make_open(council, deadline=deadline_in_business_days(2), reminder_business_days=2)
    submit_for(council, inquiry, council.staff)
    OutboxMessage.objects.all().delete()

    first = services.inquiry_reminders_send_due()
    second = services.inquiry_reminders_send_due()

    assert len(first) == 1 and second == []
    assert Reminder.objects.filter(inquiry=inquiry, kind=ReminderKind.AUTOMATIC).count() == 1
    recipients = set(OutboxMessage.objects.values_list("to_email", flat=True))
    assert council.staff.email not in recipients
    assert recipients == {council.outsider.email, council.board.email}
    inquiry.refresh_from_db()
    assert inquiry.auto_reminder_sent_at is not None


def test_automatic_reminder_waits_until_its_day(council):
    make_open(council, deadline=deadline_in_business_days(5), reminder_business_days=2)

    assert services.inquiry_reminders_send_due() == []
    assert not Reminder.objects.exists()


def test_automatic_reminder_is_off_when_not_set(council):
    make_open(council, deadline=deadline_in_business_days(1), reminder_business_days=None)

    assert services.inquiry_reminders_send_due() == []


def test_new_member_user_gets_no_mail_for_other_org(council):
    inquiry = make_open(council)
    newcomer_org = make_organization(
        code="013439", name="福島町", kind=OrganizationKind.TOWN, prefecture_code="01"
    )
    make_user(username="fukushima", name="福島 五郎", role="staff", organization=newcomer_org)

    services.inquiry_remind(inquiry=inquiry, by=council.secretariat)

    assert not OutboxMessage.objects.filter(to_email="fukushima@example.lg.jp").exists()
