"""Who may see, manage and answer which inquiry: fetch and check in one call.

Rules (the table tests in `tests/test_permissions.py` pin them down):

- The secretariat sees and manages everything.
- The requesting organization's members (staff, representative, board) see their inquiry
  from the first draft, and manage it while it is a draft or sent back (差戻し).
- Target organizations' members see the inquiry once it is open, and their own answer.
- Everyone else sees an inquiry only when its results are published and visible to them:
  ANSWERING = organizations that submitted an answer other than 回答辞退 (declining does
  not earn a look at the others' answers), MEMBERS = every member organization's people and
  also observers (their role reads what is public to members), NOBODY_ELSE = nobody else.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.directory.models import Organization
from renkei.directory.permissions import organization_id_of
from renkei.inquiries.lifecycle import DRAFTING, REQUESTER_EDITABLE, STARTED
from renkei.inquiries.models import (
    Answer,
    AnswerFile,
    AnswerKind,
    AnswerLink,
    Inquiry,
    InquiryAttachment,
    InquiryStatus,
    Question,
    ResultsVisibility,
    Target,
)

NOT_YOURS = "この照会を閲覧する権限がありません。"


def _inquiry_get(pk: int, *, related: bool = True) -> Inquiry:
    """Return the inquiry with its requester and author (`related=False`: without them)."""
    inquiries = (
        Inquiry.objects.select_related("requester", "created_by") if related else Inquiry.objects
    )
    try:
        return inquiries.get(pk=pk)
    except (Inquiry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("照会が見つかりません。") from exc


def _member_org_id(user: User) -> int | None:
    """Return the user's organization id if the user acts for a member organization."""
    if not has_capability(user, Capability.ANSWER_INQUIRIES):
        return None
    return organization_id_of(user)


def is_requester(user: User, inquiry: Inquiry) -> bool:
    """Tell whether the user works for the organization that asks."""
    org_id = _member_org_id(user)
    return org_id is not None and org_id == inquiry.requester_id


def is_target(user: User, inquiry: Inquiry) -> bool:
    """Tell whether the user's organization is asked to answer (once the inquiry is open)."""
    org_id = _member_org_id(user)
    if org_id is None or inquiry.status not in STARTED:
        return False
    return Target.objects.filter(inquiry=inquiry, organization_id=org_id).exists()


def _submitted_answer_exists(*, inquiry: Inquiry, org_id: int) -> bool:
    return (
        Answer.objects.filter(inquiry=inquiry, organization_id=org_id, submitted_at__isnull=False)
        .exclude(kind=AnswerKind.DECLINED)
        .exists()
    )


def can_view_results(user: User, inquiry: Inquiry) -> bool:
    """Tell whether the user may see the answers of all organizations."""
    if not user.is_authenticated or not user.is_active:
        return False
    if has_capability(user, Capability.MANAGE_INQUIRIES) or is_requester(user, inquiry):
        return True
    if inquiry.status != InquiryStatus.PUBLISHED:
        return False
    if inquiry.results_visibility == ResultsVisibility.MEMBERS:
        return has_capability(user, Capability.VIEW_MEMBER_RESULTS)
    if inquiry.results_visibility == ResultsVisibility.MEMBERS_ONLY:
        return has_capability(user, Capability.ANSWER_INQUIRIES)
    if inquiry.results_visibility == ResultsVisibility.ANSWERING:
        org_id = _member_org_id(user)
        return org_id is not None and _submitted_answer_exists(inquiry=inquiry, org_id=org_id)
    return False


def results_visible_filter(user: User) -> Q:
    """Return the condition on Inquiry that matches can_view_results, for list pages.

    The published inquiries' visibilities are one condition under one status test, so a
    page that combines it (the 新着情報) builds and compiles as few lookups as the rule needs.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if has_capability(user, Capability.MANAGE_INQUIRIES):
        return Q()
    org_id = _member_org_id(user)
    visibilities = []
    condition = Q()
    if org_id is not None:
        answered = Answer.objects.filter(
            organization_id=org_id, submitted_at__isnull=False
        ).exclude(kind=AnswerKind.DECLINED)
        condition = Q(
            results_visibility=ResultsVisibility.ANSWERING, pk__in=answered.values("inquiry_id")
        )
        if has_capability(user, Capability.ANSWER_INQUIRIES):
            visibilities.append(ResultsVisibility.MEMBERS_ONLY)
    if has_capability(user, Capability.VIEW_MEMBER_RESULTS):
        visibilities.append(ResultsVisibility.MEMBERS)
    if visibilities:
        condition |= Q(results_visibility__in=visibilities)
    if not condition:
        return Q(pk__in=[])
    condition = Q(status=InquiryStatus.PUBLISHED) & condition
    if org_id is not None:
        condition |= Q(requester_id=org_id)
    return condition


def visible_inquiries_filter(user: User) -> Q:
    """Return the condition on Inquiry that matches get_inquiry_for, for list pages."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if has_capability(user, Capability.MANAGE_INQUIRIES):
        return Q()
    condition = results_visible_filter(user)
    org_id = _member_org_id(user)
    if org_id is not None:
        targeted = Target.objects.filter(organization_id=org_id).values("inquiry_id")
        condition |= Q(status__in=STARTED, pk__in=targeted)
    return condition


def can_view(user: User, inquiry: Inquiry, *, targeted: bool | None = None) -> bool:
    """Tell whether the user may see the inquiry at all.

    `targeted` is is_target(user, inquiry) when the caller knows it already (one query less).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if has_capability(user, Capability.MANAGE_INQUIRIES) or is_requester(user, inquiry):
        return True
    if targeted is None:
        targeted = is_target(user, inquiry)
    return targeted or can_view_results(user, inquiry)


def get_inquiry_for(user: User, pk: int, *, related: bool = True) -> Inquiry:
    """Return the inquiry if the user may see it, or refuse.

    `related=False` leaves its requester and author unread (a page that shows neither).
    """
    inquiry = _inquiry_get(pk, related=related)
    if not can_view(user, inquiry):
        raise PermissionDenied(NOT_YOURS)
    return inquiry


def get_inquiry_and_target_for(user: User, pk: int) -> tuple[Inquiry, bool]:
    """Return the inquiry if the user may see it, and is_target(user, inquiry); or refuse.

    For a page that needs both: the target test runs once, not once more to allow the view.
    """
    inquiry = _inquiry_get(pk)
    targeted = is_target(user, inquiry)
    if not can_view(user, inquiry, targeted=targeted):
        raise PermissionDenied(NOT_YOURS)
    return inquiry, targeted


def get_inquiry_results_for(user: User, pk: int) -> Inquiry:
    """Return the inquiry if the user may see all organizations' answers, or refuse."""
    inquiry = _inquiry_get(pk)
    if not can_view_results(user, inquiry):
        raise PermissionDenied("この照会の回答結果を閲覧する権限がありません。")
    return inquiry


def results_hide_names(user: User, inquiry: Inquiry) -> bool:
    """Tell whether organization names must be hidden from this viewer of the results."""
    if not inquiry.hide_names:
        return False
    return not (has_capability(user, Capability.MANAGE_INQUIRIES) or is_requester(user, inquiry))


def can_manage(user: User, inquiry: Inquiry) -> bool:
    """Tell whether the user may change the inquiry's text, questions and targets."""
    if has_capability(user, Capability.MANAGE_INQUIRIES):
        return inquiry.status in DRAFTING
    return (
        has_capability(user, Capability.REQUEST_INQUIRIES)
        and is_requester(user, inquiry)
        and inquiry.status in REQUESTER_EDITABLE
    )


def get_inquiry_managed_for(user: User, pk: int) -> Inquiry:
    """Return the inquiry if the user may edit it now, or refuse."""
    inquiry = get_inquiry_for(user, pk)
    if not can_manage(user, inquiry):
        raise PermissionDenied("この照会は現在編集できません。")
    return inquiry


def can_follow(user: User, inquiry: Inquiry) -> bool:
    """Tell whether the user runs the inquiry: sees progress, reminds, closes, extends."""
    return has_capability(user, Capability.MANAGE_INQUIRIES) or is_requester(user, inquiry)


def get_inquiry_progress_for(user: User, pk: int, *, related: bool = True) -> Inquiry:
    """Return the inquiry for its progress page (secretariat and asking organization).

    `related=False` leaves its requester and author unread (the progress page shows neither).
    """
    inquiry = get_inquiry_for(user, pk, related=related)
    if not can_follow(user, inquiry):
        raise PermissionDenied("回答状況は事務局と照会団体のみが閲覧できます。")
    return inquiry


def get_inquiry_for_review(user: User, pk: int) -> Inquiry:
    """Return the inquiry for approval or rejection (secretariat only)."""
    inquiry = _inquiry_get(pk)
    if not has_capability(user, Capability.MANAGE_INQUIRIES):
        raise PermissionDenied("照会の審査は事務局のみが行えます。")
    return inquiry


def get_inquiry_for_secretariat(user: User, pk: int) -> Inquiry:
    """Return any inquiry for a secretariat-only action (open, publish, proxy entry)."""
    return get_inquiry_for_review(user, pk)


def can_request(user: User) -> bool:
    """Tell whether the user may write a new inquiry (as 調査依頼 unless secretariat)."""
    return has_capability(user, Capability.MANAGE_INQUIRIES) or (
        has_capability(user, Capability.REQUEST_INQUIRIES) and organization_id_of(user) is not None
    )


def require_can_request(user: User) -> None:
    """Refuse unless the user may write a new inquiry."""
    if not can_request(user):
        raise PermissionDenied("照会を作成する権限がありません。")


def get_inquiry_to_copy_for(user: User, pk: int) -> Inquiry:
    """Return an inquiry the user may copy into a new draft of their own."""
    inquiry = get_inquiry_for(user, pk)
    require_can_request(user)
    return inquiry


def _target_answer(*, inquiry: Inquiry, organization_id: int) -> Answer:
    if (
        inquiry.status not in STARTED
        or not Target.objects.filter(inquiry=inquiry, organization_id=organization_id).exists()
    ):
        raise PermissionDenied("この団体はこの照会の回答先ではありません。")
    answer = (
        Answer.objects.select_related("organization")
        .filter(inquiry=inquiry, organization_id=organization_id)
        .first()
    )
    if answer is not None:
        return answer
    if inquiry.status != InquiryStatus.OPEN:
        raise PermissionDenied("この照会は回答の受付を終了しています。")
    # Not saved: opening the form changes nothing (the organization stays 未着手);
    # services.answer_save stores the row on the first save.
    return Answer(inquiry=inquiry, organization=Organization.objects.get(pk=organization_id))


def _existing_target_answer(*, inquiry_pk: int, organization_id: int) -> Answer | None:
    """Return the organization's existing answer with its inquiry, in a single query.

    Returns None when there is no answer yet, the organization is not a target (the join
    on its target row finds nothing) or the inquiry does not exist; the caller then goes
    the long way (_inquiry_get, then _target_answer), which refuses or creates.
    """
    try:
        found = list(
            # Only what every caller needs: the people named on the answer page are loaded
            # by answer_people_attach when a page shows them, so a save does not pay for
            # five more joined tables on every request.
            Answer.objects.select_related("inquiry", "organization")
            .filter(
                inquiry_id=inquiry_pk,
                organization_id=organization_id,
                # A join rather than an EXISTS subquery: the same check, half the ORM work
                # on the request every answer save makes. Target is unique per
                # (inquiry, organization), so the join never repeats a row.
                inquiry__targets__organization_id=organization_id,
            )
            # One answer per organization (answer_one_per_org): no ordering to compile.
            .order_by()[:1]
        )
    except (ValueError, TypeError):
        return None
    answer = found[0] if found else None
    if answer is not None and answer.inquiry.status not in STARTED:
        raise PermissionDenied("この団体はこの照会の回答先ではありません。")
    return answer


def get_answer_for(user: User, inquiry_pk: int) -> Answer:
    """Return the user's organization's answer; an unsaved draft before the first save."""
    org_id = _member_org_id(user)
    if org_id is not None:
        # The usual case, an answer already started: one query for inquiry, target, answer.
        answer = _existing_target_answer(inquiry_pk=inquiry_pk, organization_id=org_id)
        if answer is not None:
            return answer
    inquiry = _inquiry_get(inquiry_pk)
    if org_id is None:
        raise PermissionDenied("回答する権限がありません。")
    answer = _target_answer(inquiry=inquiry, organization_id=org_id)
    answer.inquiry = inquiry
    return answer


def get_answer_for_proxy(user: User, inquiry_pk: int, organization_pk: int) -> Answer:
    """Return a target organization's answer for proxy entry (代理入力) by the secretariat."""
    inquiry = get_inquiry_for_secretariat(user, inquiry_pk)
    if not Organization.objects.filter(pk=organization_pk).exists():
        raise Http404("団体が見つかりません。")
    answer = _target_answer(inquiry=inquiry, organization_id=organization_pk)
    answer.inquiry = inquiry
    return answer


def get_answer_for_link(link: AnswerLink) -> Answer:
    """Return the one answer an answer link reaches: its organization's, for its inquiry."""
    answer = _target_answer(inquiry=link.inquiry, organization_id=link.organization_id)
    answer.inquiry = link.inquiry
    answer.organization = link.organization
    return answer


def is_representative_of(user: User, organization_id: int) -> bool:
    """Tell whether the user is the representative (所属長) of the organization."""
    return (
        user.is_authenticated
        and user.is_active
        and has_capability(user, Capability.CONFIRM_ANSWERS)
        and organization_id_of(user) == organization_id
    )


def can_confirm(user: User, answer: Answer) -> bool:
    """Tell whether the user may confirm (所属長確認) the answer."""
    return is_representative_of(user, answer.organization_id)


def _attachment_of(inquiry: Inquiry, attachment_pk: int) -> InquiryAttachment:
    """Return the inquiry's attachment (404 if it has no such one)."""
    try:
        attachment = inquiry.attachments.get(pk=attachment_pk)
    except InquiryAttachment.DoesNotExist as exc:
        raise Http404("資料が見つかりません。") from exc
    attachment.inquiry = inquiry
    return attachment


def get_attachment_for(user: User, inquiry_pk: int, attachment_pk: int) -> InquiryAttachment:
    """Return an attachment of an inquiry the user may see, or refuse."""
    return _attachment_of(get_inquiry_for(user, inquiry_pk), attachment_pk)


def get_answer_file_for(user: User, inquiry_pk: int, file_pk: int) -> AnswerFile:
    """Return a file of an answer: to its own organization, or once submitted to those who
    may see results."""
    inquiry = _inquiry_get(inquiry_pk)
    try:
        answer_file = AnswerFile.objects.select_related("answer").get(
            pk=file_pk, answer__inquiry=inquiry
        )
    except AnswerFile.DoesNotExist as exc:
        raise Http404("ファイルが見つかりません。") from exc
    answer = answer_file.answer
    if (
        has_capability(user, Capability.MANAGE_INQUIRIES)
        or _member_org_id(user) == answer.organization_id
    ):
        return answer_file
    if can_view_results(user, inquiry) and _file_in_submitted_version(answer_file):
        return answer_file
    raise PermissionDenied("このファイルを閲覧する権限がありません。")


def _file_in_submitted_version(answer_file: AnswerFile) -> bool:
    """Tell whether the latest submitted version of the answer refers to the file."""
    version = answer_file.answer.versions.order_by("-number").first()
    if version is None:
        return False
    value = version.data.get(str(answer_file.question_id)) or []
    return any(item.get("id") == answer_file.pk for item in value if isinstance(item, dict))


def answerable_filter(user: User) -> Q:
    """Return the condition on Inquiry that matches answerable_inquiries, to combine in a query."""
    org_id = _member_org_id(user)
    if org_id is None:
        return Q(pk__in=[])
    return Q(
        status__in=STARTED,
        pk__in=Target.objects.filter(organization_id=org_id).values("inquiry_id"),
    )


def answerable_inquiries(user: User) -> QuerySet[Inquiry]:
    """Return the inquiries the user's organization is asked to answer."""
    if _member_org_id(user) is None:
        return Inquiry.objects.none()
    return Inquiry.objects.filter(answerable_filter(user))


def get_managed_question_for(user: User, inquiry_pk: int, question_pk: int) -> Question:
    """Return a question of an inquiry the user may edit now, or refuse."""
    inquiry = get_inquiry_managed_for(user, inquiry_pk)
    try:
        question = inquiry.questions.get(pk=question_pk)
    except Question.DoesNotExist as exc:
        raise Http404("設問が見つかりません。") from exc
    question.inquiry = inquiry
    return question


def get_managed_attachment_for(
    user: User, inquiry_pk: int, attachment_pk: int
) -> InquiryAttachment:
    """Return a document of an inquiry the user may edit now, or refuse."""
    return _attachment_of(get_inquiry_managed_for(user, inquiry_pk), attachment_pk)


def get_inquiry_to_submit_for(user: User, pk: int) -> Inquiry:
    """Return a member's draft its author's organization may send for review, or refuse."""
    inquiry = get_inquiry_managed_for(user, pk)
    if not is_requester(user, inquiry):
        raise PermissionDenied("審査を依頼できるのは照会団体の職員のみです。")
    return inquiry


def get_answer_to_confirm_for(user: User, inquiry_pk: int) -> Answer:
    """Return the answer of the representative's organization for 所属長確認, or refuse."""
    answer = get_answer_for(user, inquiry_pk)
    if not can_confirm(user, answer):
        raise PermissionDenied("所属長確認は団体管理者（所属長）のみが行えます。")
    return answer
