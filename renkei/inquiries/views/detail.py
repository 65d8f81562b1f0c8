"""An inquiry's page and the preview of its answer form."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renkei.core.markdown import markdown_html
from renkei.directory.permissions import organization_id_of
from renkei.inquiries.forms.answering import AnswerForm
from renkei.inquiries.models import (
    Answer,
    InquiryStatus,
    Question,
    QuestionKind,
)
from renkei.inquiries.permissions import (
    can_follow,
    can_manage,
    can_request,
    can_view_results,
    get_inquiry_and_target_for,
    get_inquiry_managed_for,
    is_requester,
)
from renkei.inquiries.selectors.answers import answer_status_label
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.selectors.targets import targets_text
from renkei.inquiries.views.answering import question_blocks
from renkei.inquiries.views.common import crumbs, inquiry_crumbs, url_if_exists
from renkei.inquiries.views.progress import mailings_context


@require_GET
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an inquiry: purpose, documents, deadline, status and the user's part in it."""
    user = request.user
    inquiry, targeted = get_inquiry_and_target_for(user, pk)
    my_answer = None
    if targeted:
        my_answer = (
            Answer.objects.filter(inquiry=inquiry, organization_id=organization_id_of(user))
            .select_related("updated_by", "submitted_by")
            # The page says how far the answer is, not what it says.
            .defer("data")
            .first()
        )
    managing = can_manage(user, inquiry)
    following = can_follow(user, inquiry)
    results_allowed = can_view_results(user, inquiry)
    show_questions = managing or following or targeted or results_allowed
    questions = inquiry_questions(inquiry) if show_questions else []
    return render(
        request,
        "inquiries/detail.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "purpose_html": markdown_html(inquiry.purpose),
            "attachments": inquiry.attachments.all(),
            "questions": _question_lines(questions),
            "targeted": targeted,
            "my_answer": my_answer,
            "my_status_label": answer_status_label(my_answer) if targeted else "",
            "can_manage": managing,
            "can_follow": following,
            "is_requester": is_requester(user, inquiry),
            "can_view_results": results_allowed,
            "can_copy": can_request(user),
            "targets": targets_text(inquiry=inquiry, count=inquiry.targets.count()),
            **(mailings_context(inquiry) if managing or following else {}),
            "accepting": inquiry.status == InquiryStatus.OPEN,
            "results_url": url_if_exists("inquiries:compilation", inquiry),
            "breadcrumbs": crumbs((inquiry.title, None)),
        },
    )


def _question_lines(questions: list[Question]) -> list[dict[str, Any]]:
    """Return what the inquiry page says of each question, as plain values.

    Dictionaries, which the template engine reads at the first try: an inquiry of 60
    questions read through its objects (and get_kind_display) was most of the page.
    """
    kinds = dict(QuestionKind.choices)
    lines = []
    for question in questions:
        controller = question.condition_question
        lines.append(
            {
                "code": question.code,
                "text": question.text,
                "kind": kinds.get(question.kind, question.kind),
                "required": question.required,
                "unit": question.unit,
                "condition": (
                    f"{controller.code}で「{question.condition_value}」と回答した場合のみ"
                    if controller is not None
                    else ""
                ),
                "options": "／".join(question.options),
                "table": (
                    f"行：{'／'.join(question.table_rows or [])}"
                    f"　列：{'／'.join(question.table_columns or [])}"
                    if question.kind == QuestionKind.TABLE
                    else ""
                ),
            }
        )
    return lines


@require_GET
def inquiry_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the answer form as target organizations will see it; nothing can be saved."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    questions = inquiry_questions(inquiry)
    # An unsaved answer: the form needs one, and a preview must not create a row.
    answer = Answer(inquiry=inquiry, organization=inquiry.requester)
    form = AnswerForm(questions=questions, answer=answer)
    for field in form.fields.values():
        field.disabled = True
    return render(
        request,
        "inquiries/preview.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "blocks": question_blocks(form, questions),
            "breadcrumbs": inquiry_crumbs(inquiry, ("回答画面のプレビュー", None)),
        },
    )
