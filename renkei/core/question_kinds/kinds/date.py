"""Date questions (日付): a date, read and shown in the Japanese era."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from renkei.core.forms import WarekiDateField
from renkei.core.question_kinds.definitions import Question, QuestionKind
from renkei.core.question_kinds.kinds.base import (
    AddError,
    Answered,
    CellReader,
    QuestionSummary,
    QuestionType,
    field_name,
    short_header,
)
from renkei.core.question_kinds.results import (
    CellKind,
    DateRange,
    MatrixColumn,
)
from renkei.core.question_kinds.values import (
    date_value,
    text,
)
from renkei.core.wareki import format_date


class DateType(QuestionType):
    kind = QuestionKind.DATE

    def form_field(self, spec: Any, common: dict[str, Any]) -> forms.Field:
        return WarekiDateField(**common)

    def initial(self, question: Question, value: Any) -> dict[str, Any]:
        return {field_name(question): dt.date.fromisoformat(value)} if value else {}

    def form_value(self, question: Question, cleaned: dict[str, Any], add_error: AddError) -> Any:
        value = cleaned.get(field_name(question))
        return value.isoformat() if value else None

    def problem(self, question: Question, value: Any) -> str | None:
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return None
        return "日付ではありません"

    def show(self, row: Any, value: Any, other: Any) -> None:
        if not value:
            row.text = "" if value is None else str(value)
            return
        try:
            row.text = format_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            row.text = str(value)

    def summarize(self, summary: QuestionSummary, asked: Sequence[Answered]) -> None:
        key = str(summary.question.pk)
        read: dict[str, dt.date | None] = {}
        dates = []
        for respondent in asked:
            value = respondent.data.get(key)
            if type(value) is str:
                # Many respondents give the same day: each distinct text is parsed once.
                if value not in read:
                    read[value] = date_value(value)
                day = read[value]
            else:
                day = date_value(value)
            if day is not None:
                dates.append(day)
        summary.answered = len(dates)
        if dates:
            summary.dates = DateRange(count=len(dates), earliest=min(dates), latest=max(dates))

    def columns(self, question: Question) -> list[MatrixColumn]:
        head = f"{question.code} {short_header(question.text)}".strip()
        return [
            MatrixColumn(
                key=f"q{question.pk}", header=head, kind=CellKind.DATE, question=question, width=17
            )
        ]

    def cell_reader(self, question: Question, columns: list[MatrixColumn]) -> CellReader:
        key = str(question.pk)
        return lambda data: [date_value(data.get(key)) or (text(data.get(key)) or None)]

    def sheet_hint(self, question: Question) -> str:
        return "日付（例：2026/4/1）"

    def sheet_cell(self, question: Question, part: str) -> str:
        return "date"


# --- Texts -----------------------------------------------------------------------------------
