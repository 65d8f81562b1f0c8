"""The compilation pages: the 集計 summary, a question's answers, the matrix, comparison."""

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.numbers import format_number
from renkei.core.question_kinds.results import CellKind
from renkei.core.wareki import format_date, format_datetime
from renkei.inquiries.compilation.comparison import inquiry_comparison
from renkei.inquiries.compilation.data import compilation_data
from renkei.inquiries.compilation.matrix import (
    Matrix,
    matrix_filter_options,
    matrix_page,
    submitter_groups,
)
from renkei.inquiries.compilation.respondents import submitter_rows
from renkei.inquiries.compilation.store import (
    INLINE_VALUES_LIMIT,
    StoredSummary,
    current_stamp,
    current_variant,
    is_fresh,
    stored_summary,
    summary_compile,
    values_count,
)
from renkei.inquiries.compilation.summaries import question_summary
from renkei.inquiries.compilation.tasks import recompile_request
from renkei.inquiries.forms.filters import CompareForm, MatrixFilterForm
from renkei.inquiries.models import Inquiry, InquiryStatus
from renkei.inquiries.permissions import (
    can_follow,
    get_inquiry_results_for,
    results_hide_names,
    results_visible_filter,
)
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.views.common import results_crumbs

QUESTION_PAGE_SIZE = 200


def _summary_status(
    request: HttpRequest, inquiry: Inquiry, stored: StoredSummary | None, *, updating: bool
) -> dict[str, Any]:
    """Return the context of the notice shown while a newer summary is being compiled.

    The notice asks the page again every 2 seconds (htmx) with the compilation it shows;
    the answer says when a newer one is ready. Without JavaScript the reload link does.
    """
    shown = stored.compiled_at.timestamp() if stored is not None else 0.0
    page_url = reverse("inquiries:compilation", args=[inquiry.pk])
    return {
        "updating": updating,
        "waiting": stored is None,
        "compiled_time": format_datetime(stored.compiled_at) if stored is not None else "",
        "page_url": page_url,
        "poll_url": f"{page_url}?shown={shown!r}",
    }


def _shown(request: HttpRequest) -> float:
    """Return the compile time of the summary a polling page shows (0 for the waiting page)."""
    try:
        return float(request.GET.get("shown", ""))
    except ValueError:
        return 0.0


def compilation(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the compiled answers: progress, then each question with its chart and table.

    A large inquiry is never compiled here: a stale or missing summary queues one
    background recompile, and the page shows the last summary (or a waiting page) with a
    notice that refreshes itself. Small inquiries compile inline (compilation.store).
    """
    inquiry = get_inquiry_results_for(request.user, pk)
    variant = current_variant(
        hide_names=results_hide_names(request.user, inquiry),
        following=can_follow(request.user, inquiry),
    )
    stored = stored_summary(inquiry.pk, variant)
    stamp = current_stamp(inquiry)
    updating = False
    if stored is None or not is_fresh(stored, stamp):
        values = stored.values if stored is not None else values_count(inquiry)
        if values < INLINE_VALUES_LIMIT:
            stored = summary_compile(inquiry, variant, stamp)
        else:
            recompile_request(inquiry, variant)
            updating = True
    if request.headers.get("HX-Request"):
        # The notice polling: a newer summary than the page shows is ready, or not yet.
        if stored is not None and stored.compiled_at.timestamp() > _shown(request):
            if _shown(request) == 0.0:
                response = HttpResponse("")
                response["HX-Refresh"] = "true"
                return response
            return render(
                request,
                "inquiries/compilation/_summary_status.html",
                {**_summary_status(request, inquiry, stored, updating=False), "ready": True},
            )
        return render(
            request,
            "inquiries/compilation/_summary_status.html",
            _summary_status(request, inquiry, stored, updating=updating),
        )
    if stored is not None and stored.named:
        # The log is for views of named answers: a summary of counts and charts only (or
        # with names hidden) is not audited, as thousands of such views a day would be.
        audit_record(
            action=Action.RECORD_VIEWED,
            actor=request.user,
            target=inquiry,
            request=request,
            detail={"page": "compilation"},
        )
    return render(
        request,
        "inquiries/compilation/summary.html",
        {
            "inquiry": inquiry,
            # Safe: rendered from our own template, where every value was escaped.
            "body": mark_safe(stored.body) if stored is not None else "",
            "status": _summary_status(request, inquiry, stored, updating=updating),
            "nav": "inquiries",
            "breadcrumbs": results_crumbs(inquiry, ("集計", None)),
        },
    )


def compilation_question(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """List every organization's answer to one free-text, その他, file or table question."""
    inquiry = get_inquiry_results_for(request.user, pk)
    hide_names = results_hide_names(request.user, inquiry)
    data = compilation_data(inquiry=inquiry, hide_names=hide_names)
    question = next((q for q in data.questions if q.pk == question_pk), None)
    if question is None:
        raise Http404("設問が見つかりません。")
    summary = question_summary(data, question)
    if summary.table is not None and not summary.table.numeric:
        entries, heading = summary.table.entries, "回答"
    elif summary.others:
        entries, heading = summary.others, "「その他」の内容"
    else:
        entries, heading = summary.texts or summary.files, "回答"
    page = Paginator(entries, QUESTION_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        action=Action.RECORD_VIEWED,
        actor=request.user,
        target=inquiry,
        request=request,
        detail={"page": "question", "question": question.pk, "page_number": page.number},
    )
    return render(
        request,
        "inquiries/compilation/question.html",
        {
            "inquiry": inquiry,
            "question": question,
            "summary": summary,
            "table": summary.table if summary.table and not summary.table.numeric else None,
            "heading": heading,
            "page": page,
            "hide_names": hide_names,
            "nav": "inquiries",
            "breadcrumbs": results_crumbs(
                inquiry,
                ("集計", reverse("inquiries:compilation", args=[inquiry.pk])),
                (question.code, None),
            ),
        },
    )


def _display(value: Any, kind: str) -> tuple[str, bool]:
    """Return a matrix cell as page text and whether it is right-aligned."""
    if value is None:
        return "", False
    if kind == CellKind.FLAG and value == 1:
        return "○", False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, places=6), True
    if isinstance(value, dt.date):
        return format_date(value), False
    return str(value), False


def _matrix_rows(matrix: Matrix) -> list[list[tuple[str, str, bool]]]:
    """Return the matrix's rows as cells (text, CSS class, whether it is the row's header).

    The organization's name is each row's header; numbers are right-aligned ("num") and long
    answers get a wider column ("long": readable lines, not a character a line). The
    fragment inquiries/compilation/_matrix_rows.html draws them.
    """
    kinds = [c.kind for c in matrix.columns]
    name_index = next(i for i, c in enumerate(matrix.columns) if c.key == "name")
    rows = []
    for row in matrix.rows:
        cells = []
        for index, (value, kind) in enumerate(zip(row.cells, kinds, strict=True)):
            text, numeric = _display(value, kind)
            css = "num" if numeric else "long" if len(text) > 12 else ""
            cells.append((text, css, index == name_index))
        rows.append(cells)
    return rows


def compilation_matrix_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one row per organization and one column per answer, by prefecture and kind."""
    inquiry = get_inquiry_results_for(request.user, pk)
    hide_names = results_hide_names(request.user, inquiry)
    submitters = submitter_rows(inquiry=inquiry, hide_names=hide_names)
    groups = submitter_groups(submitters=submitters)
    prefectures, kinds = matrix_filter_options(groups)
    form = MatrixFilterForm(request.GET or None, prefectures=prefectures, kinds=kinds)
    filters = form.cleaned_data if form.is_valid() else {}
    prefecture, kind = filters.get("prefecture", ""), filters.get("kind", "")
    shown = matrix_page(
        inquiry=inquiry,
        # The per-process copy the answer form reads too: a published inquiry's questions
        # are fixed, and 60 of them cost more to read than the page's rows.
        questions=inquiry_questions(inquiry),
        submitters=submitters,
        groups=groups,
        hide_names=hide_names,
        prefecture_code=prefecture,
        kind=kind,
        page_number=request.GET.get("page"),
        group_number=request.GET.get("questions"),
    )
    matrix, page = shown.matrix, shown.page
    query = request.GET.copy()
    query.pop("page", None)
    # The question groups' links keep the filter and the page: the same organizations'
    # answers to the next questions.
    group_query = request.GET.copy()
    group_query.pop("questions", None)
    audit_record(
        action=Action.RECORD_VIEWED,
        actor=request.user,
        target=inquiry,
        request=request,
        detail={
            "page": "matrix",
            "prefecture": prefecture,
            "kind": kind,
            "page_number": page.number,
            "questions": shown.group.number,
            "rows": len(page.object_list),
        },
    )
    return render(
        request,
        "inquiries/compilation/matrix.html",
        {
            "inquiry": inquiry,
            "matrix": matrix,
            "page": page,
            "rows": _matrix_rows(matrix),
            "query": query.urlencode(),
            "groups": shown.groups,
            "group": shown.group,
            "group_query": group_query.urlencode(),
            "form": form,
            "nav": "inquiries",
            "breadcrumbs": results_crumbs(
                inquiry,
                ("集計", reverse("inquiries:compilation", args=[inquiry.pk])),
                ("回答一覧", None),
            ),
        },
    )


def compilation_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare this inquiry's results with another's for the questions they share."""
    inquiry = get_inquiry_results_for(request.user, pk)
    candidates = (
        Inquiry.objects.filter(results_visible_filter(request.user))
        .filter(status__in=[InquiryStatus.CLOSED, InquiryStatus.PUBLISHED])
        .exclude(pk=inquiry.pk)
        .order_by("-created_at", "-id")[:100]
    )
    form = CompareForm(request.GET or None, candidates=candidates)
    other_pk = form.cleaned_data["other"] if form.is_valid() else None
    comparison = None
    if other_pk is not None:
        other = get_inquiry_results_for(request.user, other_pk)
        comparison = inquiry_comparison(base=inquiry, other=other)
    return render(
        request,
        "inquiries/compilation/compare.html",
        {
            "inquiry": inquiry,
            "form": form,
            "comparison": comparison,
            "nav": "inquiries",
            "breadcrumbs": results_crumbs(
                inquiry,
                ("集計", reverse("inquiries:compilation", args=[inquiry.pk])),
                ("比較", None),
            ),
        },
    )
