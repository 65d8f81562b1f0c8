"""Writing inquiries: drafting, review, opening, reminders, answers and their versions.

Lifecycle: DRAFT → (member 調査依頼) REVIEW → approved: OPEN / rejected: REJECTED → REVIEW …;
the secretariat opens its own drafts directly. OPEN → CLOSED → PUBLISHED; a deadline
extension reopens a closed inquiry. Access checks are the caller's (see permissions.py);
these functions enforce the states and the data.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import Capability, has_capability
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.business_days import add_business_days
from renkei.core.errors import ServiceError
from renkei.core.files import file_delete_on_commit
from renkei.core.links import absolute_url
from renkei.core.question_kinds import KINDS, kind_of
from renkei.core.wareki import format_datetime
from renkei.directory.models import Organization
from renkei.directory.permissions import organization_id_of
from renkei.directory.selectors import notification_recipients
from renkei.inquiries.answer_rules import answer_data_problems
from renkei.inquiries.lifecycle import DRAFTING, INQUIRY_WORKFLOW, REQUESTER_EDITABLE
from renkei.inquiries.mailings import (
    ANSWER_LINK_SALT,
    contacts_mail,
    inquiry_context,
    mailing_request,
)
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Answer,
    AnswerFile,
    AnswerKind,
    AnswerLink,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    InquiryAttachment,
    InquiryStatus,
    Question,
    QuestionKind,
    Reminder,
    ReminderKind,
    ResultsVisibility,
    Target,
)
from renkei.inquiries.permissions import is_representative_of
from renkei.inquiries.selectors import (
    hidden_question_ids,
    inquiry_questions,
    missing_required,
    non_submitted_organization_ids,
    target_description,
    target_organizations,
)
from renkei.mailer.services import mail_queue
from renkei.workflow.transitions import TransitionError


class InquiryError(ServiceError):
    """A request the inquiry's state or data does not allow; the message is for the user."""


class AnswerConflictError(InquiryError):
    """Someone saved the answer after the version the user started from."""


class AnswerIncompleteError(InquiryError):
    """Required questions are unanswered."""

    def __init__(self, missing: list[Question]) -> None:
        codes = "、".join(question.code for question in missing)
        super().__init__(f"必須の設問に回答がありません（{codes}）。")
        self.missing = missing


@dataclass(frozen=True)
class InquiryDraft:
    """What an inquiry asks and how: the fields its creation and its edit share."""

    title: str
    purpose: str = ""
    contact: str = ""
    deadline: dt.datetime | None = None
    requires_confirmation: bool = False
    results_visibility: str = ResultsVisibility.ANSWERING
    hide_names: bool = False
    reminder_business_days: int | None = 2


@dataclass(frozen=True)
class QuestionDraft:
    """One question as its author wrote it: kind, text and the settings of its kind.

    `code` empty means the next free 「Q<n>」 for a new question, the current code for an
    edited one. Settings that do not apply to the kind are dropped when it is stored.
    """

    kind: str
    text: str
    code: str = ""
    help_text: str = ""
    required: bool = True
    choices: Sequence[str] = ()
    allow_other: bool = False
    unit: str = ""
    table_rows: Sequence[str] = ()
    table_columns: Sequence[str] = ()
    table_numeric: bool = True
    condition_question: Question | None = None
    condition_value: str = ""


INQUIRY_FIELDS = tuple(f.name for f in fields(InquiryDraft))
# Kinds with choices to set, and kinds whose answer may decide a display condition.
CHOICE_KINDS = tuple(kind for kind, t in KINDS.items() if "choices_text" in t.settings)
CONDITION_KINDS = tuple(kind for kind, t in KINDS.items() if t.choice)


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


def _users_mail(*, users: Iterable[User], template: str, inquiry: Inquiry, **extra: Any) -> int:
    recipients = [(user.get_full_name(), user.email) for user in users if user and user.email]
    if not recipients:
        return 0
    return len(
        mail_queue(
            to=recipients,
            template=template,
            context={**inquiry_context(inquiry), **extra},
            topic=f"inquiry:{inquiry.pk}",
        )
    )


def _require_status(inquiry: Inquiry, allowed: Iterable[str], message: str) -> None:
    if inquiry.status not in allowed:
        raise InquiryError(f"{message}（現在の状態：{InquiryStatus(inquiry.status).label}）")


def _record(
    action: str,
    *,
    by: User | None,
    target: Any,
    request: HttpRequest | None,
    actor_username: str = "",
    **detail: Any,
) -> None:
    """Write the audit row of a change; call it inside the change's transaction."""
    audit_record(
        action=action,
        actor=by,
        actor_username=actor_username,
        target=target,
        request=request,
        detail=detail,
    )


# --- drafting -------------------------------------------------------------------------------


def inquiry_create(
    *,
    by: User,
    draft: InquiryDraft,
    requester: Organization | None = None,
    request: HttpRequest | None = None,
) -> Inquiry:
    """Create a draft inquiry; the requester is the author's organization unless given."""
    if requester is None:
        org_id = organization_id_of(by)
        if org_id is None:
            raise InquiryError("所属団体が登録されていないため照会を作成できません。")
        requester = Organization.objects.get(pk=org_id)
    if not draft.title.strip():
        raise InquiryError("件名を入力してください。", field="title")
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            **{**_draft_values(draft), "title": draft.title.strip()},
            requester=requester,
            created_by=by,
        )
        _record(Action.CREATED, by=by, target=inquiry, request=request)
    return inquiry


def _draft_values(draft: Any) -> dict[str, Any]:
    """Return a draft's fields by name (shallow: model instances stay themselves)."""
    return {f.name: getattr(draft, f.name) for f in fields(draft)}


def inquiry_update(
    *,
    inquiry: Inquiry,
    by: User,
    draft: InquiryDraft,
    requester: Organization | None = None,
    request: HttpRequest | None = None,
) -> Inquiry:
    """Change an inquiry's text and settings while it is still being drafted or reviewed."""
    _require_status(
        inquiry,
        DRAFTING,
        "この照会は開始済みのため内容を変更できません。",
    )
    if not draft.title.strip():
        raise InquiryError("件名を入力してください。", field="title")
    values = {**_draft_values(draft), "title": draft.title.strip()}
    for name, value in values.items():
        setattr(inquiry, name, value)
    if requester is not None:
        inquiry.requester = requester
    with transaction.atomic():
        # Compared with the stored row: a ModelForm has already copied its values to `inquiry`.
        stored = Inquiry.objects.filter(pk=inquiry.pk).values(*INQUIRY_FIELDS, "requester").get()
        changed = [
            name
            for name in (*INQUIRY_FIELDS, "requester")
            if stored[name] != getattr(inquiry, "requester_id" if name == "requester" else name)
        ]
        inquiry.save()
        _record(Action.CHANGED, by=by, target=inquiry, request=request, fields=changed)
    return inquiry


def inquiry_delete(*, inquiry: Inquiry, by: User, request: HttpRequest | None = None) -> None:
    """Delete an inquiry that was never opened."""
    _require_status(
        inquiry,
        REQUESTER_EDITABLE,
        "削除できるのは下書きと差戻しの照会のみです。",
    )
    with transaction.atomic():
        # Recorded first: once deleted, the instance has no primary key to name.
        _record(Action.DELETED, by=by, target=inquiry, request=request)
        inquiry.delete()


def inquiry_attachment_add(
    *, inquiry: Inquiry, by: User, file: UploadedFile, request: HttpRequest | None = None
) -> InquiryAttachment:
    """Attach a document to an inquiry (the file is checked by the form beforehand)."""
    _require_status(
        inquiry,
        DRAFTING,
        "開始済みの照会には資料を追加できません。",
    )
    with transaction.atomic():
        attachment = InquiryAttachment.objects.create(
            inquiry=inquiry, file=file, name=file.name[:255], size=file.size or 0
        )
        _record(
            Action.CREATED,
            by=by,
            target=attachment,
            request=request,
            inquiry=inquiry.pk,
            size=attachment.size,
        )
    return attachment


def inquiry_attachment_delete(
    *, attachment: InquiryAttachment, by: User, request: HttpRequest | None = None
) -> None:
    """Remove a document from an inquiry that has not started."""
    _require_status(
        attachment.inquiry,
        DRAFTING,
        "開始済みの照会の資料は削除できません。",
    )
    with transaction.atomic():
        _record(
            Action.DELETED,
            by=by,
            target=attachment,
            request=request,
            inquiry=attachment.inquiry_id,
        )
        attachment.delete()
        file_delete_on_commit(attachment.file)


def inquiry_targets_set(
    *, inquiry: Inquiry, by: User, spec: dict[str, Any], request: HttpRequest | None = None
) -> Inquiry:
    """Record how the targets are chosen; they are fixed when the inquiry opens."""
    _require_status(
        inquiry,
        DRAFTING,
        "開始済みの照会の照会先は変更できません。",
    )
    if not target_organizations(spec=spec, exclude_id=inquiry.requester_id).exists():
        raise InquiryError("条件に当てはまる団体がありません。照会先を見直してください。")
    inquiry.target_spec = spec
    inquiry.target_description = target_description(spec)[:255]
    with transaction.atomic():
        inquiry.save(update_fields=["target_spec", "target_description", "updated_at"])
        _record(
            Action.CHANGED,
            by=by,
            target=inquiry,
            request=request,
            fields=["target_spec"],
            targets=inquiry.target_description,
        )
    return inquiry


# --- questions ------------------------------------------------------------------------------


def question_validate(
    *, inquiry: Inquiry, draft: QuestionDraft, question: Question | None = None
) -> None:
    """Refuse a question whose settings do not fit its kind."""
    kind = draft.kind
    if kind not in QuestionKind.values:
        raise InquiryError("設問の形式を選んでください。", field="kind")
    if not draft.text.strip():
        raise InquiryError("設問文を入力してください。", field="text")
    choices = list(draft.choices)
    if kind in CHOICE_KINDS:
        if len(choices) + (1 if draft.allow_other else 0) < 2:
            raise InquiryError(
                "選択式の設問には選択肢を2つ以上（1行に1つ）入力してください。", field="choices"
            )
        duplicates = sorted({c for c in choices if choices.count(c) > 1})
        if duplicates:
            raise InquiryError(f"選択肢が重複しています：{'、'.join(duplicates)}", field="choices")
        if draft.allow_other and OTHER_CHOICE in choices:
            raise InquiryError(
                "「その他（自由記述）」を設ける場合は、選択肢に「その他」を入れないでください。",
                field="choices",
            )
    if kind == QuestionKind.TABLE:
        if not draft.table_rows:
            raise InquiryError("表の行を1行に1つ入力してください。", field="table_rows")
        if not draft.table_columns:
            raise InquiryError("表の列を1行に1つ入力してください。", field="table_columns")
        for name, label in (("table_rows", "行"), ("table_columns", "列")):
            items = list(getattr(draft, name))
            duplicates = sorted({item for item in items if items.count(item) > 1})
            if duplicates:
                raise InquiryError(
                    f"表の{label}が重複しています：{'、'.join(duplicates)}", field=name
                )
    controller = draft.condition_question
    if controller is not None:
        if controller.inquiry_id != inquiry.pk:
            raise InquiryError("表示条件の設問が正しくありません。", field="condition_question")
        if question is not None and controller.pk == question.pk:
            raise InquiryError("設問自身を表示条件にはできません。", field="condition_question")
        if question is not None and controller.position >= question.position:
            raise InquiryError(
                "表示条件には、この設問より前の設問を選んでください。", field="condition_question"
            )
        if controller.kind not in CONDITION_KINDS:
            raise InquiryError(
                "表示条件に使えるのは選択式・はい／いいえの設問です。", field="condition_question"
            )
        value = draft.condition_value.strip()
        if value not in controller.options:
            options = "、".join(controller.options)
            raise InquiryError(
                f"表示条件の回答は「{controller.code}」の選択肢（{options}）から選んでください。",
                field="condition_value",
            )


def _question_values(draft: QuestionDraft) -> dict[str, Any]:
    """Return the model fields of a draft, without settings that do not apply to its kind."""
    kind = draft.kind
    if kind not in CHOICE_KINDS:
        draft = replace(draft, choices=(), allow_other=False)
    if kind != QuestionKind.NUMBER:
        draft = replace(draft, unit="")
    if kind != QuestionKind.TABLE:
        draft = replace(draft, table_rows=(), table_columns=())
    if draft.condition_question is None:
        draft = replace(draft, condition_value="")
    values = _draft_values(draft)
    del values["code"]
    for name in ("choices", "table_rows", "table_columns"):
        values[name] = list(values[name])  # stored as JSON lists
    values["condition_value"] = values["condition_value"].strip()
    return values


def _next_code(inquiry: Inquiry) -> str:
    codes = set(inquiry.questions.values_list("code", flat=True))
    number = len(codes) + 1
    while f"Q{number}" in codes:
        number += 1
    return f"Q{number}"


def question_create(
    *, inquiry: Inquiry, by: User, draft: QuestionDraft, request: HttpRequest | None = None
) -> Question:
    """Add a question at the end of the inquiry."""
    _require_status(
        inquiry,
        DRAFTING,
        "開始済みの照会の設問は変更できません。",
    )
    position = (inquiry.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    probe = Question(inquiry=inquiry, position=position)
    question_validate(inquiry=inquiry, draft=draft, question=probe)
    code = draft.code.strip() or _next_code(inquiry)
    if inquiry.questions.filter(code=code).exists():
        raise InquiryError(f"設問番号「{code}」はすでに使われています。", field="code")
    with transaction.atomic():
        question = Question.objects.create(
            inquiry=inquiry, position=position, code=code, **_question_values(draft)
        )
        _record(Action.CREATED, by=by, target=question, request=request, inquiry=inquiry.pk)
    return question


def question_update(
    *, question: Question, by: User, draft: QuestionDraft, request: HttpRequest | None = None
) -> Question:
    """Change a question of an inquiry that has not started."""
    inquiry = question.inquiry
    _require_status(
        inquiry,
        DRAFTING,
        "開始済みの照会の設問は変更できません。",
    )
    question_validate(inquiry=inquiry, draft=draft, question=question)
    code = draft.code.strip() or question.code
    if inquiry.questions.filter(code=code).exclude(pk=question.pk).exists():
        raise InquiryError(f"設問番号「{code}」はすでに使われています。", field="code")
    for name, value in _question_values(draft).items():
        setattr(question, name, value)
    question.code = code
    with transaction.atomic():
        question.save()
        # A dependent whose expected value no longer exists would never be shown.
        cleared = []
        for dependent in question.dependents.all():
            if dependent.condition_value not in question.options:
                dependent.condition_question = None
                dependent.condition_value = ""
                dependent.save(update_fields=["condition_question", "condition_value"])
                cleared.append(dependent.code)
        _record(
            Action.CHANGED,
            by=by,
            target=question,
            request=request,
            inquiry=inquiry.pk,
            conditions_cleared=cleared,
        )
    return question


def question_delete(*, question: Question, by: User, request: HttpRequest | None = None) -> None:
    """Remove a question; questions shown only under it lose their condition."""
    _require_status(
        question.inquiry,
        DRAFTING,
        "開始済みの照会の設問は変更できません。",
    )
    with transaction.atomic():
        _record(
            Action.DELETED, by=by, target=question, request=request, inquiry=question.inquiry_id
        )
        question.dependents.update(condition_question=None, condition_value="")
        question.delete()


def question_move(
    *, question: Question, by: User, up: bool, request: HttpRequest | None = None
) -> None:
    """Swap a question with its neighbour; a condition may not end up below its dependent."""
    inquiry = question.inquiry
    _require_status(
        inquiry,
        DRAFTING,
        "開始済みの照会の設問は変更できません。",
    )
    questions = inquiry_questions(inquiry)
    for number, item in enumerate(questions, start=1):
        item.position = number
    index = next(i for i, item in enumerate(questions) if item.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(questions):
        return
    first, second = sorted((questions[index], questions[other_index]), key=lambda q: q.position)
    if second.condition_question_id == first.pk:
        raise InquiryError(
            f"「{second.code}」は「{first.code}」の回答で表示が決まるため、前に移動できません。"
        )
    questions[index].position, questions[other_index].position = (
        questions[other_index].position,
        questions[index].position,
    )
    with transaction.atomic():
        Question.objects.bulk_update(questions, ["position"])
        _record(
            Action.CHANGED,
            by=by,
            target=question,
            request=request,
            inquiry=inquiry.pk,
            moved="up" if up else "down",
            position=questions[index].position,
        )


# --- lifecycle ------------------------------------------------------------------------------


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
    try:
        INQUIRY_WORKFLOW.check(instance=inquiry, name=name, by=by)
    except TransitionError as error:
        raise InquiryError(error.message) from error


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
    try:
        return INQUIRY_WORKFLOW.apply(
            instance=inquiry,
            name=name,
            by=by,
            changes=changes,
            after=after,
            request=request,
            detail=detail,
        )
    except TransitionError as error:
        raise InquiryError(error.message) from error


def inquiry_submit_for_review(
    *, inquiry: Inquiry, by: User, request: HttpRequest | None = None
) -> Inquiry:
    """Send a member's draft (調査依頼) to the secretariat for review."""
    _transition_check(inquiry, "submit_for_review", by=by)
    _ready_check(inquiry, now=timezone.now())

    def mail(inquiry: Inquiry) -> None:
        secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True).exclude(email="")
        _users_mail(
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
        _users_mail(
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
        _users_mail(
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


def inquiry_copy(*, inquiry: Inquiry, by: User, request: HttpRequest | None = None) -> Inquiry:
    """Copy an inquiry with its questions and target description into a new draft."""
    org_id = organization_id_of(by)
    # The secretariat copies on the asker's behalf; a member copies for its own organization.
    keep_requester = has_capability(by, Capability.MANAGE_INQUIRIES) or org_id is None
    requester_id = inquiry.requester_id if keep_requester else org_id
    with transaction.atomic():
        copy = Inquiry.objects.create(
            title=f"{inquiry.title}（複製）"[:200],
            purpose=inquiry.purpose,
            contact=inquiry.contact if requester_id == inquiry.requester_id else "",
            requester_id=requester_id,
            created_by=by,
            requires_confirmation=inquiry.requires_confirmation,
            results_visibility=inquiry.results_visibility,
            hide_names=inquiry.hide_names,
            reminder_business_days=inquiry.reminder_business_days,
            target_spec=inquiry.target_spec,
            target_description=inquiry.target_description,
            copied_from=inquiry,
        )
        originals = inquiry_questions(inquiry)
        copies = Question.objects.bulk_create(
            [
                Question(
                    inquiry=copy,
                    position=question.position,
                    code=question.code,
                    kind=question.kind,
                    text=question.text,
                    help_text=question.help_text,
                    required=question.required,
                    choices=question.choices,
                    allow_other=question.allow_other,
                    unit=question.unit,
                    table_rows=question.table_rows,
                    table_columns=question.table_columns,
                    table_numeric=question.table_numeric,
                    condition_value=question.condition_value,
                )
                for question in originals
            ]
        )
        # Conditions point at the copies of the questions they pointed at.
        new_by_old = {old.pk: new for old, new in zip(originals, copies, strict=True)}
        remapped = []
        for old, new in zip(originals, copies, strict=True):
            if old.condition_question_id in new_by_old:
                new.condition_question = new_by_old[old.condition_question_id]
                remapped.append(new)
        Question.objects.bulk_update(remapped, ["condition_question"])
        _record(
            Action.CREATED,
            by=by,
            target=copy,
            request=request,
            copied_from=inquiry.pk,
            questions=len(copies),
        )
    return copy


# --- reminders ------------------------------------------------------------------------------


def inquiry_remind(
    *,
    inquiry: Inquiry,
    organizations: Iterable[Organization] | None = None,
    by: User | None = None,
    kind: str = ReminderKind.MANUAL,
    request: HttpRequest | None = None,
) -> Reminder | None:
    """Mail the contacts of target organizations that have not submitted; record it.

    Organizations given that already submitted are left out. Returns None when nobody is
    left to remind.
    """
    _require_status(inquiry, (InquiryStatus.OPEN,), "督促できるのは受付中の照会のみです。")
    waiting = set(non_submitted_organization_ids(inquiry))
    if organizations is not None:
        waiting &= {organization.pk for organization in organizations}
    if not waiting:
        return None
    with transaction.atomic():
        reminder = Reminder.objects.create(inquiry=inquiry, kind=kind, sent_by=by)
        reminder.organizations.set(waiting)
        # The worker fills in the reminder's message count when the mailing is rendered.
        mailing_request(
            inquiry=inquiry,
            organization_ids=waiting,
            template="inquiry_reminder",
            by=by,
            links=True,
            extra={"automatic": kind == ReminderKind.AUTOMATIC},
            reminder=reminder,
        )
        _record(
            Action.REMINDER_SENT,
            by=by,
            # The automatic reminder has no actor; the log says which it was.
            actor_username="" if by is not None else "自動督促",
            target=inquiry,
            request=request,
            reminder=reminder.pk,
            kind=kind,
            organizations=len(waiting),
        )
    reminder.refresh_from_db(fields=["message_count", "mailing"])
    return reminder


def automatic_reminder_day(inquiry: Inquiry) -> dt.date | None:
    """Return the day the automatic reminder is due, N business days before the deadline."""
    if inquiry.deadline is None or inquiry.reminder_business_days is None:
        return None
    deadline_day = timezone.localdate(inquiry.deadline)
    return add_business_days(deadline_day, -inquiry.reminder_business_days)


def inquiry_reminders_send_due(*, now: dt.datetime | None = None) -> list[Reminder]:
    """Send the automatic reminders due today; each inquiry gets at most one.

    Safe to run as often as cron likes: an inquiry is claimed with a conditional update
    before any mail is queued, so two runs at once never both send.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminders = []
    candidates = Inquiry.objects.filter(
        status=InquiryStatus.OPEN,
        auto_reminder_sent_at__isnull=True,
        reminder_business_days__isnull=False,
        deadline__gt=now,
    ).select_related("requester")
    for inquiry in candidates:
        due_day = automatic_reminder_day(inquiry)
        if due_day is None or today < due_day:
            continue
        with transaction.atomic():
            claimed = Inquiry.objects.filter(
                pk=inquiry.pk, auto_reminder_sent_at__isnull=True
            ).update(auto_reminder_sent_at=now)
            if not claimed:
                continue
            inquiry.auto_reminder_sent_at = now
            reminder = inquiry_remind(inquiry=inquiry, kind=ReminderKind.AUTOMATIC)
        if reminder is not None:
            reminders.append(reminder)
    return reminders


# --- answer links ---------------------------------------------------------------------------


class AnswerLinkError(InquiryError):
    """An answer link that is malformed, revoked or past its inquiry's deadline."""


def answer_link_check(link: AnswerLink, *, now: dt.datetime | None = None) -> None:
    """Refuse a revoked link, or one whose inquiry no longer accepts answers."""
    if link.revoked_at is not None:
        raise AnswerLinkError(
            "この回答用リンクは事務局により取り消されました。事務局にお問い合わせください。"
        )
    inquiry = link.inquiry
    now = now or timezone.now()
    if inquiry.status != InquiryStatus.OPEN or (
        inquiry.deadline is not None and now > inquiry.deadline
    ):
        raise AnswerLinkError(
            "この照会は回答の受付を終了したため、回答用リンクは使えません。"
            "期限が延長された場合は、同じリンクがまた使えるようになります。"
        )


def answer_link_find(*, link_id: Any, nonce: Any, now: dt.datetime | None = None) -> AnswerLink:
    """Return the usable answer link with this id and nonce, or raise AnswerLinkError."""
    link = (
        AnswerLink.objects.select_related("inquiry__requester", "organization")
        .filter(pk=link_id if isinstance(link_id, int) else -1)
        .first()
    )
    if link is None or not isinstance(nonce, str) or not constant_time_compare(link.nonce, nonce):
        raise AnswerLinkError(
            "この回答用リンクは正しくありません。メールのリンクをそのまま開いてください。"
        )
    answer_link_check(link, now=now)
    return link


def answer_link_resolve(*, token: str, now: dt.datetime | None = None) -> AnswerLink:
    """Return the usable answer link a token names, or raise AnswerLinkError."""
    try:
        link_id, nonce = signing.loads(token, salt=ANSWER_LINK_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise AnswerLinkError(
            "この回答用リンクは正しくありません。メールのリンクをそのまま開いてください。"
        ) from exc
    return answer_link_find(link_id=link_id, nonce=nonce, now=now)


def answer_link_record(
    *, link: AnswerLink, step: str, respondent: str = "", request: HttpRequest | None = None
) -> None:
    """Write one use of an answer link to the audit log."""
    audit_record(
        action=Action.ANSWER_LINK_USED,
        actor=getattr(request, "user", None),
        actor_username=f"回答用リンク：{respondent}"[:150] if respondent else "回答用リンク",
        target=link,
        request=request,
        detail={
            "inquiry": link.inquiry_id,
            "organization": link.organization_id,
            "link": link.pk,
            "step": step,
            "respondent": respondent,
        },
    )


def answer_link_start(*, link: AnswerLink, respondent: str, request: HttpRequest | None) -> None:
    """Record that someone started answering through a link under the name they gave."""
    if not respondent.strip():
        raise InquiryError("お名前を入力してください。", field="respondent")
    answer_link_check(link)
    with transaction.atomic():
        AnswerLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
        answer_link_record(link=link, step="start", respondent=respondent.strip(), request=request)


def answer_link_revoke(
    *,
    inquiry: Inquiry,
    by: User,
    organization: Organization | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Withdraw the answer links of one organization, or of the whole inquiry."""
    links = AnswerLink.objects.filter(inquiry=inquiry, revoked_at__isnull=True)
    if organization is not None:
        links = links.filter(organization=organization)
    with transaction.atomic():
        count = links.update(revoked_at=timezone.now(), revoked_by=by)
        audit_record(
            action=Action.ANSWER_LINK_REVOKED,
            actor=by,
            target=inquiry,
            request=request,
            detail={
                "organization": organization.pk if organization else "all",
                "count": count,
            },
        )
    return count


def answer_link_reissue(
    *, inquiry: Inquiry, organization: Organization, by: User, request: HttpRequest | None = None
) -> int:
    """Replace an organization's answer link with a new one and mail it; return the mails."""
    _require_status(
        inquiry, (InquiryStatus.OPEN,), "回答用リンクを発行できるのは受付中の照会のみです。"
    )
    if not inquiry.targets.filter(organization=organization).exists():
        raise InquiryError("この団体はこの照会の照会先ではありません。")
    with transaction.atomic():
        AnswerLink.objects.filter(
            inquiry=inquiry, organization=organization, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_by=by)
        link = AnswerLink.objects.create(inquiry=inquiry, organization=organization)
        audit_record(
            action=Action.ANSWER_LINK_ISSUED,
            actor=by,
            target=link,
            request=request,
            detail={"inquiry": inquiry.pk, "organization": organization.pk},
        )
        # One organization: rendered here, so the page can say how many mails went out.
        count = contacts_mail(
            organization_ids=[organization.pk],
            template="inquiry_answer_link",
            inquiry=inquiry,
            links=True,
        )
    return count


# --- answers --------------------------------------------------------------------------------


def answer_accepting_check(inquiry: Inquiry, *, now: dt.datetime | None = None) -> None:
    """Refuse changes to answers once the inquiry is closed or past its deadline."""
    now = now or timezone.now()
    if inquiry.status != InquiryStatus.OPEN:
        raise InquiryError(
            "この照会は回答の受付を終了しているため、回答を保存・提出できません。"
            "（現在の状態：" + InquiryStatus(inquiry.status).label + "）"
        )
    if inquiry.deadline is not None and now > inquiry.deadline:
        raise InquiryError(
            f"回答期限（{format_datetime(inquiry.deadline, weekday=True)}）を過ぎたため、"
            "回答を保存・提出できません。事務局または照会団体にご連絡ください。"
        )


def _conflict(answer: Answer) -> AnswerConflictError:
    answer.refresh_from_db()
    name = answer.updated_by.get_full_name() if answer.updated_by else "不明"
    return AnswerConflictError(
        f"他の方（{name}）が {format_datetime(answer.updated_at)} に保存した内容があります。"
        "最新の内容を確認してから保存し直してください。"
    )


def _answer_start(answer: Answer) -> None:
    """Store the organization's answer row on its first save (a GET never creates it).

    Someone else may have started it meanwhile: the instance then takes the stored row,
    and the revision check of the save that follows reports the conflict.
    """
    stored, created = Answer.objects.get_or_create(
        inquiry_id=answer.inquiry_id, organization_id=answer.organization_id
    )
    answer.pk = stored.pk
    if not created:
        answer.refresh_from_db()


def _answer_claim(
    *, answer: Answer, by: User | None, revision: int, proxy: bool, **changes: Any
) -> None:
    """Apply changes only if nobody saved since `revision`; bump the revision."""
    if answer.pk is None:
        raise InquiryError("回答がまだ保存されていません。内容を入力して保存してください。")
    now = timezone.now()
    updated = Answer.objects.filter(pk=answer.pk, revision=revision).update(
        revision=F("revision") + 1, updated_by=by, updated_at=now, by_proxy=proxy, **changes
    )
    if not updated:
        raise _conflict(answer)
    if answer.revision == revision:
        # The row was as this instance holds it (every change to an answer goes through
        # here and bumps the revision), so apply the same changes rather than read it again.
        answer.revision = revision + 1
        answer.updated_by = by
        answer.updated_at = now
        answer.by_proxy = proxy
        for name, value in changes.items():
            setattr(answer, name, value)
    else:
        answer.refresh_from_db()


def _proxy_record(*, answer: Answer, by: User, request: HttpRequest | None, step: str) -> None:
    audit_record(
        action=Action.PROXY_ENTRY,
        actor=by,
        target=answer,
        request=request,
        detail={
            "inquiry": answer.inquiry_id,
            "organization": answer.organization_id,
            "step": step,
        },
    )


def _files_referenced(answer: Answer) -> set[int]:
    """Return the ids of files some submitted version still refers to."""
    ids: set[int] = set()
    for data in answer.versions.values_list("data", flat=True):
        for value in data.values():
            if isinstance(value, list):
                ids |= {item["id"] for item in value if isinstance(item, dict) and "id" in item}
    return ids


def answer_save(
    *,
    answer: Answer,
    by: User | None,
    revision: int,
    kind: str = AnswerKind.ANSWERED,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    uploads: Mapping[int, UploadedFile] | None = None,
    remove_file_ids: Iterable[int] = (),
    proxy: bool = False,
    request: HttpRequest | None = None,
    questions: list[Question] | None = None,
    link: AnswerLink | None = None,
    respondent: str = "",
) -> Answer:
    """Save the shared draft of an organization's answer, refusing a stale revision.

    `data` holds the values of every question except files (see Answer.data); file
    questions keep their current files unless listed in `remove_file_ids`, and gain the
    uploads. Any change takes the answer back to a draft: a confirmation or submission
    was for the contents as they were. `questions` are the inquiry's questions when the
    caller has read them already (inquiry_questions). An answer saved through an answer
    `link` has no user; the `respondent` named themselves when they opened the link.
    """
    inquiry = answer.inquiry
    answer_accepting_check(inquiry)
    if link is not None:
        _link_fits(link, answer)
    if kind not in AnswerKind.values:
        raise InquiryError("回答区分を選んでください。", field="kind")
    if kind == AnswerKind.DECLINED and not reason.strip():
        raise InquiryError("回答を辞退する理由を入力してください。", field="reason")
    if questions is None:
        questions = inquiry_questions(inquiry)
    file_questions = {q.pk for q in questions if kind_of(q).upload}
    file_keys = {str(pk) for pk in file_questions}
    new_data = {
        key: value
        for key, value in (data or {}).items()
        if key.split("_")[0].isdigit() and int(key.split("_")[0]) not in file_questions
    }
    reason = reason.strip() if kind == AnswerKind.DECLINED else ""
    removed = set(remove_file_ids)
    stored_data = {key: value for key, value in answer.data.items() if key not in file_keys}
    unchanged = (
        kind == answer.kind
        and reason == answer.reason
        and new_data == stored_data
        and not uploads
        and not removed
    )
    # Saving the same contents again keeps a confirmation or submission valid.
    reset = (
        {}
        if unchanged
        else {
            "status": AnswerStatus.DRAFT,
            "confirmed_by": None,
            "confirmed_at": None,
        }
    )
    changes = {"kind": kind, "reason": reason, **reset}

    def files_merge() -> None:
        # The kept files of each file question, then its upload (stored here).
        for question_id in file_questions:
            items = [
                item
                for item in answer.data.get(str(question_id)) or []
                if item.get("id") not in removed
            ]
            upload = (uploads or {}).get(question_id)
            if upload is not None:
                stored = AnswerFile.objects.create(
                    answer=answer,
                    question_id=question_id,
                    file=upload,
                    name=upload.name[:255],
                    size=upload.size or 0,
                    uploaded_by=by,
                )
                items.append({"id": stored.pk, "name": stored.name})
            if items:
                new_data[str(question_id)] = items

    with transaction.atomic():
        if answer.pk is None:
            _answer_start(answer)
        if not uploads and answer.revision == revision:
            # Nothing to store first and the files kept are those this instance holds (it
            # is the revision claimed): the contents go in the claim's single update.
            files_merge()
            _answer_claim(
                answer=answer, by=by, revision=revision, proxy=proxy, data=new_data, **changes
            )
        else:
            _answer_claim(answer=answer, by=by, revision=revision, proxy=proxy, **changes)
            files_merge()
            answer.data = new_data
            answer.save(update_fields=["data"])
        if removed:
            keep = _files_referenced(answer)
            stale_files = AnswerFile.objects.filter(answer=answer, pk__in=removed).exclude(
                pk__in=keep
            )
            for stale in stale_files:
                stale.delete()
                file_delete_on_commit(stale.file)
        # One row per save: the proxy entry's, the answer link's, or the member's own.
        if proxy:
            _proxy_record(answer=answer, by=by, request=request, step="save")
        elif link is not None:
            _link_used(link=link, step="save", respondent=respondent, request=request)
        else:
            _answer_record(Action.ANSWER_SAVED, answer=answer, by=by, request=request)
    return answer


def _answer_record(
    action: str, *, answer: Answer, by: User | None, request: HttpRequest | None, **detail: Any
) -> None:
    _record(
        action,
        by=by,
        target=answer,
        request=request,
        inquiry=answer.inquiry_id,
        organization=answer.organization_id,
        revision=answer.revision,
        **detail,
    )


def _link_fits(link: AnswerLink, answer: Answer) -> None:
    """Refuse an answer link used for another inquiry's or organization's answer."""
    if link.inquiry_id != answer.inquiry_id or link.organization_id != answer.organization_id:
        raise AnswerLinkError("この回答用リンクでは、この回答を変更できません。")
    answer_link_check(link)


def _link_used(
    *, link: AnswerLink, step: str, respondent: str, request: HttpRequest | None
) -> None:
    AnswerLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    answer_link_record(link=link, step=step, respondent=respondent, request=request)


def _complete_check(answer: Answer) -> None:
    if answer.kind != AnswerKind.ANSWERED:
        return
    questions = inquiry_questions(answer.inquiry)
    # The stored data is checked again as the answer form checks it: a draft may have come
    # in by another route (the offline sheet, an import), and what is sent on must fit.
    problems = answer_data_problems(questions=questions, data=answer.data or {})
    if problems:
        raise InquiryError(
            "保存されている回答に、回答画面で受け付けない内容があるため確認・提出できません。"
            "回答画面で修正して保存し直してください（" + "、".join(problems[:10]) + "）。"
        )
    missing = missing_required(questions, answer.data)
    if missing:
        raise AnswerIncompleteError(missing)


def answer_request_confirmation(
    *, answer: Answer, by: User, revision: int, request: HttpRequest | None = None
) -> Answer:
    """Ask the organization's representative to confirm the answer (所属長確認)."""
    answer_accepting_check(answer.inquiry)
    # Asking again while awaiting resends the request to the representative.
    if answer.status not in (AnswerStatus.DRAFT, AnswerStatus.AWAITING_CONFIRMATION):
        raise InquiryError("確認を依頼できるのは作成中の回答のみです。")
    _complete_check(answer)
    now = timezone.now()
    with transaction.atomic():
        _answer_claim(
            answer=answer,
            by=by,
            revision=revision,
            proxy=False,
            status=AnswerStatus.AWAITING_CONFIRMATION,
            confirmation_requested_by=by,
            confirmation_requested_at=now,
        )
        representatives = User.objects.filter(
            role=Role.REPRESENTATIVE, is_active=True, person__organization_id=answer.organization_id
        )
        _users_mail(
            users=representatives,
            template="inquiry_confirmation_requested",
            inquiry=answer.inquiry,
            requested_by=by.get_full_name(),
            url=absolute_url(reverse("inquiries:answer_confirm", args=[answer.inquiry_id])),
        )
        _answer_record(Action.CONFIRMATION_REQUESTED, answer=answer, by=by, request=request)
    return answer


def answer_confirm(
    *, answer: Answer, by: User, revision: int, request: HttpRequest | None = None
) -> Answer:
    """Record the representative's confirmation of the answer as it stands."""
    answer_accepting_check(answer.inquiry)
    if not is_representative_of(by, answer.organization_id):
        raise InquiryError("所属長確認は、その団体の団体管理者（所属長）のみが行えます。")
    if answer.status not in (AnswerStatus.DRAFT, AnswerStatus.AWAITING_CONFIRMATION):
        raise InquiryError("この回答はすでに確認済みまたは提出済みです。")
    _complete_check(answer)
    with transaction.atomic():
        _answer_claim(
            answer=answer,
            by=by,
            revision=revision,
            proxy=False,
            status=AnswerStatus.CONFIRMED,
            confirmed_by=by,
            confirmed_at=timezone.now(),
        )
        _answer_record(Action.ANSWER_CONFIRMED, answer=answer, by=by, request=request)
    return answer


def answer_submit(
    *,
    answer: Answer,
    by: User | None,
    revision: int,
    proxy: bool = False,
    request: HttpRequest | None = None,
    link: AnswerLink | None = None,
    respondent: str = "",
    head_confirmed: bool = False,
) -> AnswerVersion:
    """Submit the answer as a new version; the representative confirms on the way if needed.

    When the inquiry requires confirmation, staff can submit only a confirmed answer; the
    representative's own submission confirms it too. The secretariat's proxy entry is taken
    as the organization's confirmed answer (it was given to the secretariat as final).
    Through an answer `link` (no account), an inquiry that requires confirmation takes the
    respondent's statement that the head of section confirmed it (`head_confirmed`).
    A receipt goes to the organization's notification addresses and the submitter.
    """
    inquiry = answer.inquiry
    answer_accepting_check(inquiry)
    if link is not None:
        _link_fits(link, answer)
    if answer.status == AnswerStatus.SUBMITTED:
        raise InquiryError(
            "この回答はすでに提出済みです。修正する場合は内容を変更して保存してください。"
        )
    _complete_check(answer)
    is_representative = by is not None and is_representative_of(by, answer.organization_id)
    confirmed: dict[str, Any] = {}
    if inquiry.requires_confirmation and answer.status != AnswerStatus.CONFIRMED and not proxy:
        if link is not None:
            if not head_confirmed:
                raise InquiryError(
                    "この照会は所属長確認が必要です。所属長の確認を得てから、"
                    "「所属長の確認を得ました」に印を付けて提出してください。",
                    field="head_confirmed",
                )
            confirmed = {"confirmed_by": None, "confirmed_at": timezone.now()}
        elif not is_representative:
            raise InquiryError(
                "この照会は所属長確認が必要です。「所属長に確認を依頼」してから提出してください。"
            )
        confirmed = {"confirmed_by": by, "confirmed_at": timezone.now()}
    now = timezone.now()
    with transaction.atomic():
        _answer_claim(
            answer=answer,
            by=by,
            revision=revision,
            proxy=proxy,
            status=AnswerStatus.SUBMITTED,
            submitted_by=by,
            submitted_at=now,
            **confirmed,
        )
        hidden = hidden_question_ids(inquiry_questions(inquiry), answer.data)
        snapshot = (
            {
                key: value
                for key, value in answer.data.items()
                if int(key.split("_")[0]) not in hidden
            }
            if answer.kind == AnswerKind.ANSWERED
            else {}
        )
        number = (answer.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = AnswerVersion.objects.create(
            answer=answer,
            number=number,
            kind=answer.kind,
            reason=answer.reason,
            data=snapshot,
            submitted_by=by,
            submitted_at=now,
            by_proxy=proxy,
        )
        if proxy:
            _proxy_record(answer=answer, by=by, request=request, step=f"submit v{number}")
        elif link is not None:
            _link_used(link=link, step=f"submit v{number}", respondent=respondent, request=request)
        else:
            _answer_record(
                Action.ANSWER_SUBMITTED, answer=answer, by=by, request=request, version=number
            )
        _receipt_mail(answer=answer, version=version, by=by, respondent=respondent, proxy=proxy)
    return version


def _receipt_mail(
    *, answer: Answer, version: AnswerVersion, by: User | None, respondent: str, proxy: bool
) -> int:
    """Confirm a submission to the organization's notification addresses and the submitter."""
    to: list[tuple[str, str]] = [
        (r.name, r.email)
        for r in notification_recipients(organization_ids=[answer.organization_id])
    ]
    if by is not None and by.email and not proxy:
        to.append((by.get_full_name(), by.email))
    if not to:
        return 0
    if proxy:
        submitter = "事務局（代理入力）"
    elif by is not None:
        submitter = by.get_full_name()
    else:
        submitter = f"{respondent}（回答用リンク）" if respondent else "回答用リンク"
    return len(
        mail_queue(
            to=to,
            template="inquiry_answer_received",
            context={
                **inquiry_context(answer.inquiry),
                "organization": answer.organization.name,
                "version": version.number,
                "kind": AnswerKind(version.kind).label,
                "submitted_at": format_datetime(version.submitted_at, weekday=True),
                "submitter": submitter,
                "answer_url": absolute_url(reverse("inquiries:answer", args=[answer.inquiry_id])),
            },
            topic=f"inquiry:{answer.inquiry_id}",
        )
    )
