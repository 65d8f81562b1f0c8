"""Text questions: a short text (短文) or a long one (長文)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms

from renkei.core.question_kinds.definitions import Question, QuestionKind
from renkei.core.question_kinds.kinds.base import (
    Answered,
    QuestionSummary,
    QuestionType,
    short_header,
    too_long,
)
from renkei.core.question_kinds.results import (
    Entry,
    MatrixColumn,
)
from renkei.core.question_kinds.values import (
    LONG_TEXT_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
    text,
)


class TextType(QuestionType):
    max_length: ClassVar[int]
    matrix_width: ClassVar[int] = 24

    def problem(self, question: Question, value: Any) -> str | None:
        return too_long(value, self.max_length)

    def summarize(self, summary: QuestionSummary, asked: Sequence[Answered]) -> None:
        key = str(summary.question.pk)
        for respondent in asked:
            value = respondent.data.get(key)
            if value is None:
                continue
            written = value.strip() if type(value) is str else text(value)
            if written:
                summary.texts.append(Entry(respondent=respondent, text=written))
        summary.answered = len(summary.texts)

    def columns(self, question: Question) -> list[MatrixColumn]:
        head = f"{question.code} {short_header(question.text)}".strip()
        return [
            MatrixColumn(
                key=f"q{question.pk}", header=head, question=question, width=self.matrix_width
            )
        ]


class ShortTextType(TextType):
    kind = QuestionKind.SHORT_TEXT
    max_length = SHORT_TEXT_MAX_LENGTH

    def form_field(self, spec: Any, common: dict[str, Any]) -> forms.Field:
        return forms.CharField(max_length=SHORT_TEXT_MAX_LENGTH, **common)


class LongTextType(TextType):
    kind = QuestionKind.LONG_TEXT
    max_length = LONG_TEXT_MAX_LENGTH
    matrix_width = 40
    sheet_row_height = 90

    def form_field(self, spec: Any, common: dict[str, Any]) -> forms.Field:
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 5}), max_length=LONG_TEXT_MAX_LENGTH, **common
        )


# --- Tables ----------------------------------------------------------------------------------
