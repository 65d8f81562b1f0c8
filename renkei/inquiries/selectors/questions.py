"""An inquiry's questions, cached, and what an answer says of each of them."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches

from renkei.core.question_kinds import hidden_question_ids, kind_of, value_is_empty
from renkei.inquiries.lifecycle import STARTED
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Inquiry,
    Question,
)

# The relation of a question to its inquiry, whose cached instance inquiry_questions sets.
_QUESTION_INQUIRY = Question._meta.get_field("inquiry")


def inquiry_questions(inquiry: Inquiry) -> list[Question]:
    """Return the questions of an inquiry in order, each with its condition's question.

    A condition always names a question of the same inquiry (services.question_validate),
    so it is taken from the list itself rather than joined in again for every question:
    the answer form reads all of them on every save.

    Once an inquiry has started its questions are fixed (the services refuse changes and
    the admin shows them read-only), so each process keeps them in its local cache, keyed
    by the inquiry's last change; the cache hands every caller its own copies.
    """
    key = None
    if inquiry.status in STARTED and inquiry.pk and inquiry.updated_at:
        key = f"inquiry-questions:{inquiry.pk}:{inquiry.updated_at.timestamp()}"
        kept = caches["local"].get(key)
        if kept is not None:
            for question in kept:
                # The copies are kept without their inquiry: they share the caller's.
                _QUESTION_INQUIRY.set_cached_value(question, inquiry)
            return kept
    questions = list(inquiry.questions.order_by("position", "id"))
    by_id = {question.pk: question for question in questions}
    for question in questions:
        controller = by_id.get(question.condition_question_id)
        if controller is not None:
            question.condition_question = controller
    if key is not None:
        # Keep no copy of the inquiry: it changes (deadline, status) while its questions do not.
        for question in questions:
            _QUESTION_INQUIRY.delete_cached_value(question)
        caches["local"].set(key, questions, timeout=3600)
        for question in questions:
            _QUESTION_INQUIRY.set_cached_value(question, inquiry)
    return questions


def missing_required(questions: Iterable[Question], data: dict[str, Any]) -> list[Question]:
    """Return the required, shown questions that have no answer."""
    questions = list(questions)
    hidden = hidden_question_ids(questions, data)
    missing = []
    for question in questions:
        if question.id in hidden or not question.required:
            continue
        value = data.get(str(question.id))
        empty = kind_of(question).is_unanswered(question, value)
        if not empty and OTHER_CHOICE in (value if isinstance(value, list) else [value]):
            empty = question.allow_other and value_is_empty(data.get(f"{question.id}_other"))
        if empty:
            missing.append(question)
    return missing


@dataclass
class AnswerRow:
    """One question with its answer, ready to show read-only."""

    question: Question
    text: str
    table: list[tuple[str, list[Any]]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)


def answer_rows(questions: Iterable[Question], data: dict[str, Any]) -> list[AnswerRow]:
    """Return each shown question with its answer as text, for read-only pages."""
    questions = list(questions)
    hidden = hidden_question_ids(questions, data)
    rows = []
    for question in questions:
        if question.id in hidden:
            continue
        row = AnswerRow(question=question, text="")
        kind_of(question).show(
            row, data.get(str(question.id)), data.get(f"{question.id}_other", "")
        )
        rows.append(row)
    return rows
