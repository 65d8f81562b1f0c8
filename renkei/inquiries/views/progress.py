"""Who has answered, the notices sent, and reminding those who have not."""

from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from renkei.accounts.permissions import Capability, has_capability
from renkei.core.pagination import CountedPaginator
from renkei.core.row_urls import RowUrl
from renkei.directory.prefectures import PREFECTURES
from renkei.inquiries import services
from renkei.inquiries.forms.progress import (
    REMIND_ALL,
    REMIND_SELECTED,
    ProgressFilterForm,
    RemindForm,
)
from renkei.inquiries.mailings import mailings_unfinished
from renkei.inquiries.models import (
    Inquiry,
    InquiryStatus,
    MailingStatus,
)
from renkei.inquiries.permissions import get_inquiry_progress_for
from renkei.inquiries.selectors.progress import inquiry_progress as progress_of
from renkei.inquiries.selectors.progress import (
    non_submitted_organization_ids,
    progress_rows,
    progress_targets,
    reminder_history,
    reminder_recipient_count,
)
from renkei.inquiries.services.errors import InquiryError
from renkei.inquiries.views.common import inquiry_crumbs, refuse

PROGRESS_PAGE_SIZE = 50


def mailings_context(inquiry: Inquiry) -> dict[str, Any]:
    mailings = mailings_unfinished(inquiry=inquiry)
    return {
        "mailings": mailings,
        "mailings_running": any(m.status != MailingStatus.FAILED for m in mailings),
    }


@require_GET
def inquiry_mailings(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of the inquiry's notices being rendered (polled by the pages that show it)."""
    inquiry = get_inquiry_progress_for(request.user, pk, related=False)
    return render(
        request,
        "inquiries/_mailings.html",
        {"inquiry": inquiry, **mailings_context(inquiry)},
    )


def _row_urls(inquiry: Inquiry) -> dict[str, Any]:
    """Return the progress rows' links, each reversed once per page (RowUrl), not per row."""
    return {
        "proxy": RowUrl("inquiries:proxy_answer", inquiry.pk),
        "reissue": RowUrl("inquiries:answer_link_reissue", inquiry.pk),
        "versions": RowUrl("inquiries:proxy_versions", inquiry.pk),
        "notification": RowUrl("directory:organization_notification"),
        "revoke": reverse("inquiries:answer_links_revoke", args=[inquiry.pk]),
    }


@require_GET
def inquiry_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Show how far the answers have come, then the targets, filtered and a page at a time."""
    inquiry = get_inquiry_progress_for(request.user, pk, related=False)
    filter_form = ProgressFilterForm(request.GET)
    filters = filter_form.filters()
    progress = progress_of(inquiry)
    targets = progress_targets(inquiry=inquiry, **filters)
    if filters["prefecture_code"] or filters["kind"] or filters["query"].strip():
        paginator = Paginator(targets, PROGRESS_PAGE_SIZE)
    else:
        # Filtered by status at most: the summary has counted them already.
        paginator = CountedPaginator(
            targets, PROGRESS_PAGE_SIZE, count=progress.status_count(filters["status"])
        )
    page = paginator.get_page(request.GET.get("page"))
    rows = progress_rows(organizations=page.object_list)
    can_remind = inquiry.status == InquiryStatus.OPEN
    kept = {
        name: value
        for name, value in (
            ("status", filters["status"]),
            ("prefecture", filters["prefecture_code"]),
            ("kind", filters["kind"]),
            ("q", filters["query"]),
        )
        if value
    }
    return render(
        request,
        "inquiries/progress.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "progress": progress,
            **mailings_context(inquiry),
            "filter_form": filter_form,
            "filtered": bool(kept),
            "page": page,
            "rows": rows,
            # The rows' fragment (inquiries/_progress_rows.html):
            "urls": _row_urls(inquiry),
            "prefectures": PREFECTURES,
            "manage_inquiries": has_capability(request.user, Capability.MANAGE_INQUIRIES),
            "manage_directory": has_capability(request.user, Capability.MANAGE_DIRECTORY),
            "next_path": quote(request.path),
            "query": urlencode(kept),
            "can_remind": can_remind,
            "remind_scope": REMIND_SELECTED,
            "reminders": reminder_history(inquiry=inquiry),
            "breadcrumbs": inquiry_crumbs(inquiry, ("回答状況", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def inquiry_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind the non-submitting organizations, all of them or those chosen, after asking.

    GET asks about every non-submitting organization; a POST without `confirm` (the
    progress page's chosen few) asks about those; only the confirmation page's POST sends.
    """
    inquiry = get_inquiry_progress_for(request.user, pk)
    progress_url = reverse("inquiries:progress", args=[inquiry.pk])
    if inquiry.status != InquiryStatus.OPEN:
        messages.error(request, "督促できるのは受付中の照会のみです。")
        return redirect(progress_url)
    waiting_ids = non_submitted_organization_ids(inquiry)
    data = request.POST if request.method == "POST" else {"scope": REMIND_ALL}
    form = RemindForm(data, organization_ids=waiting_ids)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors() + form["organizations"].errors))
        return redirect(progress_url)
    everyone = form.cleaned_data["scope"] == REMIND_ALL
    chosen = list(form.cleaned_data["organizations"])
    if not (request.method == "POST" and form.cleaned_data["confirm"]):
        ids = waiting_ids if everyone else [organization.pk for organization in chosen]
        if not ids:
            messages.info(request, "督促が必要な団体はありません。")
            return redirect(progress_url)
        return render(
            request,
            "inquiries/remind_confirm.html",
            {
                "nav": "inquiries",
                "inquiry": inquiry,
                "everyone": everyone,
                "chosen": chosen,
                "organization_count": len(ids),
                "address_count": reminder_recipient_count(organization_ids=ids),
                "breadcrumbs": inquiry_crumbs(
                    inquiry, ("回答状況", progress_url), ("督促メールの送信", None)
                ),
            },
        )
    try:
        reminder = services.inquiry_remind(
            inquiry=inquiry,
            organizations=None if everyone else chosen,
            by=request.user,
            request=request,
        )
    except InquiryError as error:
        refuse(request, error)
    else:
        if reminder is None:
            messages.info(request, "督促が必要な団体はありません。")
        else:
            messages.success(
                request,
                f"{reminder.organizations.count():,}団体への督促メールを作成・送信しています。"
                "進み具合はこのページに表示されます。",
            )
    return redirect(progress_url)
