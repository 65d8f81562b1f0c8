"""The minutes' workflow steps (circulate, confirm, correct …), publication, and the confirmed
versions with their comparison."""

import difflib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renkei.core.errors import ServiceError
from renkei.core.refusals import refusal_flashed
from renkei.meetings import services
from renkei.meetings.forms import PublishForm, ReasonForm, VersionCompareForm
from renkei.meetings.lifecycle import MINUTES_WORKFLOW
from renkei.meetings.models import MinutesVersion
from renkei.meetings.permissions import get_managed_meeting_for, get_minutes_for
from renkei.meetings.transitions_text import TRANSITION_CONSEQUENCES
from renkei.meetings.views.common import confirm_page, crumbs


def minutes_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Confirm, then take a step of the minutes' workflow (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    minutes = get_minutes_for(request.user, meeting.pk)
    if name not in {t.name for t in MINUTES_WORKFLOW.transitions}:
        raise Http404("この操作はありません。")
    step = MINUTES_WORKFLOW.transition(name)
    form = ReasonForm(request.POST or None) if name == "correct" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.minutes_transition(
                minutes=minutes,
                by=request.user,
                name=name,
                reason=form.cleaned_data["reason"] if form else "",
                request=request,
            )
        except ServiceError as error:  # MeetingError or TransitionError
            messages.error(request, error.message)
        else:
            messages.success(request, f"会議録の{step.label}を行いました。")
        return redirect("meetings:minutes", pk)
    return confirm_page(
        request,
        meeting=meeting,
        heading=f"会議録の{step.label}",
        message=TRANSITION_CONSEQUENCES.get(name, ""),
        button=f"{step.label}する",
        crumb=step.label,
        form=form,
        of_minutes=True,
    )


def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then publish confirmed minutes to members or everyone (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    minutes = get_minutes_for(request.user, meeting.pk)
    form = PublishForm(request.POST or None, initial={"publication": minutes.publication})
    if request.method == "POST" and form.is_valid():
        with refusal_flashed(request):
            services.minutes_publish(
                minutes=minutes,
                by=request.user,
                publication=form.cleaned_data["publication"],
                request=request,
            )
            messages.success(
                request, f"公開の範囲を「{minutes.get_publication_display()}」にしました。"
            )
        return redirect("meetings:minutes", pk)
    return confirm_page(
        request,
        meeting=meeting,
        heading="会議録の公開",
        message="「一般に公開」を選ぶと、ログインしていない人も含め誰でもこの会議録を読めるようになります（公開ページのアドレスを知っていれば検索エンジンからも届きます）。「会員に公開」ではすべての会員が読めます。",
        button="公開の範囲を変更する",
        crumb="公開",
        form=form,
        of_minutes=True,
    )


def minutes_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """List the confirmed versions and compare two of them."""
    minutes = get_minutes_for(request.user, pk)
    versions = list(minutes.versions.select_related("created_by").order_by("number"))
    by_number = {v.number: v for v in versions}
    form = VersionCompareForm(
        request.GET or None,
        numbers=list(by_number),
        initial={"b": versions[-1].number if versions else None},
    )
    filters = form.cleaned_data if form.is_valid() else {}
    a, b = filters.get("a"), filters.get("b")
    diff = []
    if a and b:
        diff = list(
            difflib.unified_diff(
                by_number[a].text.splitlines(),
                by_number[b].text.splitlines(),
                fromfile=f"第{a}版",
                tofile=f"第{b}版",
                lineterm="",
                n=2,
            )
        )
    return render(
        request,
        "meetings/versions.html",
        {
            "nav": "meetings",
            "minutes": minutes,
            "meeting": minutes.meeting,
            "versions": versions,
            "form": form,
            "a": a,
            "b": b,
            "diff": diff,
            "breadcrumbs": crumbs(
                (minutes.meeting.title, reverse("meetings:detail", args=[pk])),
                ("会議録", reverse("meetings:minutes", args=[pk])),
                ("版の一覧", None),
            ),
        },
    )


def minutes_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Show one confirmed version as it was."""
    minutes = get_minutes_for(request.user, pk)
    version = get_object_or_404(MinutesVersion, minutes=minutes, number=number)
    return render(
        request,
        "meetings/version.html",
        {
            "nav": "meetings",
            "minutes": minutes,
            "meeting": minutes.meeting,
            "version": version,
            "breadcrumbs": crumbs(
                (minutes.meeting.title, reverse("meetings:detail", args=[pk])),
                ("版の一覧", reverse("meetings:minutes_versions", args=[pk])),
                (f"第{number}版", None),
            ),
        },
    )
