"""Number questions (数値): a number with its unit, summed and averaged."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from renkei.core.question_kinds.definitions import Question, QuestionKind
from renkei.core.question_kinds.kinds.base import (
    AddError,
    Answered,
    CellReader,
    QuestionSummary,
    QuestionType,
    field_name,
    is_stored_number,
    short_header,
)
from renkei.core.question_kinds.results import (
    CellKind,
    MatrixColumn,
    NumberStats,
    exact_sum,
)
from renkei.core.question_kinds.values import (
    NUMBER_MAX_LENGTH,
    number_value,
    parse_number,
    text,
)

_NUMBER_OR_NONE = frozenset({int, float, type(None)})


def _numbers(values: list[Any]) -> list[float | int]:
    """Return the values that number_value reads as numbers, in order."""
    if set(map(type, values)) <= _NUMBER_OR_NONE:
        # Stored numbers, as the answer form saves them: only the checks number_value makes.
        return [v for v in values if v is not None and math.isfinite(v)]
    return [n for v in values if (n := number_value(v)) is not None]


def number_cell(value: Any) -> Any:
    """Return a stored number as a matrix cell: the number, or its text when unreadable."""
    number = number_value(value)
    return number if number is not None else (text(value) or None)


def _number_text(value: Any, unit: str) -> str:
    if value is None or value == "":
        return ""
    shown = f"{value:,}" if isinstance(value, int | float) else str(value)
    return f"{shown} {unit}".strip()


class NumberType(QuestionType):
    kind = QuestionKind.NUMBER
    settings = ("unit",)
    draft_settings = ("unit",)

    def label_suffix(self, spec: Any) -> str:
        return f"（単位：{spec.unit}）" if spec.unit else ""

    def form_field(self, spec: Any, common: dict[str, Any]) -> forms.Field:
        return forms.CharField(
            max_length=NUMBER_MAX_LENGTH,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )

    def initial(self, question: Question, value: Any) -> dict[str, Any]:
        if value is None:
            return {}
        return {field_name(question): f"{value:,}" if isinstance(value, int | float) else value}

    def form_value(self, question: Question, cleaned: dict[str, Any], add_error: AddError) -> Any:
        name = field_name(question)
        typed = (cleaned.get(name) or "").strip()
        if not typed:
            return None
        if question.unit and typed.endswith(question.unit):
            typed = typed[: -len(question.unit)]
        try:
            return parse_number(typed)
        except ValidationError as error:
            add_error(name, error)
            return None

    def problem(self, question: Question, value: Any) -> str | None:
        return None if is_stored_number(value) else "数値ではないか、桁数が多すぎます"

    def show(self, row: Any, value: Any, other: Any) -> None:
        row.text = _number_text(value, row.question.unit)

    def summarize(self, summary: QuestionSummary, asked: Sequence[Answered]) -> None:
        key = str(summary.question.pk)
        numbers = _numbers([r.data.get(key) for r in asked])
        summary.answered = len(numbers)
        if numbers:
            summary.numbers = NumberStats(
                count=len(numbers),
                mean=statistics.fmean(numbers),
                median=statistics.median(numbers),
                minimum=min(numbers),
                maximum=max(numbers),
                total=exact_sum(numbers),
            )

    def columns(self, question: Question) -> list[MatrixColumn]:
        head = f"{question.code} {short_header(question.text)}".strip()
        unit = f"（{question.unit}）" if question.unit else ""
        return [
            MatrixColumn(
                key=f"q{question.pk}",
                header=f"{head}{unit}",
                kind=CellKind.NUMBER,
                question=question,
                width=12,
            )
        ]

    def cell_reader(self, question: Question, columns: list[MatrixColumn]) -> CellReader:
        key = str(question.pk)
        return lambda data: [number_cell(data.get(key))]

    def sheet_hint(self, question: Question) -> str:
        return f"数値（単位：{question.unit}）" if question.unit else "数値"

    def sheet_cell(self, question: Question, part: str) -> str:
        return "number"
