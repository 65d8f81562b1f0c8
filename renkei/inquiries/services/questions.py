"""An inquiry's questions: validate, create, update, delete and move them."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.core.question_kinds import KINDS, kind_of
from renkei.inquiries.lifecycle import DRAFTING
from renkei.inquiries.models import (
    Inquiry,
    Question,
)
from renkei.inquiries.selectors.questions import inquiry_questions
from renkei.inquiries.services.common import change_record, draft_values, status_require
from renkei.inquiries.services.errors import InquiryError


@dataclass(frozen=True)
class QuestionDraft:
    """One question as its author wrote it: kind, text and the settings of its kind.

    `code` empty means the next free 「Q<n>」 for a new question, the current code for an
    edited one. Settings that do not apply to the kind are dropped when it is stored.
    """

    kind: str
    text: str
    code: str = ""
    help_text: str = ""
    required: bool = True
    choices: Sequence[str] = ()
    allow_other: bool = False
    unit: str = ""
    table_rows: Sequence[str] = ()
    table_columns: Sequence[str] = ()
    table_numeric: bool = True
    condition_question: Question | None = None
    condition_value: str = ""


# Kinds whose answer may decide a display condition.
CONDITION_KINDS = tuple(kind for kind, t in KINDS.items() if t.choice)


def question_validate(
    *, inquiry: Inquiry, draft: QuestionDraft, question: Question | None = None
) -> None:
    """Refuse a question whose settings do not fit its kind."""
    if draft.kind not in KINDS:
        raise InquiryError("設問の形式を選んでください。", field="kind")
    if not draft.text.strip():
        raise InquiryError("設問文を入力してください。", field="text")
    problem = KINDS[draft.kind].settings_problem(draft)
    if problem is not None:
        field, message = problem
        raise InquiryError(message, field=field)
    controller = draft.condition_question
    if controller is not None:
        if controller.inquiry_id != inquiry.pk:
            raise InquiryError("表示条件の設問が正しくありません。", field="condition_question")
        if question is not None and controller.pk == question.pk:
            raise InquiryError("設問自身を表示条件にはできません。", field="condition_question")
        if question is not None and controller.position >= question.position:
            raise InquiryError(
                "表示条件には、この設問より前の設問を選んでください。", field="condition_question"
            )
        if not kind_of(controller).choice:
            raise InquiryError(
                "表示条件に使えるのは選択式・はい／いいえの設問です。", field="condition_question"
            )
        value = draft.condition_value.strip()
        if value not in controller.options:
            options = "、".join(controller.options)
            raise InquiryError(
                f"表示条件の回答は「{controller.code}」の選択肢（{options}）から選んでください。",
                field="condition_value",
            )


def _question_values(draft: QuestionDraft) -> dict[str, Any]:
    """Return the model fields of a draft, without settings that do not apply to its kind."""
    draft = KINDS[draft.kind].settings_kept(draft)
    if draft.condition_question is None:
        draft = replace(draft, condition_value="")
    values = draft_values(draft)
    del values["code"]
    for name in ("choices", "table_rows", "table_columns"):
        values[name] = list(values[name])  # stored as JSON lists
    values["condition_value"] = values["condition_value"].strip()
    return values


def _next_code(inquiry: Inquiry) -> str:
    codes = set(inquiry.questions.values_list("code", flat=True))
    number = len(codes) + 1
    while f"Q{number}" in codes:
        number += 1
    return f"Q{number}"


def _questions_editable_check(inquiry: Inquiry) -> None:
    """Refuse a change to the questions once the inquiry has started."""
    status_require(inquiry, DRAFTING, "開始済みの照会の設問は変更できません。")


def _code_free_check(inquiry: Inquiry, code: str, *, question: Question | None = None) -> None:
    """Refuse a question code another question of the inquiry already has."""
    others = inquiry.questions.filter(code=code)
    if question is not None:
        others = others.exclude(pk=question.pk)
    if others.exists():
        raise InquiryError(f"設問番号「{code}」はすでに使われています。", field="code")


def _question_record(
    action: str, *, question: Question, by: User, request: HttpRequest | None, **detail: Any
) -> None:
    """Record a change to a question under its inquiry."""
    change_record(
        action, by=by, target=question, request=request, inquiry=question.inquiry_id, **detail
    )


def question_create(
    *, inquiry: Inquiry, by: User, draft: QuestionDraft, request: HttpRequest | None = None
) -> Question:
    """Add a question at the end of the inquiry."""
    _questions_editable_check(inquiry)
    position = (inquiry.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    probe = Question(inquiry=inquiry, position=position)
    question_validate(inquiry=inquiry, draft=draft, question=probe)
    code = draft.code.strip() or _next_code(inquiry)
    _code_free_check(inquiry, code)
    with transaction.atomic():
        question = Question.objects.create(
            inquiry=inquiry, position=position, code=code, **_question_values(draft)
        )
        _question_record(Action.CREATED, question=question, by=by, request=request)
    return question


def question_update(
    *, question: Question, by: User, draft: QuestionDraft, request: HttpRequest | None = None
) -> Question:
    """Change a question of an inquiry that has not started."""
    inquiry = question.inquiry
    _questions_editable_check(inquiry)
    question_validate(inquiry=inquiry, draft=draft, question=question)
    code = draft.code.strip() or question.code
    _code_free_check(inquiry, code, question=question)
    for name, value in _question_values(draft).items():
        setattr(question, name, value)
    question.code = code
    with transaction.atomic():
        question.save()
        # A dependent whose expected value no longer exists would never be shown.
        cleared = []
        for dependent in question.dependents.all():
            if dependent.condition_value not in question.options:
                dependent.condition_question = None
                dependent.condition_value = ""
                dependent.save(update_fields=["condition_question", "condition_value"])
                cleared.append(dependent.code)
        _question_record(
            Action.CHANGED, question=question, by=by, request=request, conditions_cleared=cleared
        )
    return question


def question_delete(*, question: Question, by: User, request: HttpRequest | None = None) -> None:
    """Remove a question; questions shown only under it lose their condition."""
    _questions_editable_check(question.inquiry)
    with transaction.atomic():
        _question_record(Action.DELETED, question=question, by=by, request=request)
        question.dependents.update(condition_question=None, condition_value="")
        question.delete()


def question_move(
    *, question: Question, by: User, up: bool, request: HttpRequest | None = None
) -> None:
    """Swap a question with its neighbour; a condition may not end up below its dependent."""
    inquiry = question.inquiry
    _questions_editable_check(inquiry)
    questions = inquiry_questions(inquiry)
    for number, item in enumerate(questions, start=1):
        item.position = number
    index = next(i for i, item in enumerate(questions) if item.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(questions):
        return
    first, second = sorted((questions[index], questions[other_index]), key=lambda q: q.position)
    if second.condition_question_id == first.pk:
        raise InquiryError(
            f"「{second.code}」は「{first.code}」の回答で表示が決まるため、前に移動できません。"
        )
    questions[index].position, questions[other_index].position = (
        questions[other_index].position,
        questions[index].position,
    )
    with transaction.atomic():
        Question.objects.bulk_update(questions, ["position"])
        _question_record(
            Action.CHANGED,
            question=question,
            by=by,
            request=request,
            moved="up" if up else "down",
            position=questions[index].position,
        )
