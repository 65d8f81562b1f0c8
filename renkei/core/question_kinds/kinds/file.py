"""File questions (ファイル添付): the names of files attached on the web page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from renkei.core.question_kinds.definitions import Question, QuestionKind
from renkei.core.question_kinds.kinds.base import (
    Answered,
    CellReader,
    QuestionSummary,
    QuestionType,
)
from renkei.core.question_kinds.results import (
    Entry,
    MatrixColumn,
)
from renkei.core.question_kinds.values import (
    file_names,
)


class FileType(QuestionType):
    """Files attached on the web page: [{"id": AnswerFile id, "name": "file name"}]."""

    kind = QuestionKind.FILE
    upload = True
    sheet_shape = "web"

    def form_field(self, spec: Any, common: dict[str, Any]) -> forms.Field:
        return forms.FileField(**common)

    def initial(self, question: Question, value: Any) -> dict[str, Any]:
        return {}

    def problem(self, question: Question, value: Any) -> str | None:
        ok = isinstance(value, list) and all(isinstance(item, dict) for item in value)
        return None if ok else "添付ファイルの形式が正しくありません"

    def show(self, row: Any, value: Any, other: Any) -> None:
        row.files = [item for item in value or [] if isinstance(item, dict) and "id" in item]

    def summarize(self, summary: QuestionSummary, asked: Sequence[Answered]) -> None:
        key = str(summary.question.pk)
        for respondent in asked:
            names = file_names(respondent.data.get(key))
            if names:
                summary.files.append(Entry(respondent=respondent, text=names))
        summary.answered = len(summary.files)

    def cell_reader(self, question: Question, columns: list[MatrixColumn]) -> CellReader:
        key = str(question.pk)
        return lambda data: [file_names(data.get(key)) or None]

    def sheet_hint(self, question: Question) -> str:
        return "ファイルはWeb画面で添付してください"
