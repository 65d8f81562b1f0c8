"""The question editor: list, add, edit, delete and move an inquiry's questions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.inquiries import services
from renkei.inquiries.forms.questions import FIELD_OF_SETTING, QuestionForm
from renkei.inquiries.models import Inquiry, Question
from renkei.inquiries.permissions import (
    get_inquiry_managed_for,
    get_managed_question_for,
)
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.views.common import inquiry_crumbs

# The button (and htmx request) that redraws the question form for another kind, unsaved.
QUESTION_REDRAW = "refresh"


def _in_list(question: Question) -> str:
    """Return the URL of the question list scrolled to the question."""
    return reverse("inquiries:questions", args=[question.inquiry_id]) + f"#question-{question.pk}"


@require_http_methods(["GET", "POST"])
def question_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the questions with the form to add one."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    form, done = _question_form_step(request=request, inquiry=inquiry)
    if done is not None:
        return done
    return render(
        request,
        "inquiries/questions.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "questions": inquiry_questions(inquiry),
            "form": form,
            "breadcrumbs": inquiry_crumbs(inquiry, ("設問", None)),
        },
    )


def _question_form_step(
    *, request: HttpRequest, inquiry: Inquiry, question: Question | None = None
) -> tuple[QuestionForm, HttpResponse | None]:
    """Redraw the question form for another kind, or add or change the question; else show it.

    Returns the form to show and, when the request is answered already, the response.
    """
    form = QuestionForm(request.POST or None, inquiry=inquiry, question=question)
    if QUESTION_REDRAW in request.POST:
        if _settings_already_shown(request):
            return form, HttpResponse(status=204)
        return form.redrawn(), None
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, aliases=FIELD_OF_SETTING):
            if question is None:
                question = services.question_create(
                    inquiry=inquiry, by=request.user, draft=form.draft(), request=request
                )
                done = "追加しました"
            else:
                services.question_update(
                    question=question, by=request.user, draft=form.draft(), request=request
                )
                done = "保存しました"
            messages.success(request, f"設問「{question.code}」を{done}。")
            return form, redirect(_in_list(question))
    return form, None


def _settings_already_shown(request: HttpRequest) -> bool:
    """Tell whether htmx asks to redraw the settings of the kind the page already shows.

    A change event without a new kind would otherwise swap in a copy of the settings taken
    before the user's latest typing, and lose it.
    """
    posted = request.POST
    return bool(request.headers.get("HX-Request")) and posted.get("settings_kind") == posted.get(
        "kind"
    )


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Change one question."""
    question = get_managed_question_for(request.user, pk, question_pk)
    inquiry = question.inquiry
    form, done = _question_form_step(request=request, inquiry=inquiry, question=question)
    if done is not None:
        return done
    return render(
        request,
        "inquiries/question_form.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "question": question,
            "form": form,
            "breadcrumbs": inquiry_crumbs(
                inquiry,
                ("設問", reverse("inquiries:questions", args=[inquiry.pk])),
                (question.code, None),
            ),
        },
    )


@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Remove one question."""
    question = get_managed_question_for(request.user, pk, question_pk)
    inquiry = question.inquiry
    with refusal_flashed(request):
        services.question_delete(question=question, by=request.user, request=request)
        messages.success(request, f"設問「{question.code}」を削除しました。")
    return redirect("inquiries:questions", pk=inquiry.pk)


@require_POST
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Move a question up or down."""
    question = get_managed_question_for(request.user, pk, question_pk)
    with refusal_flashed(request):
        services.question_move(
            question=question,
            by=request.user,
            up=request.POST.get("direction") == "up",
            request=request,
        )
    return redirect(_in_list(question))
