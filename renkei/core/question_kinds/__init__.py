"""The question-kind registry: what an answer value of each QuestionKind is, defined once.

`kind_of(question)` returns the one object that knows, for the question's kind, its form
fields, parsing, emptiness, read-only text, summary, matrix columns and cells (which the
Excel and CSV exports write) and offline-sheet cells; see kinds.QuestionType and
docs/architecture.md ("Question-kind registry"). `values` reads stored values and holds the
display-condition rule; `results` the shapes compiling gives.
"""

from renkei.core.question_kinds.kinds import (
    KINDS,
    QuestionSummary,
    QuestionType,
    cell_field_name,
    field_name,
    kind_of,
    option_labels,
    question_summary_of,
)
from renkei.core.question_kinds.values import (
    DisplayConditions,
    hidden_question_ids,
    shown_question_ids,
    value_is_empty,
)

__all__ = [
    "KINDS",
    "DisplayConditions",
    "QuestionSummary",
    "QuestionType",
    "cell_field_name",
    "field_name",
    "hidden_question_ids",
    "kind_of",
    "option_labels",
    "question_summary_of",
    "shown_question_ids",
    "value_is_empty",
]
