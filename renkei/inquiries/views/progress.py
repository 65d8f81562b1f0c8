"""Who has answered, the notices sent, and reminding those who have not."""

from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from renkei.accounts.permissions import Capability, has_capability
from renkei.core.pagination import CountedPaginator
from renkei.core.row_urls import RowUrl
from renkei.core.wareki import format_datetime
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
from renkei.inquiries.selectors.progress import (
    ProgressRow,
    non_submitted_organization_ids,
    progress_rows,
    progress_targets,
    reminder_history,
    reminder_recipient_count,
)
from renkei.inquiries.selectors.progress import inquiry_progress as progress_of
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


def _progress_body(
    rows: list[ProgressRow],
    *,
    inquiry: Inquiry,
    can_remind: bool,
    manage_inquiries: bool,
    manage_directory: bool,
    next_path: str,
) -> SafeString:
    """Return the <tbody> rows of the progress table.

    Built here rather than in a template loop, as the answer matrix's rows are: a row holds
    a dozen values and conditions, and a page of 50 rows cost the template engine more than
    the rest of the page. Every text goes through the standard library's html.escape (which
    Django's escape wraps for lazy strings); each row's links are reversed once per page.
    """
    proxy = RowUrl("inquiries:proxy_answer", inquiry.pk)
    reissue = RowUrl("inquiries:answer_link_reissue", inquiry.pk)
    versions = RowUrl("inquiries:proxy_versions", inquiry.pk)
    notification = RowUrl("directory:organization_notification")
    revoke = escape(reverse("inquiries:answer_links_revoke", args=[inquiry.pk]))
    next_query = escape(f"?next={next_path}")
    lines = []
    for row in rows:
        organization, answer = row.organization, row.answer
        pk = int(organization.pk)
        name = escape(organization.name)
        # For screen readers, after a link's visible words: which organization it is for.
        whose = f'<span class="visually-hidden">（{name}）</span>'
        cells = []
        if can_remind:
            cells.append(
                "<td></td>"
                if row.submitted
                else f'<td><input type="checkbox" name="organizations" value="{pk}" '
                f'id="remind-{pk}" aria-label="{name}に督促"></td>'
            )
        code = (
            f' <span class="muted nowrap">{escape(organization.code)}</span>'
            if organization.code
            else ""
        )
        cells.append(f'<th scope="row"><span class="nowrap">{name}</span>{code}</th>')
        prefecture = escape(PREFECTURES.get(organization.prefecture_code, "—"))
        cells.append(f'<td class="nowrap">{prefecture}</td>')
        status = escape(row.status_label)
        if answer is not None and answer.by_proxy:
            status += ' <span class="badge">代理入力</span>'
        if row.submitted:
            status += f'<br><span class="muted">提出 {escape(format_datetime(answer.submitted_at))}</span>'
        elif answer is not None:
            status += f'<br><span class="muted">最終保存 {escape(format_datetime(answer.updated_at))}</span>'
        cells.append(f"<td>{status}</td>")
        if row.submitted:
            contacts = '<span class="muted">—</span>'
        elif row.contacts:
            contacts = "<br>".join(
                f'<span class="nowrap">{escape("共有アドレス" if person.is_shared_mailbox else person.name)}</span>'
                f' <a href="mailto:{escape(person.email)}">{escape(person.email)}</a>'
                + (
                    f' <span class="nowrap">電話 {escape(person.phone)}</span>'
                    if person.phone
                    else ""
                )
                for person in row.contacts
            )
        else:
            contacts = '<span class="muted">通知先が登録されていません（メールが届きません）</span>'
            if manage_directory:
                contacts += (
                    f' <a href="{escape(notification(pk))}{next_query}">通知先を登録{whose}</a>'
                )
        cells.append(f"<td>{contacts}</td>")
        if manage_inquiries:
            links = ""
            if can_remind:
                links += f'<a class="nowrap" href="{escape(proxy(pk))}">代理入力{whose}</a>'
                if not row.submitted:
                    links += (
                        f'<br><a class="nowrap" href="{escape(reissue(pk))}">リンク再発行{whose}</a>'
                        f' <a class="nowrap" href="{revoke}?organization={pk}">リンク取消{whose}</a>'
                    )
            if row.submitted:
                links += f' <a class="nowrap" href="{escape(versions(pk))}">提出履歴{whose}</a>'
            cells.append(f"<td>{links}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    # Safe: every value above went through html.escape().
    return mark_safe("\n".join(lines))


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
    rows = progress_rows(inquiry=inquiry, organizations=page.object_list)
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
            "body": _progress_body(
                rows,
                inquiry=inquiry,
                can_remind=can_remind,
                manage_inquiries=has_capability(request.user, Capability.MANAGE_INQUIRIES),
                manage_directory=has_capability(request.user, Capability.MANAGE_DIRECTORY),
                next_path=quote(request.path),
            ),
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
