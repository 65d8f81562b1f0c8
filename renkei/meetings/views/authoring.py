"""Scheduling a meeting and changing its details (secretariat)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from renkei.accounts.permissions import Capability
from renkei.directory.permissions import require
from renkei.meetings import services
from renkei.meetings.forms import MeetingForm
from renkei.meetings.permissions import get_managed_meeting_for
from renkei.meetings.views.common import crumbs, meeting_form_page


def meeting_create(request: HttpRequest) -> HttpResponse:
    """Schedule a meeting (secretariat)."""
    require(request.user, Capability.MANAGE_MEETINGS)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(by=request.user, request=request, **form.meeting_fields())
        messages.success(request, "会議を登録しました。続けて招集者と議題を登録してください。")
        return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {
            "nav": "meetings",
            "form": form,
            "heading": "会議の登録",
            "breadcrumbs": crumbs(("会議の登録", None)),
        },
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a meeting's details (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    start = timezone.localtime(meeting.starts_at)
    initial = {
        "title": meeting.title,
        "kind": meeting.kind,
        "group": meeting.group,
        "date": start.date(),
        "start_time": start.time(),
        "end_time": timezone.localtime(meeting.ends_at).time() if meeting.ends_at else None,
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "scope": meeting.scope,
        "notes": meeting.notes,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.meeting_update(
            meeting=meeting, by=request.user, request=request, **form.meeting_fields()
        )
        messages.success(request, "会議の内容を変更しました。")
        return redirect("meetings:detail", meeting.pk)
    return meeting_form_page(request, form, meeting=meeting, heading="会議の変更", crumb="変更")
