"""The rules a stored answer's values follow, whatever way they came in.

The answer form (forms.AnswerForm) builds its fields from the question-kind registry
(question_kinds), and the offline sheet is read through that same form; services check
the stored data again with `answer_data_problems` before an answer is confirmed or
submitted, so data that reached the database some other way cannot be sent on. What each
kind's value may be is its class's `problem` (question_kinds.kinds).
"""

from typing import Any

from renkei.core.question_kinds import KINDS
from renkei.core.question_kinds.kinds import too_long
from renkei.core.question_kinds.values import (
    LONG_TEXT_MAX_LENGTH,
    NUMBER_MAX_LENGTH,
    OTHER_TEXT_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
    TABLE_CELL_MAX_LENGTH,
)
from renkei.inquiries.models import OTHER_CHOICE, Question

__all__ = [
    "LONG_TEXT_MAX_LENGTH",
    "NUMBER_MAX_LENGTH",
    "OTHER_TEXT_MAX_LENGTH",
    "SHORT_TEXT_MAX_LENGTH",
    "TABLE_CELL_MAX_LENGTH",
    "answer_data_problems",
]


def _value_problem(question: Question, value: Any) -> str | None:
    """Return what is wrong with one question's stored value, or None."""
    kind = KINDS.get(question.kind)
    return "未知の形式の設問です" if kind is None else kind.problem(question, value)


def answer_data_problems(*, questions: list[Question], data: dict[str, Any]) -> list[str]:
    """Return a message for each stored value that the answer form would not have accepted."""
    problems = []
    for question in questions:
        value = data.get(str(question.pk))
        if value is not None and (problem := _value_problem(question, value)) is not None:
            problems.append(f"{question.code}：{problem}")
        other = data.get(f"{question.pk}_other")
        if other is None:
            continue
        chosen = value if isinstance(value, list) else [value]
        if not question.allow_other or OTHER_CHOICE not in chosen:
            problems.append(f"{question.code}：「{OTHER_CHOICE}」を選んでいないのに内容があります")
        elif (problem := too_long(other, OTHER_TEXT_MAX_LENGTH)) is not None:
            problems.append(f"{question.code}：「{OTHER_CHOICE}」の内容が{problem}")
    return problems
