"""Answering: saving, confirming and submitting an answer, its versions, proxies, receipts."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.files import file_delete_on_commit
from renkei.core.links import absolute_url
from renkei.core.question_kinds import hidden_question_ids, kind_of
from renkei.core.wareki import format_datetime
from renkei.directory.selectors import notification_recipients
from renkei.inquiries.answer_rules import answer_data_problems
from renkei.inquiries.mailings import inquiry_context
from renkei.inquiries.models import (
    Answer,
    AnswerFile,
    AnswerKind,
    AnswerLink,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    InquiryStatus,
    Question,
)
from renkei.inquiries.permissions import is_representative_of
from renkei.inquiries.selectors.questions import inquiry_questions, missing_required
from renkei.inquiries.services.answer_links import answer_link_check, answer_link_record
from renkei.inquiries.services.common import change_record, users_mail
from renkei.inquiries.services.errors import (
    AnswerConflictError,
    AnswerIncompleteError,
    AnswerLinkError,
    InquiryError,
)
from renkei.mailer.services import mail_queue


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


# The fields that record who moved an answer to each status, and when.
STATUS_STAMPS = {
    AnswerStatus.AWAITING_CONFIRMATION: ("confirmation_requested_by", "confirmation_requested_at"),
    AnswerStatus.CONFIRMED: ("confirmed_by", "confirmed_at"),
    AnswerStatus.SUBMITTED: ("submitted_by", "submitted_at"),
}


def _answer_advance(
    *,
    answer: Answer,
    status: str,
    by: User | None,
    revision: int,
    proxy: bool = False,
    **changes: Any,
) -> None:
    """Move the answer to `status` if nobody saved since `revision`, stamping who and when."""
    by_field, at_field = STATUS_STAMPS[status]
    changes |= {by_field: by, at_field: timezone.now()}
    _answer_claim(answer=answer, by=by, revision=revision, proxy=proxy, status=status, **changes)


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
    change_record(
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
    with transaction.atomic():
        _answer_advance(
            answer=answer, status=AnswerStatus.AWAITING_CONFIRMATION, by=by, revision=revision
        )
        representatives = User.objects.filter(
            role=Role.REPRESENTATIVE, is_active=True, person__organization_id=answer.organization_id
        )
        users_mail(
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
        _answer_advance(answer=answer, status=AnswerStatus.CONFIRMED, by=by, revision=revision)
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
    with transaction.atomic():
        _answer_advance(
            answer=answer,
            status=AnswerStatus.SUBMITTED,
            by=by,
            revision=revision,
            proxy=proxy,
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
            submitted_at=answer.submitted_at,
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
