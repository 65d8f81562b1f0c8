"""Moving an inquiry through its lifecycle: review, open, close, publish, extend, copy."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core.markdown import markdown_html
from renkei.core.numbers import format_percent
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory.selectors import organizations_without_notification_address
from renkei.inquiries import services
from renkei.inquiries.forms.lifecycle import DeadlineForm, ReviewForm
from renkei.inquiries.lifecycle import INQUIRY_WORKFLOW
from renkei.inquiries.models import (
    Inquiry,
    InquiryStatus,
)
from renkei.inquiries.permissions import (
    get_inquiry_for_review,
    get_inquiry_for_secretariat,
    get_inquiry_progress_for,
    get_inquiry_to_copy_for,
    get_inquiry_to_submit_for,
)
from renkei.inquiries.selectors.progress import inquiry_progress as progress_of
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.selectors.targets import target_organizations, targets_text
from renkei.inquiries.views.common import (
    confirm_page,
    confirmed,
    detail_redirect,
    inquiry_crumbs,
)

# Organizations without a notification address listed per page before an inquiry opens.
MISSING_PAGE_SIZE = 50


def _missing_addresses(request: HttpRequest, inquiry: Inquiry) -> dict[str, Any]:
    """Return the page of target organizations no mail would reach, for a confirmation page."""
    targets = target_organizations(spec=inquiry.target_spec, exclude_id=inquiry.requester_id)
    missing = organizations_without_notification_address(
        organization_ids=targets.values("pk")
    ).only("pk", "code", "name")
    page = Paginator(missing, MISSING_PAGE_SIZE).get_page(request.GET.get("missing_page"))
    return {"missing_page": page, "missing_count": page.paginator.count, "back_url": request.path}


def _transition(
    request: HttpRequest, inquiry: Inquiry, action: Callable[..., Inquiry], success: str
) -> HttpResponse:
    """Run a lifecycle service on the inquiry, say it went through, and go back to its page."""
    with refusal_flashed(request):
        action(inquiry=inquiry, by=request.user, request=request)
        messages.success(request, success)
    return detail_redirect(inquiry)


def _mail_detail(name: str) -> str:
    """Return the confirmation line that names the mail a transition sends."""
    return f"送信するメール：{INQUIRY_WORKFLOW.transition(name).mail}。"


@require_POST
def inquiry_submit_for_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a member's draft to the secretariat for review."""
    inquiry = get_inquiry_to_submit_for(request.user, pk)
    return _transition(
        request,
        inquiry,
        services.inquiry_submit_for_review,
        "事務局に審査を依頼しました。承認されると照会先へ送信されます。",
    )


@require_http_methods(["GET", "POST"])
def inquiry_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or send back a 調査依頼 (the secretariat)."""
    inquiry = get_inquiry_for_review(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        with refusal_on(form):
            if form.cleaned_data["decision"] == "approve":
                services.inquiry_approve(
                    inquiry=inquiry, by=request.user, note=note, request=request
                )
                messages.success(request, "承認し、照会先へ送信しました。")
            else:
                services.inquiry_reject(
                    inquiry=inquiry, by=request.user, note=note, request=request
                )
                messages.success(request, "照会団体へ差し戻しました。")
            return detail_redirect(inquiry)
    return render(
        request,
        "inquiries/review.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "purpose_html": markdown_html(inquiry.purpose),
            "questions": inquiry_questions(inquiry),
            "preview_count": target_organizations(
                spec=inquiry.target_spec, exclude_id=inquiry.requester_id
            ).count(),
            "breadcrumbs": inquiry_crumbs(inquiry, ("審査", None)),
            **(
                _missing_addresses(request, inquiry)
                if inquiry.status == InquiryStatus.REVIEW
                else {}
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def inquiry_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Send out a secretariat draft to its targets, after asking."""
    inquiry = get_inquiry_for_secretariat(request.user, pk)
    if request.method == "GET":
        count = target_organizations(
            spec=inquiry.target_spec, exclude_id=inquiry.requester_id
        ).count()
        return confirm_page(
            request,
            inquiry,
            heading="照会の開始",
            message=f"「{inquiry.title}」を開始し、照会先（{targets_text(inquiry=inquiry, count=count)}）の"
            "連絡窓口と共有メールアドレスへ、団体ごとの回答用リンクを付けて"
            "通知メールを送信します。照会団体にもお知らせします。"
            "開始後は設問と照会先を変更できません。",
            button="開始して送信する",
            danger=False,
            **_missing_addresses(request, inquiry),
        )
    return _transition(
        request,
        inquiry,
        services.inquiry_open,
        "照会を開始し、照会先へ通知メールを送信しました。",
    )


@require_http_methods(["GET", "POST"])
def inquiry_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop accepting answers, after a page that says who can no longer answer."""
    inquiry = get_inquiry_progress_for(request.user, pk)
    if not confirmed(request):
        progress = progress_of(inquiry)
        return confirm_page(
            request,
            inquiry,
            heading="回答の締切",
            message=f"「{inquiry.title}」の回答の受付を締め切ります。",
            details=[
                f"照会先{progress.target_count:,}団体のうち{progress.submitted_count:,}団体が提出済みです"
                f"（{format_percent(progress.submitted_count, progress.target_count)}）。"
                f"未提出の{progress.waiting_count:,}団体は、締め切った後は回答を保存・提出できません。",
                "締め切った後も、回答期限を延長すれば受付を再開できます。",
                _mail_detail("close"),
            ],
            button="締め切る",
            danger=True,
        )
    return _transition(
        request,
        inquiry,
        services.inquiry_close,
        "回答の受付を締め切りました。",
    )


@require_http_methods(["GET", "POST"])
def inquiry_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the results, after a page that says who will see them."""
    inquiry = get_inquiry_progress_for(request.user, pk)
    if not confirmed(request):
        progress = progress_of(inquiry)
        names = "団体名を伏せて（団体A、団体B…）" if inquiry.hide_names else "団体名を示して"
        return confirm_page(
            request,
            inquiry,
            heading="結果の公開",
            message=f"「{inquiry.title}」の集計結果を公開します。公開は取り消せません。",
            details=[
                f"提出済みの{progress.submitted_count:,}団体（照会先{progress.target_count:,}団体中）"
                f"の回答を、{names}公開します。",
                f"公開範囲：{inquiry.get_results_visibility_display()}（事務局と照会団体は常に閲覧できます）。",
                _mail_detail("publish"),
            ],
            button="結果を公開する",
            danger=False,
        )
    return _transition(
        request,
        inquiry,
        services.inquiry_publish_results,
        "結果を公開しました。",
    )


@require_http_methods(["GET", "POST"])
def inquiry_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the deadline later and tell the targets."""
    inquiry = get_inquiry_progress_for(request.user, pk)
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, aliases={"deadline": "deadline_date"}):
            services.inquiry_extend_deadline(
                inquiry=inquiry,
                by=request.user,
                deadline=form.cleaned_data["deadline"],
                request=request,
            )
            messages.success(request, "回答期限を延長し、照会先へ通知しました。")
            return detail_redirect(inquiry)
    return render(
        request,
        "inquiries/extend.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "breadcrumbs": inquiry_crumbs(inquiry, ("期限の延長", None)),
        },
    )


@require_POST
def inquiry_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the inquiry into a new draft."""
    inquiry = get_inquiry_to_copy_for(request.user, pk)
    copy = services.inquiry_copy(inquiry=inquiry, by=request.user, request=request)
    messages.success(request, "照会を複製しました。回答期限を設定し、内容を確認してください。")
    return redirect("inquiries:edit", pk=copy.pk)
