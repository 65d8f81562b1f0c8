"""Answer links: an organization's signed link to answer without an account."""

import datetime as dt
from typing import Any

from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.directory.models import Organization
from renkei.inquiries.mailings import (
    ANSWER_LINK_SALT,
    contacts_mail,
)
from renkei.inquiries.models import (
    AnswerLink,
    Inquiry,
    InquiryStatus,
)
from renkei.inquiries.services.common import status_require
from renkei.inquiries.services.errors import AnswerLinkError, InquiryError


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
    status_require(
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
