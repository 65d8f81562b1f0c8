"""Questionnaires (アンケート): after an event and a fiscal year's needs; their questions and answers."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.question_kinds import kind_of
from renkei.core.question_kinds.definitions import OTHER_CHOICE, QuestionKind
from renkei.directory.models import Person
from renkei.events.lifecycle import QUESTIONNAIRE_WORKFLOW
from renkei.events.models import (
    QUESTIONNAIRE_KINDS,
    Event,
    EventStatus,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireKind,
    QuestionnaireQuestion,
    QuestionnaireStatus,
    Registration,
    RegistrationStatus,
)
from renkei.events.services.common import EventError, _audit, _rows_replace
from renkei.workflow.transitions import refused_as

# The fiscal years a training catalogue (研修計画) may be asked about: the council's own span.
FISCAL_YEARS_PLANNED = (2000, 2100)


def planned_year_check(fiscal_year: int) -> None:
    """Refuse a fiscal year no training catalogue can have."""
    if not FISCAL_YEARS_PLANNED[0] <= fiscal_year <= FISCAL_YEARS_PLANNED[1]:
        raise EventError("年度が正しくありません。")


@dataclass(frozen=True)
class QuestionDraft:
    """One question as the secretariat types it; its kind is one of the registry's."""

    text: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    allow_other: bool = False
    unit: str = ""


def questionnaire_create(
    *,
    event: Event,
    by: User,
    title: str,
    description: str = "",
    request: HttpRequest | None = None,
) -> Questionnaire:
    """Write an event's post-event questionnaire (準備中 until its questions are ready)."""
    if event.status == EventStatus.CANCELLED:
        raise EventError("中止した催しにはアンケートを作成できません。")
    return _questionnaire_write(
        fields={"event": event, "kind": QuestionnaireKind.POST_EVENT},
        by=by,
        title=title,
        description=description,
        request=request,
    )


def needs_questionnaire_create(
    *,
    fiscal_year: int,
    by: User,
    title: str,
    description: str = "",
    request: HttpRequest | None = None,
) -> Questionnaire:
    """Write a fiscal year's needs questionnaire (研修ニーズ調査) of its training catalogue."""
    planned_year_check(fiscal_year)
    return _questionnaire_write(
        fields={"fiscal_year": fiscal_year, "kind": QuestionnaireKind.NEEDS},
        by=by,
        title=title,
        description=description,
        request=request,
    )


def _questionnaire_write(
    *,
    fields: dict[str, Any],
    by: User,
    title: str,
    description: str,
    request: HttpRequest | None,
) -> Questionnaire:
    if not title.strip():
        raise EventError("名称を入力してください。", field="title")
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            **fields, title=title.strip(), description=description.strip(), created_by=by
        )
        _audit(
            by=by,
            target=questionnaire,
            request=request,
            event="questionnaire_created",
            kind=questionnaire.kind,
            fiscal_year=questionnaire.fiscal_year,
        )
    return questionnaire


def _question_problem(number: int, draft: QuestionDraft) -> str | None:
    if draft.kind not in dict(QUESTIONNAIRE_KINDS):
        return f"Q{number}：形式を選んでください。"
    if draft.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = [c for c in draft.choices if c.strip()]
        if len(choices) < 2:
            return f"Q{number}：選択肢を2つ以上、1行に1つずつ入力してください。"
        if len(set(choices)) != len(choices):
            return f"Q{number}：同じ選択肢が重複しています。"
        if OTHER_CHOICE in choices and draft.allow_other:
            return f"Q{number}：「その他」は「その他を加える」で追加されます。選択肢から除いてください。"
    return None


def questions_set(
    *,
    questionnaire: Questionnaire,
    by: User,
    questions: Sequence[QuestionDraft],
    request: HttpRequest | None = None,
) -> list[QuestionnaireQuestion]:
    """Replace the questions of a questionnaire not yet opened (Q1, Q2, … in this order)."""
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise EventError("回答受付を始めたアンケートの設問は変更できません。")
    rows = [q for q in questions if q.text.strip()]
    for number, row in enumerate(rows, start=1):
        if problem := _question_problem(number, row):
            raise EventError(problem)
    choice_kinds = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    return _rows_replace(
        old=questionnaire.questions.all(),
        new=[
            QuestionnaireQuestion(
                questionnaire=questionnaire,
                position=number,
                code=f"Q{number}",
                kind=row.kind,
                text=row.text.strip(),
                required=row.required,
                choices=[c.strip() for c in row.choices if c.strip()]
                if row.kind in choice_kinds
                else [],
                allow_other=row.allow_other and row.kind in choice_kinds,
                unit=row.unit.strip() if row.kind == QuestionKind.NUMBER else "",
            )
            for number, row in enumerate(rows, start=1)
        ],
        by=by,
        target=questionnaire,
        request=request,
        detail={"event": "questionnaire_questions", "questions": len(rows)},
    )


def questionnaire_open(
    *, questionnaire: Questionnaire, by: User, request: HttpRequest | None = None
) -> Questionnaire:
    """Start taking answers: the questions are fixed from now on."""
    if not questionnaire.questions.exists():
        raise EventError("設問を1つ以上作成してから回答受付を始めてください。")
    return _questionnaire_transition(
        questionnaire=questionnaire, name="open", stamp="opened_at", by=by, request=request
    )


def questionnaire_close(
    *, questionnaire: Questionnaire, by: User, request: HttpRequest | None = None
) -> Questionnaire:
    """Stop taking answers; the results stay."""
    return _questionnaire_transition(
        questionnaire=questionnaire, name="close", stamp="closed_at", by=by, request=request
    )


def _questionnaire_transition(
    *,
    questionnaire: Questionnaire,
    name: str,
    stamp: str,
    by: User,
    request: HttpRequest | None,
) -> Questionnaire:
    """Apply a step of the questionnaire's workflow, stamping when it happened."""
    with refused_as(EventError):
        return QUESTIONNAIRE_WORKFLOW.apply(
            instance=questionnaire,
            name=name,
            by=by,
            changes={stamp: timezone.now()},
            request=request,
        )


def questionnaire_answer(
    *,
    questionnaire: Questionnaire,
    questions: Sequence[QuestionnaireQuestion],
    data: dict[str, Any],
    registration: Registration | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> QuestionnaireAnswer:
    """Record one person's answer: a participant's (事後) or a member's (ニーズ); once each."""
    if questionnaire.status != QuestionnaireStatus.OPEN:
        raise EventError("このアンケートは現在回答を受け付けていません。")
    if questionnaire.kind == QuestionnaireKind.POST_EVENT:
        if registration is None or registration.event_id != questionnaire.event_id:
            raise EventError("このアンケートは催しの参加者のみが回答できます。")
        if registration.status != RegistrationStatus.CONFIRMED:
            raise EventError("参加が確定した方のみ回答できます。")
        name, organization_name = registration.name, registration.organization_name
    else:
        if user is None or not user.is_authenticated:
            raise EventError("このアンケートには会員としてログインして回答してください。")
        person = Person.objects.select_related("organization").filter(user=user).first()
        name = person.name if person else user.get_full_name() or user.get_username()
        organization_name = person.organization.name if person and person.organization else ""
        registration = None
    for question in questions:
        value = data.get(str(question.pk))
        kind = kind_of(question)
        if kind.is_unanswered(question, value):
            if question.required:
                raise EventError(kind.missing(question, value)[1])
            continue
        if problem := kind.problem(question, value):
            raise EventError(f"{question.code}：{problem}")
    try:
        with transaction.atomic():
            answer = QuestionnaireAnswer.objects.create(
                questionnaire=questionnaire,
                registration=registration,
                user=user if user is not None and user.is_authenticated else None,
                name=name,
                organization_name=organization_name,
                data=data,
            )
            audit_record(
                action=Action.CHANGED,
                actor=user,
                actor_username="" if user is not None else f"registration:{registration.pk}",
                target=answer,
                request=request,
                detail={"event": "questionnaire_answered", "questionnaire": questionnaire.pk},
            )
    except IntegrityError as error:
        raise EventError("このアンケートにはすでに回答いただいています。") from error
    return answer
