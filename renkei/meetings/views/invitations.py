"""Invitees, the invitations (招集通知), each invitee's reply (出欠) and the attendance."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renkei.core.refusals import refusal_flashed
from renkei.meetings import selectors, services
from renkei.meetings.forms import InviteesForm, ReplyForm
from renkei.meetings.models import Invitee
from renkei.meetings.permissions import get_managed_meeting_for, get_meeting_for
from renkei.meetings.services import MeetingError
from renkei.meetings.views.common import confirm_page, crumbs, int_or_none


def invitees_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Add invitees: organizations, a group, observers (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    form = InviteesForm(request.POST or None)
    if request.method == "POST":
        remove = int_or_none(request.POST.get("remove"))
        if remove:
            invitee = get_object_or_404(Invitee, pk=remove, meeting=meeting)
            services.invitee_remove(invitee=invitee, by=request.user, request=request)
            messages.success(request, "招集者から外しました。")
            return redirect("meetings:invitees", pk)
        if form.is_valid():
            data = form.cleaned_data
            count = services.invitees_add(
                meeting=meeting,
                by=request.user,
                organizations=data["organizations"],
                people=data["people"],
                group=data["group"],
                capacity=data["capacity"],
                category=data["category"],
                request=request,
            )
            messages.success(request, f"招集者を{count}件追加しました。")
            return redirect("meetings:invitees", pk)
    return render(
        request,
        "meetings/invitees.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "form": form,
            "invitees": list(
                Invitee.objects.filter(meeting=meeting).select_related(
                    "person", "organization", "group"
                )
            ),
            "breadcrumbs": crumbs(
                (meeting.title, reverse("meetings:detail", args=[pk])), ("招集者", None)
            ),
        },
    )


def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then mail the invitations (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    if request.method == "POST":
        with refusal_flashed(request):
            count = services.invitations_send(meeting=meeting, by=request.user, request=request)
            messages.success(request, f"招集通知を{count}通送信しました。")
        return redirect("meetings:detail", pk)
    return confirm_page(
        request,
        meeting=meeting,
        heading="招集通知の送信",
        message="招集者（個人、団体の通知先、グループの構成員）へ、会議の案内と予定表ファイル（.ics）の入手先をメールで送ります。送ったメールは取り消せません。",
        button="招集通知を送信する",
        crumb="招集通知",
    )


@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the user's 出欠."""
    meeting = get_meeting_for(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "出欠を選んでください。")
        return redirect("meetings:detail", pk)
    with refusal_flashed(request):
        services.reply_record(
            meeting=meeting,
            by=request.user,
            reply=form.cleaned_data["reply"],
            deputy_name=form.cleaned_data["deputy_name"],
            request=request,
        )
        messages.success(request, "出欠を回答しました。")
    return redirect("meetings:detail", pk)


def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who attended, the audience and the secretariat (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    responses = selectors.responses_of(meeting=meeting)
    error = ""
    if request.method == "POST":
        ids = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
        audience = int_or_none(request.POST.get("audience_count"))
        if audience is None:
            error = "傍聴者数を数字で入力してください。"
        else:
            try:
                line = services.attendance_record(
                    meeting=meeting,
                    by=request.user,
                    attended_ids=ids,
                    audience_count=audience,
                    secretariat_attended=request.POST.get("secretariat") == "1",
                    request=request,
                )
            except MeetingError as exc:
                error = exc.message
            else:
                messages.success(request, f"出席を記録しました。出席者：{line}")
                return redirect("meetings:detail", pk)
    for response in responses:
        response.checked = (
            response.attended
            if response.attended is not None
            else response.reply in ("attend", "deputy")
        )
    return render(
        request,
        "meetings/attendance.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "responses": responses,
            "error": error,
            "breadcrumbs": crumbs(
                (meeting.title, reverse("meetings:detail", args=[pk])), ("出席の記録", None)
            ),
        },
        status=400 if error else 200,
    )
