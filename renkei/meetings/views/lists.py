"""Meetings to read: the list, a meeting's page, the fiscal year's plan, the board area and
the resolutions (決定事項一覧)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.permissions import Capability, has_capability
from renkei.core.fiscal_year import fiscal_year_of
from renkei.directory.permissions import require
from renkei.meetings import selectors, services
from renkei.meetings.forms import (
    MeetingFilterForm,
    ReplyForm,
    RequirementForm,
    ResolutionFilterForm,
)
from renkei.meetings.models import MeetingScope, MinutesStatus, Publication, Resolution
from renkei.meetings.permissions import can_read_draft_minutes, get_meeting_page_for, person_of
from renkei.meetings.views.common import PAGE_SIZE, crumbs, int_or_none


def meeting_list(request: HttpRequest) -> HttpResponse:
    """List the meetings the user may see, by fiscal year, kind and body."""
    require(request.user, Capability.VIEW_MEETINGS)
    form = MeetingFilterForm(request.GET or None, bodies=selectors.bodies())
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.meetings_for(
        user=request.user,
        fiscal_year=filters.get("fy"),
        kind=filters.get("kind", ""),
        group_id=filters.get("body"),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "nav": "meetings",
            "breadcrumbs": crumbs(),
            "page": page,
            "form": form,
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a meeting: details, invitees, replies, agenda with materials, minutes."""
    meeting = get_meeting_page_for(request.user, pk)
    manage = has_capability(request.user, Capability.MANAGE_MEETINGS)
    responses = selectors.responses_of(meeting=meeting)
    person = person_of(request.user)
    mine = next((r for r in responses if person and r.person_id == person.pk), None)
    invited = manage or meeting.user_invited
    minutes = meeting.minutes_row
    agenda, loose_materials = selectors.meeting_agenda(meeting=meeting, user=request.user)
    return render(
        request,
        "meetings/detail.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "manage": manage,
            "invited": invited,
            "invitee_count": meeting.invitee_count,
            "responses": responses if (manage or invited) else [],
            "counts": selectors.response_counts(responses=responses),
            "mine": mine,
            "reply_closed": services.reply_closed_reason(meeting=meeting),
            "reply_form": ReplyForm(
                initial={
                    "reply": mine.reply if mine else "",
                    "deputy_name": mine.deputy_name if mine else "",
                }
            ),
            "agenda": agenda,
            "loose_materials": loose_materials,
            "attendance_line": selectors.attendance_line(meeting=meeting, responses=responses),
            "minutes": minutes,
            "minutes_readable": minutes is not None
            and (
                can_read_draft_minutes(request.user, meeting, invited=meeting.user_invited)
                or (
                    minutes.status == MinutesStatus.CONFIRMED
                    and minutes.publication != Publication.NONE
                )
            ),
            "breadcrumbs": crumbs((meeting.title, None)),
        },
    )


def plan(request: HttpRequest) -> HttpResponse:
    """Show the fiscal year's required meetings against those held and scheduled."""
    require(request.user, Capability.VIEW_MEETINGS)
    manage = has_capability(request.user, Capability.MANAGE_MEETINGS)
    fiscal_year = int_or_none(request.GET.get("fy")) or fiscal_year_of(timezone.localdate())
    form = RequirementForm(request.POST or None) if manage else None
    if request.method == "POST":
        require(request.user, Capability.MANAGE_MEETINGS)
        if form.is_valid():
            data = form.cleaned_data
            services.requirement_set(
                by=request.user,
                fiscal_year=data["fiscal_year"],
                kind=data["kind"],
                group=data["group"],
                required_count=data["required_count"],
                basis=data["basis"],
                request=request,
            )
            messages.success(request, "開催計画を登録しました。")
            return redirect(f"{reverse('meetings:plan')}?fy={data['fiscal_year']}")
    return render(
        request,
        "meetings/plan.html",
        {
            "nav": "meetings",
            "rows": selectors.fiscal_plan(fiscal_year=fiscal_year),
            "fy": fiscal_year,
            "form": form,
            "breadcrumbs": crumbs(("開催計画", None)),
        },
    )


def board_area(request: HttpRequest) -> HttpResponse:
    """The board area: board meetings, their materials and draft minutes."""
    require(request.user, Capability.VIEW_BOARD_AREA)
    meetings = list(
        selectors.meetings_for(user=request.user)
        .filter(scope=MeetingScope.BOARD)
        .select_related("minutes")[:50]
    )
    return render(
        request,
        "meetings/board.html",
        {"nav": "meetings", "meetings": meetings, "breadcrumbs": crumbs(("役員専用ページ", None))},
    )


def resolution_list(request: HttpRequest) -> HttpResponse:
    """List the resolutions (決定事項) of confirmed minutes, by body and fiscal year."""
    require(request.user, Capability.VIEW_MEETINGS)
    form = ResolutionFilterForm(request.GET or None, bodies=selectors.bodies())
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(
        selectors.resolutions(
            user=request.user, fiscal_year=filters.get("fy"), group_id=filters.get("body")
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/resolutions.html",
        {
            "nav": "meetings",
            "page": page,
            "form": form,
            "labels": dict(Resolution.choices),
            "breadcrumbs": crumbs(("決定事項一覧", None)),
        },
    )
