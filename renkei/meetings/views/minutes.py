"""The minutes (会議録): their page, the draft edited as text, comments while circulated, the
Word file and the public page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renkei.accounts.permissions import Capability, has_capability
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.links import absolute_url
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.meetings import selectors, services
from renkei.meetings.forms import CommentForm, MinutesTextForm
from renkei.meetings.lifecycle import MINUTES_WORKFLOW
from renkei.meetings.minutes_docx import minutes_docx
from renkei.meetings.minutes_text import minutes_render
from renkei.meetings.models import Minutes, MinutesStatus, Resolution
from renkei.meetings.permissions import (
    can_read_draft_minutes,
    get_managed_meeting_for,
    get_minutes_for,
    get_public_minutes,
)
from renkei.meetings.views.common import crumbs


def _minutes_context(minutes: Minutes) -> dict[str, Any]:
    sections = selectors.minutes_sections(minutes=minutes)
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "sections": sections,
        "labels": dict(Resolution.choices),
    }


def minutes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the minutes, their status, comments and the steps the user may take."""
    minutes = get_minutes_for(request.user, pk)
    manage = has_capability(request.user, Capability.MANAGE_MEETINGS)
    context = _minutes_context(minutes)
    context.update(
        {
            "nav": "meetings",
            "manage": manage,
            "steps": MINUTES_WORKFLOW.available(minutes.status) if manage else [],
            "comments": list(minutes.comments.all())
            if can_read_draft_minutes(request.user, minutes.meeting)
            else [],
            "comment_form": CommentForm() if minutes.status == MinutesStatus.CIRCULATED else None,
            "public_url": absolute_url(reverse("meetings:public_minutes", args=[minutes.pk])),
            "breadcrumbs": crumbs(
                (minutes.meeting.title, reverse("meetings:detail", args=[pk])), ("会議録", None)
            ),
        }
    )
    return render(request, "meetings/minutes.html", context)


@require_POST
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the minutes from the meeting's header and agenda (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    with refusal_flashed(request):
        services.minutes_create(meeting=meeting, by=request.user, request=request)
    return redirect("meetings:minutes_edit", pk)


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the draft as text (or paste existing minutes) and see how it was read."""
    meeting = get_managed_meeting_for(request.user, pk)
    minutes = get_minutes_for(request.user, meeting.pk)
    if minutes.status != MinutesStatus.DRAFT:
        messages.error(request, "下書きの会議録だけを編集できます。")
        return redirect("meetings:minutes", pk)
    form = MinutesTextForm(
        request.POST or None,
        initial={"text": minutes_render(selectors.minutes_parsed(minutes=minutes))},
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            parsed = services.minutes_text_save(
                minutes=minutes, by=request.user, text=form.cleaned_data["text"], request=request
            )
            messages.success(
                request,
                f"会議録を読み取りました（節{len(parsed.sections)}、議題{len(parsed.items())}、"
                f"発言{sum(len(s.statements) for s in parsed.sections)}、未整理の行{len(parsed.unplaced)}）。",
            )
            return redirect("meetings:minutes_edit", pk)
    context = _minutes_context(minutes)
    context.update(
        {
            "nav": "meetings",
            "form": form,
            "breadcrumbs": crumbs(
                (meeting.title, reverse("meetings:detail", args=[pk])),
                ("会議録", reverse("meetings:minutes", args=[pk])),
                ("編集", None),
            ),
        }
    )
    return render(
        request, "meetings/minutes_edit.html", context, status=400 if form.errors else 200
    )


@require_POST
def minutes_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a comment on circulated minutes (attendees and the secretariat)."""
    minutes = get_minutes_for(request.user, pk)
    if not can_read_draft_minutes(request.user, minutes.meeting):
        raise PermissionDenied("回覧中の会議録に意見を書けるのは出席者と事務局です。")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "意見を入力してください。")
        return redirect("meetings:minutes", pk)
    with refusal_flashed(request):
        services.comment_add(
            minutes=minutes, by=request.user, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, "意見を送りました。")
    return redirect("meetings:minutes", pk)


def minutes_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the minutes as a Word document laid out like the published ones."""
    minutes = get_minutes_for(request.user, pk)
    content = minutes_docx(selectors.minutes_parsed(minutes=minutes))
    audit_record(
        action=Action.EXPORTED,
        actor=request.user,
        target=minutes,
        request=request,
        detail={"format": "docx"},
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="minutes-{minutes.meeting_id}.docx"'
    return response


@login_not_required
def public_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Show minutes published to everyone, without login."""
    minutes = get_public_minutes(pk)
    context = _minutes_context(minutes)
    context["public"] = True
    return render(request, "meetings/public_minutes.html", context)
