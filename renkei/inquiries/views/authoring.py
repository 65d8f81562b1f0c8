"""Writing an inquiry: create, edit, delete a draft, targets and attachments."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.accounts.permissions import Capability, has_capability
from renkei.core.files import file_download
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory.organization_picker import candidates_response
from renkei.directory.permissions import organization_of, require
from renkei.inquiries import services
from renkei.inquiries.forms.authoring import AttachmentForm, InquiryForm, TargetForm
from renkei.inquiries.permissions import (
    get_attachment_for,
    get_inquiry_managed_for,
    get_managed_attachment_for,
    require_can_request,
)
from renkei.inquiries.selectors.targets import requester_organizations, target_organizations
from renkei.inquiries.services.errors import InquiryError
from renkei.inquiries.views.common import (
    confirm_page,
    crumbs,
    detail_redirect,
    inquiry_crumbs,
)


@require_http_methods(["GET", "POST"])
def inquiry_create(request: HttpRequest) -> HttpResponse:
    """Write a new inquiry (the secretariat) or 調査依頼 (a member)."""
    require_can_request(request.user)
    secretariat = has_capability(request.user, Capability.MANAGE_INQUIRIES)
    form = InquiryForm(request.POST or None, secretariat=secretariat)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            inquiry = services.inquiry_create(
                by=request.user,
                draft=form.draft(),
                requester=form.cleaned_data.get("requester"),
                request=request,
            )
            messages.success(
                request, "照会の下書きを作成しました。続けて設問と照会先を設定してください。"
            )
            return redirect("inquiries:questions", pk=inquiry.pk)
    return render(
        request,
        "inquiries/form.html",
        {
            "nav": "inquiries",
            "form": form,
            "heading": "照会を作成" if secretariat else "調査依頼を作成",
            "breadcrumbs": crumbs(("新規作成", None)),
            "secretariat": secretariat,
        },
    )


@require_GET
def requester_candidates(request: HttpRequest) -> HttpResponse:
    """Answer the requester picker's typing with the matching organizations (htmx)."""
    require(request.user, Capability.MANAGE_INQUIRIES)
    return candidates_response(request, name="requester", within=requester_organizations())


@require_http_methods(["GET", "POST"])
def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the title, purpose, contact, deadline and settings."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    secretariat = has_capability(request.user, Capability.MANAGE_INQUIRIES)
    form = InquiryForm(request.POST or None, instance=inquiry, secretariat=secretariat)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            # The secretariat's empty choice means the secretariat itself asks.
            requester = form.cleaned_data.get("requester") or (
                organization_of(request.user) if secretariat else None
            )
            services.inquiry_update(
                inquiry=inquiry,
                by=request.user,
                draft=form.draft(),
                requester=requester,
                request=request,
            )
            messages.success(request, "照会の内容を保存しました。")
            return detail_redirect(inquiry)
    return render(
        request,
        "inquiries/form.html",
        {
            "nav": "inquiries",
            "form": form,
            "inquiry": inquiry,
            "heading": "照会の内容を編集",
            "breadcrumbs": inquiry_crumbs(inquiry, ("内容の編集", None)),
            "secretariat": secretariat,
        },
    )


@require_http_methods(["GET", "POST"])
def inquiry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft, after asking."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    if request.method == "GET":
        return confirm_page(
            request,
            inquiry,
            heading="下書きの削除",
            message=f"「{inquiry.title}」を削除します。設問と資料も削除され、元に戻せません。",
            button="削除する",
            danger=True,
        )
    with refusal_flashed(request):
        services.inquiry_delete(inquiry=inquiry, by=request.user, request=request)
        messages.success(request, f"「{inquiry.title}」を削除しました。")
        return redirect(
            reverse("inquiries:list")
            + "?tab="
            + ("all" if has_capability(request.user, Capability.MANAGE_INQUIRIES) else "mine")
        )
    return detail_redirect(inquiry)


@require_http_methods(["GET", "POST"])
def inquiry_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the targets: all members, a group, a filter or hand-picked organizations."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    form = TargetForm(request.POST or None, spec=inquiry.target_spec)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_targets_set(
                inquiry=inquiry, by=request.user, spec=form.cleaned_data["spec"], request=request
            )
        except InquiryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"照会先を設定しました（{inquiry.target_description}）。")
            return redirect("inquiries:targets", pk=inquiry.pk)
    preview = target_organizations(spec=inquiry.target_spec, exclude_id=inquiry.requester_id)
    return render(
        request,
        "inquiries/targets.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "preview_count": preview.count(),
            "preview": list(preview.values_list("name", flat=True)[:200]),
            "breadcrumbs": inquiry_crumbs(inquiry, ("照会先", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def inquiry_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach documents (資料) to the inquiry."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            services.inquiry_attachment_add(
                inquiry=inquiry, by=request.user, file=form.cleaned_data["file"], request=request
            )
            messages.success(request, "資料を添付しました。")
            return redirect("inquiries:attachments", pk=inquiry.pk)
    return render(
        request,
        "inquiries/attachments.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "attachments": inquiry.attachments.all(),
            "breadcrumbs": inquiry_crumbs(inquiry, ("資料", None)),
        },
    )


@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Remove a document from the inquiry."""
    attachment = get_managed_attachment_for(request.user, pk, attachment_pk)
    inquiry = attachment.inquiry
    with refusal_flashed(request):
        services.inquiry_attachment_delete(attachment=attachment, by=request.user, request=request)
        messages.success(request, f"「{attachment.name}」を削除しました。")
    return redirect("inquiries:attachments", pk=inquiry.pk)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Send a document of an inquiry the user may see."""
    attachment = get_attachment_for(request.user, pk, attachment_pk)
    return file_download(attachment.file, name=attachment.name)
