"""The secretariat writes an event (details, program) and publishes or cancels it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renkei.core.refusals import refusal_on
from renkei.events import services
from renkei.events.forms import EventForm, SessionFormSet
from renkei.events.lifecycle import EVENT_WORKFLOW
from renkei.events.models import Event
from renkei.events.permissions import get_event_to_manage_for, require_event_manager
from renkei.events.selectors import event_seats
from renkei.events.views.common import (
    confirm_step,
    crumbs,
    event_crumbs,
    form_page,
    rows_page,
)


@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    """Write a new event (準備中 until it is published)."""
    require_event_manager(request.user)
    form = EventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            event = services.event_create(by=request.user, draft=form.draft(), request=request)
            messages.success(request, "催しを作成しました。プログラムを入力して公開してください。")
            return redirect("events:program", pk=event.pk)
    return form_page(
        request,
        form,
        heading="新しい催し",
        back_url=reverse("events:list"),
        breadcrumbs=crumbs(("新しい催し", None)),
    )


@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an event's details."""
    event = get_event_to_manage_for(request.user, pk)
    form = EventForm(
        request.POST if request.method == "POST" else None, initial=EventForm.initial_of(event)
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            services.event_update(event=event, by=request.user, draft=form.draft(), request=request)
            messages.success(request, "催しの内容を保存しました。")
            return redirect("events:detail", pk=event.pk)
    return form_page(
        request,
        form,
        heading=f"催しの編集：{event.title}",
        back_url=reverse("events:detail", args=[event.pk]),
        breadcrumbs=event_crumbs(event, ("編集", None)),
    )


@require_http_methods(["GET", "POST"])
def event_program(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the program (プログラム): ordered sessions with speakers and their affiliations."""
    event = get_event_to_manage_for(request.user, pk)
    initial = [
        {
            "label": s.label,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "theme": s.theme,
            "speaker_name": s.speaker_name,
            "speaker_affiliation": s.speaker_affiliation,
            "speaker_title": s.speaker_title,
        }
        for s in event.sessions.all()
    ]
    return rows_page(
        request,
        formset_class=SessionFormSet,
        initial=initial,
        prefix="sessions",
        save=lambda rows: services.sessions_set(
            event=event, by=request.user, sessions=rows, request=request
        ),
        done="プログラムを保存しました（{count}件）。",
        then=reverse("events:detail", args=[event.pk]),
        template="events/program.html",
        context=lambda: {
            "nav": "events",
            "event": event,
            "breadcrumbs": event_crumbs(event, ("プログラム", None)),
        },
    )


def _transition_page(request: HttpRequest, event: Event, name: str) -> HttpResponse:
    """Confirm, then take one step of the event's workflow (公開, 中止)."""
    step = EVENT_WORKFLOW.transition(name)
    action = services.event_publish if name == "publish" else services.event_cancel
    return confirm_step(
        request,
        lambda: action(event=event, by=request.user, request=request),
        done=f"「{event.title}」を{step.label}しました。",
        back_url=reverse("events:detail", args=[event.pk]),
        template="events/transition_confirm.html",
        context=lambda: {
            "nav": "events",
            "event": event,
            "step": step,
            "subject": event.title,
            "button": f"{step.label}する",
            "danger": name == "cancel",
            "seats": event_seats(event),
            "breadcrumbs": event_crumbs(event, (step.label, None)),
        },
    )


@require_http_methods(["GET", "POST"])
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish an event after a confirmation page."""
    return _transition_page(request, get_event_to_manage_for(request.user, pk), "publish")


@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Call an event off after a confirmation page naming who is told."""
    return _transition_page(request, get_event_to_manage_for(request.user, pk), "cancel")
