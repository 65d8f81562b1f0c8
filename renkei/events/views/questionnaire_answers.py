"""Answering a questionnaire, once: a participant through their own link (no login), a member
a fiscal year's needs questionnaire (研修ニーズ調査)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renkei.core.refusals import refusal_on
from renkei.events import services
from renkei.events.forms import QuestionnaireAnswerForm
from renkei.events.models import Questionnaire, QuestionnaireAnswer, Registration
from renkei.events.permissions import get_needs_questionnaire_for, get_questionnaire_by_token
from renkei.events.selectors import catalogue_title, questionnaire_questions
from renkei.events.views.common import crumbs


def _answer_page(
    request: HttpRequest,
    questionnaire: Questionnaire,
    *,
    registration: Registration | None,
    back_url: str,
    holder_title: str,
) -> HttpResponse:
    """The answer form: a registrant's when `registration` is given, else the user's.

    A member's page sits under the events and the questionnaire's holder (breadcrumbs); a
    registrant's, opened from their own link, stands alone.
    """
    questions = questionnaire_questions(questionnaire)
    answered = QuestionnaireAnswer.objects.filter(
        questionnaire=questionnaire,
        **({"registration": registration} if registration else {"user": request.user}),
    ).exists()
    form = QuestionnaireAnswerForm(
        request.POST if request.method == "POST" else None, questions=questions
    )
    if request.method == "POST" and not answered and form.is_valid():
        with refusal_on(form):
            services.questionnaire_answer(
                questionnaire=questionnaire,
                questions=questions,
                data=form.answer_data,
                registration=registration,
                user=request.user if registration is None else None,
                request=request,
            )
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
            "breadcrumbs": None
            if registration
            else crumbs((holder_title, back_url), (questionnaire.title, None)),
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
