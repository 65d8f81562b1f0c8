"""One class per question kind: everything an answer value of that kind is and does.

Each class holds, for its kind: the settings the question form shows, the answer form's
fields and how their input becomes a stored value (and back, as the form's initial
values), what a stored value may be, when it counts as unanswered, how it reads on a
read-only page, how it is compiled (summary), its columns and cells in the matrix (and so
in the Excel and CSV exports), and its cells on the offline answer sheet. Callers look a
kind up with `kind_of(question)` and never branch on QuestionKind themselves.

Nothing here depends on who answers: an answer is its data dict, and the respondents
being compiled are any objects with a `data` attribute (an organization's submitted
answer today, a person's questionnaire answer later), kept opaque in the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from renkei.core.question_kinds.definitions import Question, QuestionKind
from renkei.core.question_kinds.kinds.base import (
    Answered,
    CellReader,
    QuestionSummary,
    QuestionType,
    cell_field_name,
    field_name,
    is_stored_number,
    short_header,
    too_long,
)
from renkei.core.question_kinds.kinds.choice import (
    ChoiceType,
    MultipleType,
    SingleType,
    YesNoType,
    option_labels,
)
from renkei.core.question_kinds.kinds.date import DateType
from renkei.core.question_kinds.kinds.file import FileType
from renkei.core.question_kinds.kinds.number import NumberType, number_cell
from renkei.core.question_kinds.kinds.table import TableType, cell_text, first_empty_cell_index
from renkei.core.question_kinds.kinds.text import LongTextType, ShortTextType, TextType

__all__ = [
    "KINDS",
    "Answered",
    "CellReader",
    "ChoiceType",
    "DateType",
    "FileType",
    "LongTextType",
    "MultipleType",
    "NumberType",
    "QuestionSummary",
    "QuestionType",
    "ShortTextType",
    "SingleType",
    "TableType",
    "TextType",
    "YesNoType",
    "cell_field_name",
    "cell_text",
    "field_name",
    "first_empty_cell_index",
    "is_stored_number",
    "kind_of",
    "number_cell",
    "option_labels",
    "question_summary_of",
    "short_header",
    "too_long",
]

# --- The registry ----------------------------------------------------------------------------

KINDS: dict[str, QuestionType] = {
    kind_type.kind: kind_type()
    for kind_type in (
        SingleType,
        MultipleType,
        YesNoType,
        NumberType,
        DateType,
        ShortTextType,
        LongTextType,
        TableType,
        FileType,
    )
}
assert set(KINDS) == set(QuestionKind.values), "every QuestionKind needs its class"


def kind_of(question: Question | Any) -> QuestionType:
    """Return the class instance that defines answers to the question's kind."""
    return KINDS[question.kind]


def question_summary_of(question: Question, asked: Sequence[Answered]) -> QuestionSummary:
    """Compile one question over the respondents who were asked it."""
    summary = QuestionSummary(question=question, asked=len(asked), answered=0)
    kind_of(question).summarize(summary, asked)
    return summary
