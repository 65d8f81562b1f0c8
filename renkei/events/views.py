"""Pages of seminars and trainings (セミナー・研修)."""

import io
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.fiscal_year import fiscal_year_of
from renkei.core.forms import service_error_add
from renkei.core.links import absolute_url
from renkei.core.markdown import markdown_html
from renkei.core.pagination import CountedPaginator
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory.models import Person
from renkei.directory.permissions import organization_id_of
from renkei.events import services
from renkei.events.exports import participants_xlsx, questionnaire_xlsx
from renkei.events.forms import (
    EventFilterForm,
    EventForm,
    PublicRegistrationForm,
    QuestionFormSet,
    QuestionnaireAnswerForm,
    QuestionnaireForm,
    RegistrationFilterForm,
    SessionFormSet,
)
from renkei.events.lifecycle import EVENT_WORKFLOW, QUESTIONNAIRE_WORKFLOW
from renkei.events.models import (
    Event,
    Questionnaire,
    QuestionnaireAnswer,
    Registration,
    RegistrationStatus,
)
from renkei.events.permissions import (
    can_manage_events,
    get_event_for,
    get_event_to_attend_for,
    get_event_to_manage_for,
    get_needs_questionnaire_for,
    get_needs_questionnaire_to_manage_for,
    get_own_registration_for,
    get_public_event,
    get_questionnaire_by_token,
    get_questionnaire_to_manage_for,
    get_registration_by_token,
    get_registration_to_manage_for,
    require_event_manager,
    require_event_reader,
)
from renkei.events.selectors import (
    catalogue_title,
    colleagues_to_register,
    event_list,
    event_rows,
    event_seats,
    event_span,
    fiscal_year_counts,
    my_registrations,
    needs_questionnaires_of,
    needs_questionnaires_to_answer,
    open_questionnaires_for_registration,
    participant_counts,
    prospects,
    questionnaire_holder_title,
    questionnaire_questions,
    questionnaire_results,
    questionnaires_of,
    registration_filter,
    registration_rows,
    registrations_of,
    training_catalogue,
)
from renkei.events.services import EventError

EVENT_PAGE_SIZE = 20
REGISTRATION_PAGE_SIZE = 50


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("ホーム", reverse("home")), ("セミナー・研修", reverse("events:list")), *trail]


def _confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


# --- members and the secretariat ------------------------------------------------------------


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
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "events/list.html",
        {
            "nav": "events",
            "form": form,
            "page": page,
            "query": kept.urlencode(),
            "counts": fiscal_year_counts(fiscal_year=year),
            "can_manage": can_manage_events(request.user),
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an event: when, where, the program, seats, and the user's registrations."""
    event = get_event_for(request.user, pk)
    managing = can_manage_events(request.user)
    mine = my_registrations(user=request.user, event=event)
    seats = event_seats(event)
    return render(
        request,
        "events/detail.html",
        {
            "nav": "events",
            "event": event,
            "description_html": markdown_html(event.description),
            "sessions": list(event.sessions.all()),
            "seats": seats,
            "mine": mine,
            "show_online": managing or any(r.status == RegistrationStatus.CONFIRMED for r in mine),
            "colleagues": colleagues_to_register(user=request.user, event=event)
            if event.status == "published"
            else [],
            # Loaded with the user by the authentication backend: no query.
            "self_person": getattr(request.user, "person", None),
            "accepting": _accepting(event),
            "questionnaires": questionnaires_of(event) if managing else [],
            "can_manage": managing,
            "participants": participant_counts(event=event, seats=seats) if managing else None,
            "public_url": absolute_url(reverse("events:apply", args=[event.pk]))
            if event.audience == "open"
            else "",
            "breadcrumbs": _crumbs((event.title, None)),
        },
    )


def _accepting(event: Event) -> str:
    """Return "" when the event takes registrations now, else why not."""
    try:
        services.registration_open_check(event)
    except EventError as error:
        return error.message
    return ""


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
    if _confirmed(request):
        with refusal_flashed(request):
            services.registration_cancel(
                registration=registration, by=request.user, request=request
            )
            messages.success(request, f"{registration.name}さんの申込を取り消しました。")
        return redirect("events:detail", pk=pk)
    return render(
        request,
        "events/cancel_confirm.html",
        {
            "nav": "events",
            "event": registration.event,
            "registration": registration,
            "back_url": reverse("events:detail", args=[pk]),
            "breadcrumbs": _crumbs(
                (registration.event.title, reverse("events:detail", args=[pk])),
                ("申込の取消", None),
            ),
        },
    )


# --- the secretariat ------------------------------------------------------------------------


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
    return render(
        request,
        "events/form.html",
        {"nav": "events", "form": form, "breadcrumbs": _crumbs(("新しい催し", None))},
        status=400 if form.is_bound and form.errors else 200,
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
    return render(
        request,
        "events/form.html",
        {
            "nav": "events",
            "form": form,
            "event": event,
            "breadcrumbs": _crumbs(
                (event.title, reverse("events:detail", args=[pk])), ("編集", None)
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
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
    formset = SessionFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="sessions"
    )
    if request.method == "POST" and formset.is_valid():
        rows = [draft for form in formset.forms if (draft := form.draft()) is not None]
        services.sessions_set(event=event, by=request.user, sessions=rows, request=request)
        messages.success(request, f"プログラムを保存しました（{len(rows)}件）。")
        return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/program.html",
        {
            "nav": "events",
            "event": event,
            "formset": formset,
            "breadcrumbs": _crumbs(
                (event.title, reverse("events:detail", args=[pk])), ("プログラム", None)
            ),
        },
        status=400 if formset.is_bound and not formset.is_valid() else 200,
    )


def _transition_page(request: HttpRequest, event: Event, name: str) -> HttpResponse:
    """Confirm, then take one step of the event's workflow (公開, 中止)."""
    step = EVENT_WORKFLOW.transition(name)
    if _confirmed(request):
        action = services.event_publish if name == "publish" else services.event_cancel
        with refusal_flashed(request):
            action(event=event, by=request.user, request=request)
            messages.success(request, f"「{event.title}」を{step.label}しました。")
        return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/transition_confirm.html",
        {
            "nav": "events",
            "event": event,
            "step": step,
            "seats": event_seats(event),
            "breadcrumbs": _crumbs(
                (event.title, reverse("events:detail", args=[event.pk])), (step.label, None)
            ),
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
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "events/registrations.html",
        {
            "nav": "events",
            "event": event,
            "form": form,
            "page": page,
            "query": kept.urlencode(),
            "seats": seats,
            "breadcrumbs": _crumbs(
                (event.title, reverse("events:detail", args=[pk])), ("申込者・受付", None)
            ),
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
    body = participants_xlsx(event=event)
    audit_record(
        action=Action.EXPORTED,
        actor=request.user,
        target=event,
        request=request,
        detail={"what": "participants", "format": "xlsx"},
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = quote(f"参加者一覧_{event.title[:40]}.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"participants-{event.pk}.xlsx\"; filename*=UTF-8''{name}"
    )
    return response


@require_POST
def registration_check_in(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """Check a confirmed registrant in (受付)."""
    registration = get_registration_to_manage_for(request.user, pk, registration_pk)
    with refusal_flashed(request):
        services.check_in(registration=registration, by=request.user, request=request)
        messages.success(
            request, f"{registration.name}さん（{registration.organization_name}）を受付しました。"
        )
    back = request.POST.get("next") or ""
    if back.startswith("/events/"):
        return redirect(back)
    return redirect("events:registrations", pk=pk)


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
            "breadcrumbs": _crumbs(
                (registration.event.title, reverse("events:detail", args=[registration.event_id])),
                ("受付", None),
            ),
        },
    )


@require_GET
def prospect_list(request: HttpRequest) -> HttpResponse:
    """Non-member organizations that registered for events: the list for 加入促進."""
    require_event_manager(request.user)
    query = request.GET.get("q", "")[:100]
    page = Paginator(prospects(query=query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "events/prospects.html",
        {
            "nav": "events",
            "page": page,
            "q": query,
            "breadcrumbs": _crumbs(("加入促進（会員外の申込団体）", None)),
        },
    )


# --- the registrant's own link (no login) ---------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def public_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A non-member's registration form for an event open to non-members."""
    event = get_public_event(pk)
    form = PublicRegistrationForm(request.POST if request.method == "POST" else None)
    closed = _accepting(event)
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
    if _confirmed(request):
        with refusal_flashed(request):
            services.registration_cancel(registration=registration, by=None, request=request)
            messages.success(request, "申込を取り消しました。")
        return redirect("events:registration", token=token)
    return render(
        request,
        "events/cancel_confirm.html",
        {
            "event": registration.event,
            "registration": registration,
            "back_url": reverse("events:registration", args=[token]),
        },
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


# --- questionnaires (アンケート) ---------------------------------------------------------------
#
# An event's post-event questionnaire lives under the event's address, a needs questionnaire
# (研修ニーズ調査) under its fiscal year's training catalogue (研修計画); the pages are the same
# pages, given the questionnaire and the addresses of its holder.


def _questionnaire_links(questionnaire: Questionnaire) -> dict[str, str]:
    """Return the addresses of a questionnaire's pages and of what it belongs to."""
    if questionnaire.event_id is not None:
        prefix, args = "events:questionnaire", [questionnaire.event_id, questionnaire.pk]
        holder_url = reverse("events:detail", args=[questionnaire.event_id])
    else:
        prefix, args = "events:needs_questionnaire", [questionnaire.fiscal_year, questionnaire.pk]
        holder_url = reverse("events:catalogue", args=[questionnaire.fiscal_year])
    return {
        "holder_title": questionnaire_holder_title(questionnaire),
        "holder_url": holder_url,
        "manage": reverse(prefix, args=args),
        **{step: reverse(f"{prefix}_{step}", args=args) for step in ("open", "close")},
        "results": reverse(f"{prefix}_results", args=args),
        "export": reverse(f"{prefix}_export", args=args),
    }


def _questionnaire_crumbs(
    questionnaire: Questionnaire, links: dict[str, str], *trail: tuple[str, str | None]
) -> list:
    return _crumbs(
        (links["holder_title"], links["holder_url"]),
        (questionnaire.title, links["manage"] if trail else None),
        *trail,
    )


def _planned_year_check(year: int) -> None:
    """Refuse a fiscal year no training catalogue can have (404)."""
    if not services.FISCAL_YEARS_PLANNED[0] <= year <= services.FISCAL_YEARS_PLANNED[1]:
        raise Http404("年度が正しくありません。")


@require_GET
def training_catalogue_view(request: HttpRequest, year: int) -> HttpResponse:
    """A fiscal year's training catalogue (研修計画): each theme with the year's trainings, and
    the needs questionnaires (研修ニーズ調査) asked before planning them."""
    require_event_reader(request.user)
    _planned_year_check(year)
    managing = can_manage_events(request.user)
    return render(
        request,
        "events/catalogue.html",
        {
            "nav": "events",
            "year": year,
            "title": catalogue_title(year),
            "themes": training_catalogue(user=request.user, fiscal_year=year),
            "questionnaires": needs_questionnaires_of(fiscal_year=year)
            if managing
            else needs_questionnaires_to_answer(fiscal_year=year, user=request.user),
            "can_manage": managing,
            "breadcrumbs": _crumbs((catalogue_title(year), None)),
        },
    )


def _questionnaire_new_page(
    request: HttpRequest, *, create, holder_title: str, holder_url: str
) -> HttpResponse:
    """The form of a new questionnaire; `create(title=…, description=…)` writes it."""
    form = QuestionnaireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = create(**form.cleaned_data)
        except EventError as error:
            service_error_add(form, error)
        else:
            messages.success(request, "アンケートを作成しました。設問を入力してください。")
            return redirect(_questionnaire_links(questionnaire)["manage"])
    return render(
        request,
        "events/questionnaire_new.html",
        {
            "nav": "events",
            "form": form,
            "holder_title": holder_title,
            "holder_url": holder_url,
            "breadcrumbs": _crumbs((holder_title, holder_url), ("アンケートの作成", None)),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_http_methods(["GET", "POST"])
def questionnaire_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a new post-event questionnaire (事後アンケート) of an event."""
    event = get_event_to_manage_for(request.user, pk)
    return _questionnaire_new_page(
        request,
        create=lambda **fields: services.questionnaire_create(
            event=event, by=request.user, request=request, **fields
        ),
        holder_title=event.title,
        holder_url=reverse("events:detail", args=[pk]),
    )


@require_http_methods(["GET", "POST"])
def needs_questionnaire_create(request: HttpRequest, year: int) -> HttpResponse:
    """Write a new needs questionnaire (研修ニーズ調査) of a fiscal year's training catalogue."""
    require_event_manager(request.user)
    _planned_year_check(year)
    return _questionnaire_new_page(
        request,
        create=lambda **fields: services.needs_questionnaire_create(
            fiscal_year=year, by=request.user, request=request, **fields
        ),
        holder_title=catalogue_title(year),
        holder_url=reverse("events:catalogue", args=[year]),
    )


def _questionnaire_manage_page(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    """The secretariat's page of a questionnaire: its questions (editable until opened)."""
    links = _questionnaire_links(questionnaire)
    questions = questionnaire_questions(questionnaire)
    initial = [
        {
            "text": q.text,
            "kind": q.kind,
            "choices": "\n".join(q.choices),
            "allow_other": q.allow_other,
            "unit": q.unit,
            "required": q.required,
        }
        for q in questions
    ]
    formset = QuestionFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="questions"
    )
    if request.method == "POST" and formset.is_valid():
        rows = [draft for form in formset.forms if (draft := form.draft()) is not None]
        try:
            services.questions_set(
                questionnaire=questionnaire, by=request.user, questions=rows, request=request
            )
        except EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"設問を保存しました（{len(rows)}問）。")
        return redirect(links["manage"])
    return render(
        request,
        "events/questionnaire.html",
        {
            "nav": "events",
            "questionnaire": questionnaire,
            "links": links,
            "questions": questions,
            "formset": formset,
            "answer_count": questionnaire.answers.count(),
            "breadcrumbs": _questionnaire_crumbs(questionnaire, links),
        },
        status=400 if formset.is_bound and not formset.is_valid() else 200,
    )


@require_http_methods(["GET", "POST"])
def questionnaire_manage(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """The secretariat's page of an event's questionnaire."""
    return _questionnaire_manage_page(
        request, get_questionnaire_to_manage_for(request.user, pk, questionnaire_pk)
    )


@require_http_methods(["GET", "POST"])
def needs_questionnaire_manage(
    request: HttpRequest, year: int, questionnaire_pk: int
) -> HttpResponse:
    """The secretariat's page of a fiscal year's needs questionnaire."""
    return _questionnaire_manage_page(
        request, get_needs_questionnaire_to_manage_for(request.user, year, questionnaire_pk)
    )


def _questionnaire_step(
    request: HttpRequest, questionnaire: Questionnaire, name: str
) -> HttpResponse:
    """Confirm, then open or close a questionnaire."""
    links = _questionnaire_links(questionnaire)
    step = QUESTIONNAIRE_WORKFLOW.transition(name)
    if _confirmed(request):
        action = services.questionnaire_open if name == "open" else services.questionnaire_close
        try:
            action(questionnaire=questionnaire, by=request.user, request=request)
        except EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"「{questionnaire.title}」の{step.label}をしました。")
        return redirect(links["manage"])
    return render(
        request,
        "events/questionnaire_confirm.html",
        {
            "nav": "events",
            "questionnaire": questionnaire,
            "links": links,
            "step": step,
            "answer_count": questionnaire.answers.count(),
            "breadcrumbs": _questionnaire_crumbs(questionnaire, links, (step.label, None)),
        },
    )


@require_http_methods(["GET", "POST"])
def questionnaire_open(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """Start taking answers after a confirmation page (the questions are fixed then)."""
    questionnaire = get_questionnaire_to_manage_for(request.user, pk, questionnaire_pk)
    return _questionnaire_step(request, questionnaire, "open")


@require_http_methods(["GET", "POST"])
def questionnaire_close(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """Stop taking answers after a confirmation page."""
    questionnaire = get_questionnaire_to_manage_for(request.user, pk, questionnaire_pk)
    return _questionnaire_step(request, questionnaire, "close")


@require_http_methods(["GET", "POST"])
def needs_questionnaire_open(
    request: HttpRequest, year: int, questionnaire_pk: int
) -> HttpResponse:
    """Start taking a needs questionnaire's answers after a confirmation page."""
    questionnaire = get_needs_questionnaire_to_manage_for(request.user, year, questionnaire_pk)
    return _questionnaire_step(request, questionnaire, "open")


@require_http_methods(["GET", "POST"])
def needs_questionnaire_close(
    request: HttpRequest, year: int, questionnaire_pk: int
) -> HttpResponse:
    """Stop taking a needs questionnaire's answers after a confirmation page."""
    questionnaire = get_needs_questionnaire_to_manage_for(request.user, year, questionnaire_pk)
    return _questionnaire_step(request, questionnaire, "close")


def _results_page(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    """The compiled results: per question, counts and shares, a chart, statistics, texts."""
    links = _questionnaire_links(questionnaire)
    results, answers = questionnaire_results(questionnaire)
    return render(
        request,
        "events/questionnaire_results.html",
        {
            "nav": "events",
            "questionnaire": questionnaire,
            "links": links,
            "results": results,
            "answer_count": len(answers),
            "confirmed": questionnaire.event.registrations.filter(
                status=RegistrationStatus.CONFIRMED
            ).count()
            if questionnaire.event_id is not None
            else None,
            "breadcrumbs": _questionnaire_crumbs(questionnaire, links, ("集計結果", None)),
        },
    )


@require_GET
def questionnaire_results_view(
    request: HttpRequest, pk: int, questionnaire_pk: int
) -> HttpResponse:
    """The compiled results of an event's questionnaire."""
    return _results_page(
        request, get_questionnaire_to_manage_for(request.user, pk, questionnaire_pk)
    )


@require_GET
def needs_questionnaire_results(
    request: HttpRequest, year: int, questionnaire_pk: int
) -> HttpResponse:
    """The compiled results of a fiscal year's needs questionnaire."""
    return _results_page(
        request, get_needs_questionnaire_to_manage_for(request.user, year, questionnaire_pk)
    )


def _export_response(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    """The compiled results and every answer as an Excel workbook (the download is audited)."""
    body = questionnaire_xlsx(questionnaire=questionnaire)
    audit_record(
        action=Action.EXPORTED,
        actor=request.user,
        target=questionnaire,
        request=request,
        detail={"export": "questionnaire_xlsx"},
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"アンケート集計_{questionnaire.title}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"questionnaire-{questionnaire.pk}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@require_GET
def questionnaire_export(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """An event's questionnaire as an Excel workbook."""
    return _export_response(
        request, get_questionnaire_to_manage_for(request.user, pk, questionnaire_pk)
    )


@require_GET
def needs_questionnaire_export(
    request: HttpRequest, year: int, questionnaire_pk: int
) -> HttpResponse:
    """A fiscal year's needs questionnaire as an Excel workbook."""
    return _export_response(
        request, get_needs_questionnaire_to_manage_for(request.user, year, questionnaire_pk)
    )


def _answer_page(
    request: HttpRequest,
    questionnaire: Questionnaire,
    *,
    registration: Registration | None,
    back_url: str,
    holder_title: str,
) -> HttpResponse:
    questions = questionnaire_questions(questionnaire)
    answered = QuestionnaireAnswer.objects.filter(
        questionnaire=questionnaire,
        **({"registration": registration} if registration else {"user": request.user}),
    ).exists()
    form = QuestionnaireAnswerForm(
        request.POST if request.method == "POST" else None, questions=questions
    )
    if request.method == "POST" and not answered and form.is_valid():
        try:
            services.questionnaire_answer(
                questionnaire=questionnaire,
                questions=questions,
                data=form.answer_data,
                registration=registration,
                user=request.user if registration is None else None,
                request=request,
            )
        except EventError as error:
            service_error_add(form, error)
        else:
            messages.success(request, "アンケートにご回答いただき、ありがとうございました。")
            return redirect(back_url)
    return render(
        request,
        "events/questionnaire_answer.html",
        {
            "nav": "events",
            "questionnaire": questionnaire,
            "holder_title": holder_title,
            "form": form,
            "answered": answered,
            "back_url": back_url,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def questionnaire_answer_by_link(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A participant answers the post-event questionnaire through their own link, once."""
    registration, questionnaire = get_questionnaire_by_token(token, pk)
    return _answer_page(
        request,
        questionnaire,
        registration=registration,
        back_url=reverse("events:registration", args=[token]),
        holder_title=registration.event.title,
    )


@require_http_methods(["GET", "POST"])
def needs_questionnaire_answer(
    request: HttpRequest, year: int, questionnaire_pk: int
) -> HttpResponse:
    """A member answers a fiscal year's needs questionnaire (研修ニーズ調査), once."""
    questionnaire = get_needs_questionnaire_for(request.user, year, questionnaire_pk)
    return _answer_page(
        request,
        questionnaire,
        registration=None,
        back_url=reverse("events:catalogue", args=[year]),
        holder_title=catalogue_title(year),
    )
