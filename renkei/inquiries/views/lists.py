"""The inquiry list, in tabs."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renkei.accounts.permissions import Capability, has_capability
from renkei.directory.permissions import organization_id_of
from renkei.inquiries.forms.filters import InquiryFilterForm
from renkei.inquiries.models import (
    AnswerKind,
    AnswerStatus,
    Inquiry,
)
from renkei.inquiries.permissions import can_request
from renkei.inquiries.selectors.lists import (
    inquiries_all,
    inquiries_answered_before,
    inquiries_in_review,
    inquiries_published,
    inquiries_requested,
    inquiries_to_answer,
)
from renkei.inquiries.views.common import crumbs

LIST_PAGE_SIZE = 30


@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    """Show the inquiries for the user, in tabs."""
    user = request.user
    secretariat = has_capability(user, Capability.MANAGE_INQUIRIES)
    has_org = organization_id_of(user) is not None and can_request(user)
    tabs: list[tuple[str, str]] = []
    if secretariat:
        tabs += [("all", "すべての照会"), ("review", "審査待ち")]
    if has_org and not secretariat:
        tabs += [("answering", "回答依頼中"), ("mine", "作成した照会")]
    tabs.append(("published", "公開済みの結果"))
    tab = request.GET.get("tab") or tabs[0][0]
    if tab not in dict(tabs):
        raise Http404("このタブはありません。")
    context: dict[str, Any] = {
        "nav": "inquiries",
        "tabs": tabs,
        "tab": tab,
        "breadcrumbs": crumbs(),
        "can_create": can_request(user),
    }
    if tab == "answering":
        context["open_inquiries"] = list(inquiries_to_answer(user))
        context["past_inquiries"] = list(inquiries_answered_before(user)[:20])
        for inquiry in context["open_inquiries"] + context["past_inquiries"]:
            inquiry.my_status_label = _my_status_label(inquiry)
    else:
        if tab == "mine":
            queryset = inquiries_requested(user)
        elif tab == "published":
            queryset = inquiries_published(user)
        elif tab == "review":
            queryset = inquiries_in_review()
        else:
            form = InquiryFilterForm(request.GET or None)
            filters = form.cleaned_data if form.is_valid() else {}
            context["form"] = form
            context["status"] = filters.get("status", "")
            context["query"] = filters.get("q", "")
            queryset = inquiries_all(status=context["status"], query=context["query"])
        page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
    if secretariat:
        context["review_count"] = inquiries_in_review().count()
    return render(request, "inquiries/list.html", context)


def _my_status_label(inquiry: Inquiry) -> str:
    status = getattr(inquiry, "my_answer_status", None)
    if status is None:
        return "未着手"
    if status == AnswerStatus.SUBMITTED:
        return f"提出済み（{AnswerKind(inquiry.my_answer_kind).label}）"
    label = AnswerStatus(status).label
    if inquiry.my_answer_submitted_at:
        return f"修正中（提出済みの回答あり）・{label}"
    return label
