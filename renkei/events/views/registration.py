"""Registering for an event: members from the event's page, non-members through the public form,
and each registrant's own link (no login: the token is the key)."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core.links import absolute_url
from renkei.core.markdown import markdown_html
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory.models import Person
from renkei.directory.permissions import organization_id_of
from renkei.events import services
from renkei.events.forms import PublicRegistrationForm
from renkei.events.models import Registration, RegistrationStatus
from renkei.events.permissions import (
    get_event_to_attend_for,
    get_own_registration_for,
    get_public_event,
    get_registration_by_token,
)
from renkei.events.selectors import (
    event_seats,
    materials_of,
    open_questionnaires_for_registration,
)
from renkei.events.views.common import accepting, confirm_step, event_crumbs

# --- members --------------------------------------------------------------------------------


@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register oneself or a colleague of one's organization (from the directory)."""
    event = get_event_to_attend_for(request.user, pk)
    person_id = request.POST.get("person")
    person = (
        Person.objects.filter(
            pk=person_id if (person_id or "").isdigit() else -1,
            organization_id=organization_id_of(request.user),
        )
        .select_related("organization", "department")
        .first()
    )
    if person is None:
        messages.error(request, "申し込む方を職員名簿から選んでください（自団体の職員のみ）。")
        return redirect("events:detail", pk=event.pk)
    with refusal_flashed(request):
        registration = services.member_register(
            event=event, person=person, by=request.user, request=request
        )
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(
                request, f"{person.name}さんの参加が確定しました。確認のメールを送りました。"
            )
        else:
            messages.warning(
                request,
                f"定員に達しているため、{person.name}さんはキャンセル待ちになりました。"
                "空きが出ると自動で繰り上がり、メールでお知らせします。",
            )
    return redirect("events:detail", pk=event.pk)


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """Cancel a registration one made (or a colleague's, as 団体管理者), after confirmation."""
    registration = get_own_registration_for(request.user, pk, registration_pk)
    return confirm_step(
        request,
        lambda: services.registration_cancel(
            registration=registration, by=request.user, request=request
        ),
        done=f"{registration.name}さんの申込を取り消しました。",
        back_url=reverse("events:detail", args=[pk]),
        template="events/cancel_confirm.html",
        context=lambda: {
            "nav": "events",
            "event": registration.event,
            "registration": registration,
            "breadcrumbs": event_crumbs(registration.event, ("申込の取消", None)),
        },
    )


# --- non-members and the registrant's own link (no login) -----------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def public_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A non-member's registration form for an event open to non-members."""
    event = get_public_event(pk)
    form = PublicRegistrationForm(request.POST if request.method == "POST" else None)
    closed = accepting(event)
    if request.method == "POST" and form.is_valid() and not closed:
        with refusal_on(form):
            registration = services.public_register(event=event, registrant=form.registrant())
            return render(
                request,
                "events/apply_sent.html",
                {"event": event, "email": registration.email},
            )
    return render(
        request,
        "events/apply.html",
        {
            "event": event,
            "form": form,
            "closed": closed,
            "description_html": markdown_html(event.description),
            "sessions": list(event.sessions.all()),
            "seats": event_seats(event),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def registration_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a non-member's address: GET shows the button, only the POST takes a seat."""
    registration = get_registration_by_token(token)
    if request.method == "POST":
        with refusal_flashed(request):
            services.registration_confirm(registration=registration)
        return redirect("events:registration", token=token)
    return render(
        request,
        "events/registration_confirm.html",
        {"registration": registration, "event": registration.event},
    )


@login_not_required
@require_GET
def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own page: status, when and where, the QR code for the reception."""
    registration = get_registration_by_token(token)
    event = registration.event
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": event,
            "sessions": list(event.sessions.all()),
            "questionnaires": open_questionnaires_for_registration(registration),
            "qr_svg": _qr_svg(registration) if registration.status == "confirmed" else "",
            "materials": materials_of(
                event=event,
                manager=False,
                attending=registration.status == RegistrationStatus.CONFIRMED,
            ),
        },
    )


def _qr_svg(registration: Registration) -> str:
    """Return the registration's QR code (the reception's check-in address) as inline SVG."""
    url = absolute_url(reverse("events:check_in_scan", args=[registration.token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, xmldecl=False, svgns=True, title="受付用QRコード"
    )
    return buffer.getvalue().decode()


@login_not_required
@require_http_methods(["GET", "POST"])
def registration_cancel_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel one's registration from the mailed link, after a confirmation page."""
    registration = get_registration_by_token(token)
    return confirm_step(
        request,
        lambda: services.registration_cancel(registration=registration, by=None, request=request),
        done="申込を取り消しました。",
        back_url=reverse("events:registration", args=[token]),
        template="events/cancel_confirm.html",
        context=lambda: {"event": registration.event, "registration": registration},
    )


@login_not_required
@require_GET
def registration_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The registered event as an .ics file for the registrant's calendar."""
    registration = get_registration_by_token(token)
    event = registration.event
    body = services.event_calendar(
        event,
        url=absolute_url(reverse("events:registration", args=[token])),
        online=registration.status == RegistrationStatus.CONFIRMED,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response
