"""Writing an inquiry: create, edit, delete a draft, attachments, targets, copying."""

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.audit.models import Action
from renkei.core.files import file_delete_on_commit
from renkei.directory.models import Organization
from renkei.directory.permissions import organization_id_of
from renkei.inquiries.lifecycle import DRAFTING, REQUESTER_EDITABLE
from renkei.inquiries.models import (
    Inquiry,
    InquiryAttachment,
    Question,
    ResultsVisibility,
)
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.selectors.targets import target_description, target_organizations
from renkei.inquiries.services.common import change_record, draft_values, status_require
from renkei.inquiries.services.errors import InquiryError


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


INQUIRY_FIELDS = tuple(f.name for f in fields(InquiryDraft))


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
            **{**draft_values(draft), "title": draft.title.strip()},
            requester=requester,
            created_by=by,
        )
        change_record(Action.CREATED, by=by, target=inquiry, request=request)
    return inquiry


def inquiry_update(
    *,
    inquiry: Inquiry,
    by: User,
    draft: InquiryDraft,
    requester: Organization | None = None,
    request: HttpRequest | None = None,
) -> Inquiry:
    """Change an inquiry's text and settings while it is still being drafted or reviewed."""
    status_require(
        inquiry,
        DRAFTING,
        "この照会は開始済みのため内容を変更できません。",
    )
    if not draft.title.strip():
        raise InquiryError("件名を入力してください。", field="title")
    values = {**draft_values(draft), "title": draft.title.strip()}
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
        change_record(Action.CHANGED, by=by, target=inquiry, request=request, fields=changed)
    return inquiry


def inquiry_delete(*, inquiry: Inquiry, by: User, request: HttpRequest | None = None) -> None:
    """Delete an inquiry that was never opened."""
    status_require(
        inquiry,
        REQUESTER_EDITABLE,
        "削除できるのは下書きと差戻しの照会のみです。",
    )
    with transaction.atomic():
        # Recorded first: once deleted, the instance has no primary key to name.
        change_record(Action.DELETED, by=by, target=inquiry, request=request)
        inquiry.delete()


def inquiry_attachment_add(
    *, inquiry: Inquiry, by: User, file: UploadedFile, request: HttpRequest | None = None
) -> InquiryAttachment:
    """Attach a document to an inquiry (the file is checked by the form beforehand)."""
    status_require(
        inquiry,
        DRAFTING,
        "開始済みの照会には資料を追加できません。",
    )
    with transaction.atomic():
        attachment = InquiryAttachment.objects.create(
            inquiry=inquiry, file=file, name=file.name[:255], size=file.size or 0
        )
        change_record(
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
    status_require(
        attachment.inquiry,
        DRAFTING,
        "開始済みの照会の資料は削除できません。",
    )
    with transaction.atomic():
        change_record(
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
    status_require(
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
        change_record(
            Action.CHANGED,
            by=by,
            target=inquiry,
            request=request,
            fields=["target_spec"],
            targets=inquiry.target_description,
        )
    return inquiry


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
        change_record(
            Action.CREATED,
            by=by,
            target=copy,
            request=request,
            copied_from=inquiry.pk,
            questions=len(copies),
        )
    return copy
