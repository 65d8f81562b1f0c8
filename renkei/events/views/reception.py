"""The secretariat's side of the registrations: the list, check-in (受付), the printable
sign-in sheet (受付名簿) and the participants workbook."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from renkei.core.pagination import CountedPaginator
from renkei.events import services
from renkei.events.exports import participants_xlsx
from renkei.events.forms import RegistrationFilterForm
from renkei.events.models import Registration, RegistrationStatus
from renkei.events.permissions import (
    get_event_to_manage_for,
    get_registration_by_token,
    get_registration_to_manage_for,
    require_event_manager,
)
from renkei.events.selectors import (
    event_seats,
    registration_filter,
    registration_rows,
    registrations_of,
)
from renkei.events.views.common import event_crumbs, query_without_page, step_take, xlsx_download

REGISTRATION_PAGE_SIZE = 50


@require_GET
def registration_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The registrations of an event for the secretariat: filter, page, check people in."""
    event = get_event_to_manage_for(request.user, pk)
    form = RegistrationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    matching = registration_filter(
        status=filters.get("status", ""),
        query=filters.get("q", ""),
        member=filters.get("member", ""),
    )
    # One query counts the seats and the registrations the filter keeps (the list's total).
    seats = event_seats(event, matching=matching)
    page = CountedPaginator(
        registrations_of(event=event, matching=matching),
        REGISTRATION_PAGE_SIZE,
        count=seats.matching,
    ).get_page(request.GET.get("page"))
    page.object_list = registration_rows(event=event, rows=page.object_list)
    return render(
        request,
        "events/registrations.html",
        {
            "nav": "events",
            "event": event,
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "seats": seats,
            "breadcrumbs": event_crumbs(event, ("申込者・受付", None)),
        },
    )


@require_GET
def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable sign-in sheet (受付名簿) of the confirmed registrants, by organization."""
    event = get_event_to_manage_for(request.user, pk)
    rows = (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .order_by("organization_name", "name")
        .only("name", "organization_name", "department", "is_member", "checked_in_at")
    )
    return render(
        request,
        "events/sign_in_sheet.html",
        {"event": event, "rows": list(rows)},
    )


@require_GET
def participants_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant list as an Excel workbook (the download is written to the audit log)."""
    event = get_event_to_manage_for(request.user, pk)
    return xlsx_download(
        request,
        body=participants_xlsx(event=event),
        target=event,
        detail={"what": "participants", "format": "xlsx"},
        filename=f"participants-{event.pk}.xlsx",
        name=f"参加者一覧_{event.title[:40]}.xlsx",
    )


@require_POST
def registration_check_in(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """Check a confirmed registrant in (受付)."""
    registration = get_registration_to_manage_for(request.user, pk, registration_pk)
    back = request.POST.get("next") or ""
    return step_take(
        request,
        lambda: services.check_in(registration=registration, by=request.user, request=request),
        done=f"{registration.name}さん（{registration.organization_name}）を受付しました。",
        # Back to the page the reception came from, if it is one of ours.
        then=back if back.startswith("/events/") else reverse("events:registrations", args=[pk]),
    )


@require_GET
def check_in_scan(request: HttpRequest, token: str) -> HttpResponse:
    """What a registrant's QR code opens on the reception's phone: who it is, and 受付する."""
    require_event_manager(request.user)
    registration = get_registration_by_token(token)
    return render(
        request,
        "events/check_in.html",
        {
            "nav": "events",
            "event": registration.event,
            "registration": registration,
            "breadcrumbs": event_crumbs(registration.event, ("受付", None)),
        },
    )
