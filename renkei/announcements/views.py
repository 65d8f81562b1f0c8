"""Pages of お知らせ: the members' news list, the secretariat's writing and delivery log."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.accounts.permissions import Capability
from renkei.announcements import selectors, services
from renkei.announcements.forms import (
    AnnouncementFilterForm,
    AnnouncementForm,
    DeliveryFilterForm,
    ExternalContactForm,
    ExternalFilterForm,
    ExternalImportForm,
    ManagedFilterForm,
    ScheduleForm,
)
from renkei.announcements.lifecycle import ANNOUNCEMENT_WORKFLOW, EDITABLE
from renkei.announcements.models import (
    Announcement,
    DeliveryStatus,
    ExternalContact,
)
from renkei.announcements.permissions import (
    get_announcement_for,
    get_attachment_for,
    get_delivery_for,
    get_managed_announcement_for,
)
from renkei.announcements.services import AnnouncementError
from renkei.announcements.unsubscribe import unsubscribe_email
from renkei.core.breadcrumbs import Crumb, section_crumbs
from renkei.core.files import file_download
from renkei.core.fiscal_year import fiscal_year_of
from renkei.core.markdown import markdown_html
from renkei.core.refusals import refusal_flashed
from renkei.directory.permissions import require
from renkei.workflow.transitions import TransitionError

PAGE_SIZE = 20
LOG_PAGE_SIZE = 50


def _crumbs(*trail: Crumb) -> list[Crumb]:
    """Return the breadcrumbs under the members' お知らせ list (the list itself without a trail)."""
    return section_crumbs("お知らせ", "announcements:list", *trail)


def _manage_crumbs(*trail: Crumb) -> list[Crumb]:
    """Return the breadcrumbs under the secretariat's お知らせの管理."""
    return _crumbs(("お知らせの管理", reverse("announcements:manage_list")), *trail)


def _announcement_crumbs(announcement: Announcement, *trail: Crumb) -> list[Crumb]:
    """Return the breadcrumbs under one お知らせ's management page."""
    url = reverse("announcements:manage_detail", args=[announcement.pk])
    return _manage_crumbs((announcement.title, url), *trail)


def _query(request: HttpRequest, *names: str) -> str:
    return urlencode({n: request.GET[n] for n in names if request.GET.get(n)})


# --- members -----------------------------------------------------------------------------


@require_GET
def announcement_list(request: HttpRequest) -> HttpResponse:
    """List the お知らせ addressed to the user's organization (新着情報), filtered and paged."""
    require(request.user, Capability.VIEW_ANNOUNCEMENTS)
    form = AnnouncementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    announcements = selectors.announcement_list(
        user=request.user, query=filters.get("q", ""), fiscal_year=filters.get("fy")
    )
    page = Paginator(announcements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "announcements/list.html",
        {
            "page": page,
            "form": form,
            "q": filters.get("q", ""),
            "fy": filters.get("fy"),
            "query": _query(request, "q", "fy"),
            "nav": "announcements",
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one お知らせ with its attachments; it is no longer 未読 for the reader."""
    announcement = get_announcement_for(request.user, pk)
    # The one write this GET makes: the reader's own marker, as the forum's thread pages do.
    services.announcement_read_mark(user=request.user, announcement=announcement)
    return render(
        request,
        "announcements/detail.html",
        {
            "announcement": announcement,
            "body_html": markdown_html(announcement.body),
            "attachments": announcement.attachments.all(),
            "nav": "announcements",
            "breadcrumbs": _crumbs((announcement.title, None)),
        },
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Send an attachment of an お知らせ the user may read."""
    attachment = get_attachment_for(request.user, pk, attachment_pk)
    return file_download(attachment.file, name=attachment.name)


# --- the secretariat ---------------------------------------------------------------------


@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    """List every お知らせ with its status and the deliveries counted per fiscal year."""
    require(request.user, Capability.MANAGE_ANNOUNCEMENTS)
    form = ManagedFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    announcements = selectors.managed_announcements(
        status=filters.get("status", ""), query=filters.get("q", "")
    )
    page = Paginator(announcements, PAGE_SIZE).get_page(request.GET.get("page"))
    this_year = fiscal_year_of(timezone.localdate())
    per_year = selectors.deliveries_per_fiscal_year()
    return render(
        request,
        "announcements/manage_list.html",
        {
            "page": page,
            "form": form,
            "query": _query(request, "status", "q"),
            "this_year": this_year,
            "this_year_count": dict(per_year).get(this_year, 0),
            # The earlier years; this one is the headline above them.
            "per_year": [(year, n) for year, n in per_year if year != this_year][:5],
            "nav": "announcements",
            "breadcrumbs": _crumbs(("お知らせの管理", None)),
        },
    )


def _form_values(form: AnnouncementForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "kind": data["kind"],
        "audience": data["audience"],
        "group": data.get("group"),
        "kinds": data.get("kinds") or [],
        "prefectures": data.get("prefectures") or [],
        "include_external": data.get("include_external", False),
        "send_mail": data.get("send_mail", False),
        "files": data.get("files") or [],
    }


@require_http_methods(["GET", "POST"])
def manage_create(request: HttpRequest) -> HttpResponse:
    """Write a new お知らせ (saved as a draft; publishing is a separate, confirmed step)."""
    require(request.user, Capability.MANAGE_ANNOUNCEMENTS)
    form = AnnouncementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        announcement = services.announcement_create(
            by=request.user, request=request, **_form_values(form)
        )
        messages.success(request, "下書きを保存しました。内容を確認してから公開してください。")
        return redirect("announcements:manage_detail", pk=announcement.pk)
    return render(
        request,
        "announcements/form.html",
        {
            "form": form,
            "heading": "お知らせを作成",
            "nav": "announcements",
            "breadcrumbs": _manage_crumbs(("お知らせを作成", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def manage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft or scheduled お知らせ."""
    announcement = get_managed_announcement_for(request.user, pk)
    if announcement.status not in EDITABLE:
        messages.error(request, "公開済みのお知らせは変更できません。")
        return redirect("announcements:manage_detail", pk=pk)
    initial = {
        "title": announcement.title,
        "body": announcement.body,
        "kind": announcement.kind,
        "audience": announcement.audience,
        "group": announcement.audience_group_id,
        "kinds": announcement.kinds,
        "prefectures": announcement.prefectures,
        "include_external": announcement.include_external,
        "send_mail": announcement.send_mail,
    }
    form = AnnouncementForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        attachments=announcement.attachments.all(),
    )
    if request.method == "POST" and form.is_valid():
        removed = [a.pk for a in form.cleaned_data.get("remove_attachments") or []]
        with refusal_flashed(request):
            services.announcement_update(
                announcement=announcement,
                by=request.user,
                request=request,
                remove_attachment_ids=removed,
                **_form_values(form),
            )
            messages.success(request, "お知らせを保存しました。")
        return redirect("announcements:manage_detail", pk=pk)
    return render(
        request,
        "announcements/form.html",
        {
            "form": form,
            "announcement": announcement,
            "heading": "お知らせを編集",
            "nav": "announcements",
            "breadcrumbs": _announcement_crumbs(announcement, ("編集", None)),
        },
    )


@require_GET
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview an お知らせ as members will read it, with its actions and deliveries."""
    announcement = get_managed_announcement_for(request.user, pk)
    return render(
        request,
        "announcements/manage_detail.html",
        {
            "announcement": announcement,
            "body_html": markdown_html(announcement.body),
            "attachments": announcement.attachments.all(),
            "deliveries": announcement.deliveries.select_related("started_by"),
            "editable": announcement.status in EDITABLE,
            "actions": ANNOUNCEMENT_WORKFLOW.available(announcement.status),
            "nav": "announcements",
            "breadcrumbs": _manage_crumbs((announcement.title, None)),
        },
    )


def _confirm_context(announcement: Announcement, *, step: str) -> dict[str, Any]:
    """Name the audience and, if mail goes out, how many addresses it reaches."""
    recipients, skipped = (
        selectors.delivery_recipients(announcement=announcement)
        if announcement.send_mail
        else ([], 0)
    )
    return {
        "announcement": announcement,
        "audience_label": announcement.audience_label(),
        "organization_count": len(selectors.audience_organization_ids(announcement=announcement)),
        "recipient_count": len(recipients),
        "skipped_count": skipped,
        "nav": "announcements",
        "breadcrumbs": _announcement_crumbs(announcement, (step, None)),
    }


@require_http_methods(["GET", "POST"])
def manage_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then publish now; the mail goes out from a background task."""
    announcement = get_managed_announcement_for(request.user, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            delivery = services.announcement_publish(
                announcement=announcement, by=request.user, request=request
            )
        except TransitionError as error:
            messages.error(request, error.message)
            return redirect("announcements:manage_detail", pk=pk)
        if delivery is None:
            messages.success(request, "お知らせを公開しました。")
            return redirect("announcements:manage_detail", pk=pk)
        messages.success(request, "お知らせを公開し、メールの配信を始めました。")
        return redirect("announcements:delivery", pk=pk, delivery_pk=delivery.pk)
    try:
        ANNOUNCEMENT_WORKFLOW.check(instance=announcement, name="publish", by=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
        return redirect("announcements:manage_detail", pk=pk)
    return render(
        request, "announcements/publish_confirm.html", _confirm_context(announcement, step="公開")
    )


@require_http_methods(["GET", "POST"])
def manage_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the time of publication; the confirmation names the audience and the mail."""
    announcement = get_managed_announcement_for(request.user, pk)
    try:
        ANNOUNCEMENT_WORKFLOW.check(instance=announcement, name="schedule", by=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
        return redirect("announcements:manage_detail", pk=pk)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_flashed(request):
            services.announcement_schedule(
                announcement=announcement,
                by=request.user,
                at=form.cleaned_data["at"],
                request=request,
            )
            messages.success(request, "公開を予約しました。")
        return redirect("announcements:manage_detail", pk=pk)
    return render(
        request,
        "announcements/schedule.html",
        {"form": form, **_confirm_context(announcement, step="公開予約")},
    )


@require_POST
def manage_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a scheduled お知らせ back to draft (nothing has been sent yet)."""
    announcement = get_managed_announcement_for(request.user, pk)
    with refusal_flashed(request):
        services.announcement_unschedule(
            announcement=announcement, by=request.user, request=request
        )
        messages.success(request, "公開予約を取り消し、下書きに戻しました。")
    return redirect("announcements:manage_detail", pk=pk)


@require_http_methods(["GET", "POST"])
def manage_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a draft お知らせ and its attachments."""
    announcement = get_managed_announcement_for(request.user, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.announcement_delete(
                announcement=announcement, by=request.user, request=request
            )
        except AnnouncementError as error:
            messages.error(request, str(error))
            return redirect("announcements:manage_detail", pk=pk)
        messages.success(request, f"「{announcement.title}」を削除しました。")
        return redirect("announcements:manage_list")
    return render(
        request,
        "announcements/delete_confirm.html",
        {
            "announcement": announcement,
            "nav": "announcements",
            "breadcrumbs": _announcement_crumbs(announcement, ("削除", None)),
        },
    )


@require_GET
def delivery_log(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    """Show a delivery's progress and each recipient's status, filtered and paged."""
    delivery = get_delivery_for(request.user, pk, delivery_pk)
    counts = selectors.delivery_counts(delivery=delivery)
    total = sum(counts.values())
    form = DeliveryFilterForm(
        request.GET or None,
        statuses=[
            (key, f"{label}（{counts[key]}）")
            for key, (label, _) in selectors.RECIPIENT_STATUSES.items()
        ],
    )
    filters = form.cleaned_data if form.is_valid() else {}
    log = selectors.delivery_messages(
        delivery=delivery, status=filters.get("status", ""), query=filters.get("q", "")
    )
    page = Paginator(log, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    in_progress = delivery.status == DeliveryStatus.PREPARING or counts["queued"] > 0
    context = {
        "announcement": delivery.announcement,
        "delivery": delivery,
        "counts": counts,
        "total": total,
        "done": total - counts["queued"],
        "in_progress": in_progress,
        "status_filters": [
            (key, label, counts[key]) for key, (label, _) in selectors.RECIPIENT_STATUSES.items()
        ],
        "form": form,
        "page": page,
        "query": _query(request, "status", "q"),
        "nav": "announcements",
        "breadcrumbs": _announcement_crumbs(delivery.announcement, ("配信状況", None)),
    }
    if request.headers.get("HX-Request") and request.GET.get("part") == "progress":
        return render(request, "announcements/_progress.html", context)
    return render(request, "announcements/delivery.html", context)


@require_http_methods(["GET", "POST"])
def delivery_resend(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    """Confirm, then send again to the recipients whose message failed."""
    delivery = get_delivery_for(request.user, pk, delivery_pk)
    failed = selectors.delivery_counts(delivery=delivery)["failed"]
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        count = services.delivery_resend_failures(
            delivery=delivery, by=request.user, request=request
        )
        messages.success(request, f"送信に失敗した{count:,}件を再送します。")
        return redirect("announcements:delivery", pk=pk, delivery_pk=delivery_pk)
    return render(
        request,
        "announcements/resend_confirm.html",
        {
            "announcement": delivery.announcement,
            "delivery": delivery,
            "failed": failed,
            "nav": "announcements",
            "breadcrumbs": _announcement_crumbs(delivery.announcement, ("再送", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def external_contacts(request: HttpRequest) -> HttpResponse:
    """List, add and import the non-member addresses (会員外の送付先)."""
    require(request.user, Capability.MANAGE_ANNOUNCEMENTS)
    add_form = ExternalContactForm(prefix="add")
    import_form = ExternalImportForm(prefix="import")
    if request.method == "POST" and "add" in request.POST:
        add_form = ExternalContactForm(request.POST, prefix="add")
        if add_form.is_valid():
            rows = [
                (
                    add_form.cleaned_data["organization_name"],
                    add_form.cleaned_data["name"],
                    add_form.cleaned_data["email"],
                )
            ]
            services.external_contacts_import(by=request.user, rows=rows, request=request)
            messages.success(request, "送付先を追加しました。")
            return redirect("announcements:external")
    elif request.method == "POST" and "import" in request.POST:
        import_form = ExternalImportForm(request.POST, request.FILES, prefix="import")
        if import_form.is_valid():
            added, known = services.external_contacts_import(
                by=request.user, rows=import_form.cleaned_data["rows"], request=request
            )
            messages.success(
                request, f"{added:,}件を追加しました（登録済みのため除いたもの{known:,}件）。"
            )
            return redirect("announcements:external")
    form = ExternalFilterForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    contacts = ExternalContact.objects.all()
    for word in query.split():
        contacts = contacts.filter(email__icontains=word) | contacts.filter(
            organization_name__icontains=word
        )
    page = Paginator(contacts.order_by("organization_name", "id"), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "announcements/external.html",
        {
            "add_form": add_form,
            "import_form": import_form,
            "page": page,
            "form": form,
            "query": _query(request, "q"),
            "nav": "announcements",
            "breadcrumbs": _manage_crumbs(("会員外の送付先", None)),
        },
    )


@require_POST
def external_contact_active(request: HttpRequest, contact_pk: int) -> HttpResponse:
    """Stop or resume mailing one non-member address."""
    require(request.user, Capability.MANAGE_ANNOUNCEMENTS)
    contact = ExternalContact.objects.filter(pk=contact_pk).first()
    if contact is None:
        raise Http404("送付先が見つかりません。")
    services.external_contact_set_active(
        contact=contact, by=request.user, active=request.POST.get("active") == "1", request=request
    )
    messages.success(request, f"{contact.email} を更新しました。")
    return redirect("announcements:external")


# --- unsubscribing (no login: the link comes by mail) -------------------------------------


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Show the unsubscribe page (GET changes nothing); a POST unsubscribes the address."""
    email = unsubscribe_email(token=token)
    if email is None:
        return render(request, "announcements/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        services.newsletter_unsubscribe(email=email, request=request)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("unsubscribed", content_type="text/plain")
        return render(request, "announcements/unsubscribe.html", {"email": email, "done": True})
    return render(request, "announcements/unsubscribe.html", {"email": email, "done": False})
