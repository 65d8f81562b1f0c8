"""What the event pages share: breadcrumbs, the form page, the confirmation step, the page of a
formset of rows saved as one step, paging, whether an event takes registrations, the addresses
of a questionnaire's pages, the audited Excel download."""

from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.db.models import Model
from django.forms import BaseForm, BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.breadcrumbs import section_crumbs
from renkei.core.refusals import refusal_flashed
from renkei.events import services
from renkei.events.models import Event, Questionnaire
from renkei.events.selectors import questionnaire_holder_title
from renkei.events.services import EventError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Return the breadcrumbs under the event list (the list itself without a trail)."""
    return section_crumbs("セミナー・研修", "events:list", *trail)


def event_crumbs(event: Event, *trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Return the breadcrumbs under an event's page."""
    return crumbs((event.title, reverse("events:detail", args=[event.pk])), *trail)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    heading: str,
    back_url: str,
    breadcrumbs: list[tuple[str, str | None]],
    intro: str = "",
    multipart: bool = False,
    submit: str = "",
) -> HttpResponse:
    """Render the events' one form page; a form sent back with errors answers 400."""
    return render(
        request,
        "events/form.html",
        {
            "nav": "events",
            "form": form,
            "heading": heading,
            "intro": intro,
            "multipart": multipart,
            "submit": submit,
            "back_url": back_url,
            "breadcrumbs": breadcrumbs,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def confirmed(request: HttpRequest) -> bool:
    """Tell whether the request is the confirmation page's POST (the step is then taken)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def step_take(
    request: HttpRequest, take: Callable[[], object], *, done: str, then: str
) -> HttpResponse:
    """Take a step the user asked for and go to `then`, saying `done` there (or the refusal)."""
    with refusal_flashed(request):
        take()
        messages.success(request, done)
    return redirect(then)


def confirm_step(
    request: HttpRequest,
    take: Callable[[], object],
    *,
    done: str,
    back_url: str,
    template: str,
    context: Callable[[], dict[str, object]],
) -> HttpResponse:
    """Take a step once its confirmation page is sent and go back; else show that page."""
    if confirmed(request):
        return step_take(request, take, done=done, then=back_url)
    # The page's context is built only for the page: a step taken needs none of its reads.
    return render(request, template, {**context(), "back_url": back_url})


def rows_page(
    request: HttpRequest,
    *,
    formset_class: type[BaseFormSet],
    initial: list[dict[str, object]],
    prefix: str,
    save: Callable[[list], object],
    done: str,
    then: str,
    template: str,
    context: Callable[[], dict[str, object]],
) -> HttpResponse:
    """Save a valid formset's ordered rows as one step; else show the page with the formset."""
    formset = formset_class(
        request.POST if request.method == "POST" else None, initial=initial, prefix=prefix
    )
    if request.method == "POST" and formset.is_valid():
        # A form left blank (an extra row) is no row.
        rows = [draft for form in formset.forms if (draft := form.draft()) is not None]
        return step_take(request, lambda: save(rows), done=done.format(count=len(rows)), then=then)
    return render(
        request,
        template,
        {**context(), "formset": formset},
        status=400 if formset.is_bound and not formset.is_valid() else 200,
    )


def query_without_page(request: HttpRequest) -> str:
    """Return the list's query string for its page links (each link adds its own page)."""
    kept = request.GET.copy()
    kept.pop("page", None)
    return kept.urlencode()


def accepting(event: Event) -> str:
    """Return "" when the event takes registrations now, else why not."""
    try:
        services.registration_open_check(event)
    except EventError as error:
        return error.message
    return ""


def planned_year_check(year: int) -> None:
    """Refuse a fiscal year no training catalogue can have (404)."""
    try:
        services.planned_year_check(year)
    except EventError as error:
        raise Http404(error.message) from error


# An event's post-event questionnaire lives under the event's address, a needs questionnaire
# (研修ニーズ調査) under its fiscal year's training catalogue (研修計画); the pages are the same
# pages, given the questionnaire and the addresses of its holder.


def questionnaire_links(questionnaire: Questionnaire) -> dict[str, str]:
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


def questionnaire_crumbs(
    questionnaire: Questionnaire, links: dict[str, str], *trail: tuple[str, str | None]
) -> list[tuple[str, str | None]]:
    """Return the breadcrumbs under a questionnaire's page."""
    return crumbs(
        (links["holder_title"], links["holder_url"]),
        (questionnaire.title, links["manage"] if trail else None),
        *trail,
    )


def xlsx_download(
    request: HttpRequest,
    *,
    body: bytes,
    target: Model,
    detail: dict[str, str],
    filename: str,
    name: str,
) -> HttpResponse:
    """Return a workbook as a download named `name` (`filename` for old browsers), audited."""
    audit_record(
        action=Action.EXPORTED, actor=request.user, target=target, request=request, detail=detail
    )
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(name)}"
    )
    return response
