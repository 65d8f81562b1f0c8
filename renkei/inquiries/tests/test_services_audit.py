"""Every inquiry service that changes something writes its audit row in the same transaction.

Each case below runs one service as one user and checks the row it leaves (action, actor,
record); runs the refused version of the same call and checks that neither the data nor the
log changed; and runs the successful call inside a transaction that is then rolled back, to
show that the audit row is written in the change's transaction and goes with it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, models, transaction
from django.test import RequestFactory
from django.utils import timezone

from renkei.accounts.models import User
from renkei.audit.models import Action, AuditEvent
from renkei.core.errors import ServiceError
from renkei.inquiries import services
from renkei.inquiries.models import (
    Answer,
    AnswerLink,
    AnswerVersion,
    Inquiry,
    InquiryAttachment,
    Question,
    QuestionKind,
    Reminder,
)
from renkei.inquiries.permissions import get_answer_for, get_answer_for_proxy
from renkei.inquiries.services.authoring import InquiryDraft
from renkei.inquiries.services.questions import QuestionDraft
from renkei.inquiries.tests.builders import make_draft, make_open
from renkei.testing import Council, audit_insert_fails

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    """The records a case works on: a draft and an open inquiry of the secretariat."""

    council: Council
    draft: Inquiry
    opened: Inquiry

    def question(self, inquiry: Inquiry, number: int) -> Question:
        return inquiry.questions.order_by("position")[number - 1]

    def complete(self, inquiry: Inquiry) -> dict[str, str]:
        return {str(self.question(inquiry, 1).pk): "いいえ"}

    def saved(self, by: User | None = None) -> Answer:
        """Return 当別町's answer to the open inquiry, saved complete by its staff."""
        answer = get_answer_for(self.council.staff, self.opened.pk)
        return services.answer_save(
            answer=answer,
            by=by or self.council.staff,
            revision=answer.revision,
            data=self.complete(self.opened),
        )


@pytest.fixture
def world(council: Council, media_root) -> World:
    draft = make_draft(council)
    opened = make_open(council, title="庁内ネットワークの分離について")
    return World(council=council, draft=draft, opened=opened)


Call = Callable[[Any], models.Model]  # the service call: request → the record it changed
Refusal = Callable[[], Any]  # a call the service refuses


def _pdf(name: str = "shiryo.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _attachment(inquiry: Inquiry) -> InquiryAttachment:
    return InquiryAttachment.objects.create(inquiry=inquiry, file=_pdf(), name="shiryo.pdf", size=1)


def _as_it_was(instance: models.Model, delete: Callable[[], Any]) -> models.Model:
    """Run `delete` and return the instance with the primary key it had."""
    pk = instance.pk
    delete()
    instance.pk = pk
    return instance


def _requiring_confirmation(w: World) -> Answer:
    w.opened.requires_confirmation = True
    w.opened.save(update_fields=["requires_confirmation"])
    return w.saved()


# Each case prepares what it needs, then returns the call; the refusal likewise.


def inquiry_create(w: World) -> Call:
    by = w.council.secretariat
    return lambda r: services.inquiry_create(
        by=by, draft=InquiryDraft(title="端末の更新時期"), request=r
    )


def inquiry_create_refused(w: World) -> Refusal:
    return lambda: services.inquiry_create(by=w.council.secretariat, draft=InquiryDraft(title=" "))


def inquiry_update(w: World) -> Call:
    draft = InquiryDraft(title="情報セキュリティポリシーの公表について")
    return lambda r: services.inquiry_update(
        inquiry=w.draft, by=w.council.secretariat, draft=draft, request=r
    )


def inquiry_update_refused(w: World) -> Refusal:
    return lambda: services.inquiry_update(
        inquiry=w.opened, by=w.council.secretariat, draft=InquiryDraft(title="変更")
    )


def inquiry_delete(w: World) -> Call:
    return lambda r: _as_it_was(
        w.draft,
        lambda: services.inquiry_delete(inquiry=w.draft, by=w.council.secretariat, request=r),
    )


def inquiry_delete_refused(w: World) -> Refusal:
    return lambda: services.inquiry_delete(inquiry=w.opened, by=w.council.secretariat)


def inquiry_attachment_add(w: World) -> Call:
    return lambda r: services.inquiry_attachment_add(
        inquiry=w.draft, by=w.council.secretariat, file=_pdf(), request=r
    )


def inquiry_attachment_add_refused(w: World) -> Refusal:
    return lambda: services.inquiry_attachment_add(
        inquiry=w.opened, by=w.council.secretariat, file=_pdf()
    )


def inquiry_attachment_delete(w: World) -> Call:
    attachment = _attachment(w.draft)
    return lambda r: _as_it_was(
        attachment,
        lambda: services.inquiry_attachment_delete(
            attachment=attachment, by=w.council.secretariat, request=r
        ),
    )


def inquiry_attachment_delete_refused(w: World) -> Refusal:
    attachment = _attachment(w.opened)
    return lambda: services.inquiry_attachment_delete(
        attachment=attachment, by=w.council.secretariat
    )


def inquiry_targets_set(w: World) -> Call:
    spec = {"mode": "pick", "organization_ids": [w.council.member_org.pk]}
    return lambda r: services.inquiry_targets_set(
        inquiry=w.draft, by=w.council.secretariat, spec=spec, request=r
    )


def inquiry_targets_set_refused(w: World) -> Refusal:
    spec = {"mode": "pick", "organization_ids": []}
    return lambda: services.inquiry_targets_set(
        inquiry=w.draft, by=w.council.secretariat, spec=spec
    )


def question_create(w: World) -> Call:
    draft = QuestionDraft(kind=QuestionKind.NUMBER, text="職員数", unit="人")
    return lambda r: services.question_create(
        inquiry=w.draft, by=w.council.secretariat, draft=draft, request=r
    )


def question_create_refused(w: World) -> Refusal:
    draft = QuestionDraft(kind=QuestionKind.NUMBER, text="職員数", code="Q1")  # Q1 is taken
    return lambda: services.question_create(inquiry=w.draft, by=w.council.secretariat, draft=draft)


def question_update(w: World) -> Call:
    question = w.question(w.draft, 1)
    draft = QuestionDraft(kind=QuestionKind.YES_NO, text="ポリシーを公開していますか。")
    return lambda r: services.question_update(
        question=question, by=w.council.secretariat, draft=draft, request=r
    )


def question_update_refused(w: World) -> Refusal:
    question = w.question(w.draft, 2)
    draft = QuestionDraft(kind=QuestionKind.SHORT_TEXT, text="場所", code="Q1")  # Q1 is taken
    return lambda: services.question_update(
        question=question, by=w.council.secretariat, draft=draft
    )


def question_delete(w: World) -> Call:
    question = w.question(w.draft, 2)
    return lambda r: _as_it_was(
        question,
        lambda: services.question_delete(question=question, by=w.council.secretariat, request=r),
    )


def question_delete_refused(w: World) -> Refusal:
    question = w.question(w.opened, 2)
    return lambda: services.question_delete(question=question, by=w.council.secretariat)


def question_move(w: World) -> Call:
    third = services.question_create(
        inquiry=w.draft,
        by=w.council.secretariat,
        draft=QuestionDraft(kind=QuestionKind.LONG_TEXT, text="ご意見"),
    )

    def move(r: Any) -> Question:
        services.question_move(question=third, by=w.council.secretariat, up=True, request=r)
        return third

    return move


def question_move_refused(w: World) -> Refusal:
    # The conditional question may not move above the question it depends on.
    question = w.question(w.draft, 2)
    return lambda: services.question_move(question=question, by=w.council.secretariat, up=True)


def inquiry_copy(w: World) -> Call:
    return lambda r: services.inquiry_copy(inquiry=w.opened, by=w.council.secretariat, request=r)


def inquiry_remind(w: World) -> Call:
    def remind(r: Any) -> Inquiry:
        services.inquiry_remind(inquiry=w.opened, by=w.council.secretariat, request=r)
        return w.opened

    return remind


def inquiry_remind_refused(w: World) -> Refusal:
    return lambda: services.inquiry_remind(inquiry=w.draft, by=w.council.secretariat)


def answer_save(w: World) -> Call:
    answer = get_answer_for(w.council.staff, w.opened.pk)
    data = w.complete(w.opened)
    return lambda r: services.answer_save(
        answer=answer, by=w.council.staff, revision=0, data=data, request=r
    )


def answer_save_refused(w: World) -> Refusal:
    answer = w.saved()  # revision 1: a save from revision 0 is stale
    return lambda: services.answer_save(answer=answer, by=w.council.staff, revision=0, data={})


def answer_save_by_proxy(w: World) -> Call:
    secretariat = w.council.secretariat
    answer = get_answer_for_proxy(secretariat, w.opened.pk, w.council.member_org.pk)
    data = w.complete(w.opened)
    return lambda r: services.answer_save(
        answer=answer, by=secretariat, revision=0, data=data, proxy=True, request=r
    )


def answer_save_by_proxy_refused(w: World) -> Refusal:
    answer = w.saved()
    return lambda: services.answer_save(
        answer=answer, by=w.council.secretariat, revision=0, data={}, proxy=True
    )


def answer_request_confirmation(w: World) -> Call:
    answer = _requiring_confirmation(w)
    return lambda r: services.answer_request_confirmation(
        answer=answer, by=w.council.staff, revision=answer.revision, request=r
    )


def answer_request_confirmation_refused(w: World) -> Refusal:
    answer = get_answer_for(w.council.staff, w.opened.pk)
    services.answer_save(answer=answer, by=w.council.staff, revision=0, data={})
    # The required question is unanswered.
    return lambda: services.answer_request_confirmation(
        answer=answer, by=w.council.staff, revision=answer.revision
    )


def answer_confirm(w: World) -> Call:
    answer = _requiring_confirmation(w)
    return lambda r: services.answer_confirm(
        answer=answer, by=w.council.representative, revision=answer.revision, request=r
    )


def answer_confirm_refused(w: World) -> Refusal:
    answer = _requiring_confirmation(w)
    # Only the organization's representative confirms.
    return lambda: services.answer_confirm(
        answer=answer, by=w.council.staff, revision=answer.revision
    )


def answer_submit(w: World) -> Call:
    answer = w.saved()

    def submit(r: Any) -> Answer:
        services.answer_submit(answer=answer, by=w.council.staff, revision=1, request=r)
        return answer

    return submit


def answer_submit_refused(w: World) -> Refusal:
    answer = _requiring_confirmation(w)
    # Staff submit only a confirmed answer when the inquiry requires confirmation.
    return lambda: services.answer_submit(
        answer=answer, by=w.council.staff, revision=answer.revision
    )


def answer_submit_by_proxy(w: World) -> Call:
    answer = w.saved(by=w.council.secretariat)

    def submit(r: Any) -> Answer:
        services.answer_submit(
            answer=answer, by=w.council.secretariat, revision=1, proxy=True, request=r
        )
        return answer

    return submit


def answer_submit_by_proxy_refused(w: World) -> Refusal:
    answer = w.saved(by=w.council.secretariat)
    return lambda: services.answer_submit(
        answer=answer, by=w.council.secretariat, revision=0, proxy=True
    )


def answer_link_revoke(w: World) -> Call:
    AnswerLink.objects.create(inquiry=w.opened, organization=w.council.member_org)

    def revoke(r: Any) -> Inquiry:
        services.answer_link_revoke(
            inquiry=w.opened, by=w.council.secretariat, organization=w.council.member_org, request=r
        )
        return w.opened

    return revoke


def answer_link_reissue(w: World) -> Call:
    def reissue(r: Any) -> AnswerLink:
        services.answer_link_reissue(
            inquiry=w.opened, organization=w.council.member_org, by=w.council.secretariat, request=r
        )
        return AnswerLink.objects.get(inquiry=w.opened, revoked_at__isnull=True)

    return reissue


def answer_link_reissue_refused(w: World) -> Refusal:
    # The requesting secretariat is not a target of its own inquiry.
    return lambda: services.answer_link_reissue(
        inquiry=w.opened, organization=w.council.secretariat_org, by=w.council.secretariat
    )


@dataclass(frozen=True)
class Case:
    """One service: the row it writes, who did it, how to call it and a call it refuses."""

    action: str
    actor: str  # the Council attribute of the user who calls it
    act: Callable[[World], Call]
    refuse: Callable[[World], Refusal] | None


CASES: dict[str, Case] = {
    "inquiry_create": Case(Action.CREATED, "secretariat", inquiry_create, inquiry_create_refused),
    "inquiry_update": Case(Action.CHANGED, "secretariat", inquiry_update, inquiry_update_refused),
    "inquiry_delete": Case(Action.DELETED, "secretariat", inquiry_delete, inquiry_delete_refused),
    "inquiry_attachment_add": Case(
        Action.CREATED, "secretariat", inquiry_attachment_add, inquiry_attachment_add_refused
    ),
    "inquiry_attachment_delete": Case(
        Action.DELETED, "secretariat", inquiry_attachment_delete, inquiry_attachment_delete_refused
    ),
    "inquiry_targets_set": Case(
        Action.CHANGED, "secretariat", inquiry_targets_set, inquiry_targets_set_refused
    ),
    "question_create": Case(
        Action.CREATED, "secretariat", question_create, question_create_refused
    ),
    "question_update": Case(
        Action.CHANGED, "secretariat", question_update, question_update_refused
    ),
    "question_delete": Case(
        Action.DELETED, "secretariat", question_delete, question_delete_refused
    ),
    "question_move": Case(Action.CHANGED, "secretariat", question_move, question_move_refused),
    "inquiry_copy": Case(Action.CREATED, "secretariat", inquiry_copy, None),
    "inquiry_remind": Case(
        Action.REMINDER_SENT, "secretariat", inquiry_remind, inquiry_remind_refused
    ),
    "answer_save": Case(Action.ANSWER_SAVED, "staff", answer_save, answer_save_refused),
    "answer_save_by_proxy": Case(
        Action.PROXY_ENTRY, "secretariat", answer_save_by_proxy, answer_save_by_proxy_refused
    ),
    "answer_request_confirmation": Case(
        Action.CONFIRMATION_REQUESTED,
        "staff",
        answer_request_confirmation,
        answer_request_confirmation_refused,
    ),
    "answer_confirm": Case(
        Action.ANSWER_CONFIRMED, "representative", answer_confirm, answer_confirm_refused
    ),
    "answer_submit": Case(Action.ANSWER_SUBMITTED, "staff", answer_submit, answer_submit_refused),
    "answer_submit_by_proxy": Case(
        Action.PROXY_ENTRY, "secretariat", answer_submit_by_proxy, answer_submit_by_proxy_refused
    ),
    "answer_link_revoke": Case(Action.ANSWER_LINK_REVOKED, "secretariat", answer_link_revoke, None),
    "answer_link_reissue": Case(
        Action.ANSWER_LINK_ISSUED, "secretariat", answer_link_reissue, answer_link_reissue_refused
    ),
}
REFUSED = [name for name, case in CASES.items() if case.refuse is not None]


def _state() -> tuple:
    """Return everything the services above may change, to compare before and after."""
    return (
        list(Inquiry.objects.values().order_by("pk")),
        list(Question.objects.values().order_by("pk")),
        list(InquiryAttachment.objects.values().order_by("pk")),
        list(Answer.objects.values().order_by("pk")),
        list(AnswerVersion.objects.values().order_by("pk")),
        list(AnswerLink.objects.values().order_by("pk")),
        Reminder.objects.count(),
        AuditEvent.objects.count(),
    )


def _request() -> Any:
    return RequestFactory().post("/", REMOTE_ADDR="192.0.2.44")


@pytest.mark.parametrize("name", CASES)
def test_service_records_who_changed_which_record(world, name):
    case = CASES[name]
    call = case.act(world)
    before = AuditEvent.objects.count()

    record = call(_request())

    events = list(AuditEvent.objects.order_by("pk"))[before:]
    assert [event.action for event in events] == [case.action]
    event = events[0]
    assert event.actor == getattr(world.council, case.actor)
    assert (event.target_type, event.target_id) == (record._meta.label_lower, str(record.pk))
    assert event.ip_address == "192.0.2.44"


@pytest.mark.parametrize("name", REFUSED)
def test_refused_change_changes_nothing_and_writes_no_audit_row(world, name):
    refused = CASES[name].refuse(world)
    before = _state()

    with pytest.raises(ServiceError):
        refused()

    assert _state() == before


class RolledBack(Exception):
    """Raised to undo the surrounding transaction."""


@pytest.mark.parametrize("name", CASES)
def test_rolled_back_change_takes_its_audit_row_with_it(world, name):
    call = CASES[name].act(world)
    before = _state()

    with pytest.raises(RolledBack), transaction.atomic():
        call(None)
        assert AuditEvent.objects.count() > before[-1]
        raise RolledBack

    assert _state() == before


@pytest.mark.parametrize("name", CASES)
def test_change_whose_audit_row_cannot_be_written_does_not_happen(world, name):
    call = CASES[name].act(world)
    before = _state()

    with pytest.raises(DatabaseError), connection.execute_wrapper(audit_insert_fails):
        call(None)

    assert _state() == before


@pytest.mark.parametrize(
    "step",
    [
        lambda w: services.inquiry_open(inquiry=w.draft, by=w.council.secretariat),
        lambda w: services.inquiry_close(inquiry=w.opened, by=w.council.secretariat),
        lambda w: services.inquiry_extend_deadline(
            inquiry=w.opened,
            by=w.council.secretariat,
            deadline=timezone.now() + dt.timedelta(days=30),
        ),
    ],
    ids=["open", "close", "extend"],
)
def test_status_change_is_recorded_once_by_the_workflow(world, step):
    before = AuditEvent.objects.count()

    step(world)

    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))[before:] == [
        Action.STATUS_CHANGED
    ]


def test_deadline_extension_records_the_old_and_new_deadline(world):
    old = world.opened.deadline
    new = timezone.now() + dt.timedelta(days=30)

    services.inquiry_extend_deadline(
        inquiry=world.opened, by=world.council.secretariat, deadline=new
    )

    event = AuditEvent.objects.latest("pk")
    assert event.detail["transition"] == "extend"
    assert (event.detail["deadline_before"], event.detail["deadline"]) == (
        old.isoformat(),
        new.isoformat(),
    )


def test_inquiry_update_records_the_fields_that_changed(world):
    services.inquiry_update(
        inquiry=world.draft,
        by=world.council.secretariat,
        draft=InquiryDraft(
            title="情報セキュリティポリシーの公表について",
            purpose=world.draft.purpose,
            deadline=world.draft.deadline,
            hide_names=True,
        ),
    )

    assert AuditEvent.objects.latest("pk").detail["fields"] == ["title", "hide_names"]


def test_automatic_reminder_is_recorded_without_an_actor(world):
    world.opened.deadline = timezone.now() + dt.timedelta(hours=1)
    world.opened.save(update_fields=["deadline"])

    services.inquiry_reminders_send_due()

    event = AuditEvent.objects.get(action=Action.REMINDER_SENT)
    assert (event.actor, event.actor_username) == (None, "自動督促")
    assert event.detail["kind"] == "automatic"


def test_answer_saved_through_a_link_is_recorded_once_as_the_links_use(world):
    link = AnswerLink.objects.create(inquiry=world.opened, organization=world.council.member_org)
    answer = Answer(inquiry=world.opened, organization=world.council.member_org)
    before = AuditEvent.objects.count()

    services.answer_save(
        answer=answer,
        by=None,
        revision=0,
        data=world.complete(world.opened),
        link=link,
        respondent="当別 花子",
    )

    events = list(AuditEvent.objects.order_by("pk"))[before:]
    assert [(e.action, e.actor_username) for e in events] == [
        (Action.ANSWER_LINK_USED, "回答用リンク：当別 花子")
    ]
