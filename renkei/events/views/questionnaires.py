"""The secretariat writes a questionnaire (アンケート), sets its questions, opens and closes it:
an event's post-event questionnaire or a fiscal year's needs questionnaire (研修ニーズ調査)."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renkei.core.refusals import refusal_on
from renkei.events import services
from renkei.events.forms import QuestionFormSet, QuestionnaireForm
from renkei.events.lifecycle import QUESTIONNAIRE_WORKFLOW
from renkei.events.models import Questionnaire
from renkei.events.permissions import (
    get_event_to_manage_for,
    get_needs_questionnaire_to_manage_for,
    get_questionnaire_to_manage_for,
    require_event_manager,
)
from renkei.events.selectors import catalogue_title, questionnaire_questions
from renkei.events.views.common import (
    confirm_step,
    crumbs,
    planned_year_check,
    questionnaire_crumbs,
    questionnaire_links,
    rows_page,
)


def _questionnaire_new_page(
    request: HttpRequest,
    *,
    create: Callable[..., Questionnaire],
    holder_title: str,
    holder_url: str,
) -> HttpResponse:
    """The form of a new questionnaire; `create(title=…, description=…)` writes it."""
    form = QuestionnaireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            questionnaire = create(**form.cleaned_data)
            messages.success(request, "アンケートを作成しました。設問を入力してください。")
            return redirect(questionnaire_links(questionnaire)["manage"])
    return render(
        request,
        "events/questionnaire_new.html",
        {
            "nav": "events",
            "form": form,
            "holder_title": holder_title,
            "holder_url": holder_url,
            "breadcrumbs": crumbs((holder_title, holder_url), ("アンケートの作成", None)),
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
    planned_year_check(year)
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
    links = questionnaire_links(questionnaire)
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
    return rows_page(
        request,
        formset_class=QuestionFormSet,
        initial=initial,
        prefix="questions",
        save=lambda rows: services.questions_set(
            questionnaire=questionnaire, by=request.user, questions=rows, request=request
        ),
        done="設問を保存しました（{count}問）。",
        then=links["manage"],
        template="events/questionnaire.html",
        context=lambda: {
            "nav": "events",
            "questionnaire": questionnaire,
            "links": links,
            "questions": questions,
            "answer_count": questionnaire.answers.count(),
            "breadcrumbs": questionnaire_crumbs(questionnaire, links),
        },
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
    links = questionnaire_links(questionnaire)
    step = QUESTIONNAIRE_WORKFLOW.transition(name)
    action = services.questionnaire_open if name == "open" else services.questionnaire_close
    return confirm_step(
        request,
        lambda: action(questionnaire=questionnaire, by=request.user, request=request),
        done=f"「{questionnaire.title}」の{step.label}をしました。",
        back_url=links["manage"],
        template="events/questionnaire_confirm.html",
        context=lambda: {
            "nav": "events",
            "questionnaire": questionnaire,
            "step": step,
            "subject": questionnaire.title,
            "button": f"{step.label}をする",
            "danger": name == "close",
            "answer_count": questionnaire.answers.count(),
            "breadcrumbs": questionnaire_crumbs(questionnaire, links, (step.label, None)),
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
