"""The event list, an event's page, and the non-member organizations that registered (加入促進)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from renkei.core.fiscal_year import fiscal_year_of
from renkei.core.links import absolute_url
from renkei.core.markdown import markdown_html
from renkei.core.pagination import CountedPaginator
from renkei.events.forms import EventFilterForm, ProspectFilterForm
from renkei.events.models import RegistrationStatus
from renkei.events.permissions import (
    can_manage_events,
    get_event_for,
    require_event_manager,
    require_event_reader,
)
from renkei.events.phases import event_phase_now
from renkei.events.selectors import (
    colleagues_to_register,
    event_list,
    event_rows,
    event_seats,
    event_span,
    fiscal_year_counts,
    materials_of,
    my_registrations,
    participant_counts,
    prospects,
    questionnaires_of,
)
from renkei.events.views.common import accepting, crumbs, query_without_page

EVENT_PAGE_SIZE = 20
PROSPECT_PAGE_SIZE = 50


@require_GET
def event_list_view(request: HttpRequest) -> HttpResponse:
    """List the events the user sees, filtered by fiscal year, kind and words, with counts."""
    require_event_reader(request.user)
    span = event_span(request.user)
    form = EventFilterForm(request.GET or None, years=span.years)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year") or fiscal_year_of(timezone.localdate())
    events = event_list(
        user=request.user,
        fiscal_year=filters.get("year"),
        kind=filters.get("kind", ""),
        query=filters.get("q", ""),
    )
    if any(filters.values()):
        paginator = Paginator(events, EVENT_PAGE_SIZE)
    else:  # every event the user sees: counted with the years
        paginator = CountedPaginator(events, EVENT_PAGE_SIZE, count=span.total)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = event_rows(page.object_list)
    return render(
        request,
        "events/list.html",
        {
            "nav": "events",
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "counts": fiscal_year_counts(fiscal_year=year),
            "can_manage": can_manage_events(request.user),
            "breadcrumbs": crumbs(),
        },
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an event: when, where, the program, seats, and the user's registrations."""
    event = get_event_for(request.user, pk)
    managing = can_manage_events(request.user)
    mine = my_registrations(user=request.user, event=event)
    # Confirmed seats the user took or was given: the online link and every document open.
    attending = any(r.status == RegistrationStatus.CONFIRMED for r in mine)
    seats = event_seats(event)
    return render(
        request,
        "events/detail.html",
        {
            "nav": "events",
            "event": event,
            "phase": event_phase_now(event),
            "description_html": markdown_html(event.description),
            "sessions": list(event.sessions.all()),
            "seats": seats,
            "mine": mine,
            "show_online": managing or attending,
            "materials": materials_of(event=event, manager=managing, attending=attending),
            "colleagues": colleagues_to_register(user=request.user, event=event)
            if event.status == "published"
            else [],
            # Loaded with the user by the authentication backend: no query.
            "self_person": getattr(request.user, "person", None),
            "accepting": accepting(event),
            "questionnaires": questionnaires_of(event) if managing else [],
            "can_manage": managing,
            "participants": participant_counts(event=event, seats=seats) if managing else None,
            "public_url": absolute_url(reverse("events:apply", args=[event.pk]))
            if event.audience == "open"
            else "",
            "breadcrumbs": crumbs((event.title, None)),
        },
    )


@require_GET
def prospect_list(request: HttpRequest) -> HttpResponse:
    """Non-member organizations that registered for events: the list for 加入促進."""
    require_event_manager(request.user)
    form = ProspectFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(prospects(query=filters.get("q", "")), PROSPECT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/prospects.html",
        {
            "nav": "events",
            "page": page,
            "form": form,
            "query": query_without_page(request),
            "breadcrumbs": crumbs(("加入促進（会員外の申込団体）", None)),
        },
    )
