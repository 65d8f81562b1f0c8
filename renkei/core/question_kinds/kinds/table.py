"""Table questions (表): rows by columns of text or numbers, compiled cell by cell."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any, overload

from django import forms
from django.core.exceptions import ValidationError

from renkei.core.question_kinds.definitions import Question, QuestionKind
from renkei.core.question_kinds.kinds.base import (
    AddError,
    Answered,
    CellReader,
    QuestionSummary,
    QuestionType,
    cell_field_name,
    is_stored_number,
    too_long,
)
from renkei.core.question_kinds.kinds.number import number_cell
from renkei.core.question_kinds.results import (
    CellKind,
    MatrixColumn,
    TableCellTotal,
    TableSummary,
    exact_sum,
    format_number,
)
from renkei.core.question_kinds.values import (
    TABLE_CELL_MAX_LENGTH,
    number_value,
    parse_number,
    table_value,
    text,
    value_is_empty,
)


def cell_text(value: Any) -> str:
    """Return a table cell's stored value as display text."""
    number = number_value(value) if not isinstance(value, str) else None
    if number is not None:
        return format_number(number, places=6)
    return text(value)


def _cell_numbers(cells: list[Any]) -> list[float | int]:
    """Return the numbers of a table cell's values over the respondents, in order.

    An int is taken as it is; anything else is read as number_value reads it.
    """
    if set(map(type, cells)) <= _INT_OR_NONE:
        # Stored numbers, as the answer form saves whole ones: nothing to read.
        return [cell for cell in cells if cell is not None]
    return [
        number
        for cell in cells
        if (number := cell if type(cell) is int else number_value(cell)) is not None
    ]


_INT_OR_NONE = frozenset({int, type(None)})


def _cell_shown(cell: Any) -> str:
    """Return a table cell's display text."""
    if type(cell) is int:
        # What cell_text makes of an int, without its general checks.
        return f"{cell:,}"
    return "" if cell is None else cell_text(cell)


class TableEntries(Sequence[tuple[Any, list[tuple[str, list[str]]]]]):
    """Each respondent that filled a table in, with their table as cell texts.

    An entry is (respondent, [(row label, [cell text per column])]). Its texts are written
    when the entry is read: the summary page shows ten tables of a text table's hundreds
    and none of a numeric one, while the table is compiled over every respondent.
    """

    def __init__(
        self, respondents: list[Any], values: list[Any], rows: list[str], columns: list[str]
    ) -> None:
        self._respondents = respondents
        self._values = values
        self._rows = rows
        self._columns = columns

    def __len__(self) -> int:
        return len(self._respondents)

    def _entry(self, index: int) -> tuple[Any, list[tuple[str, list[str]]]]:
        value = self._values[index]
        grid = []
        for row in self._rows:
            cells = value.get(row) if isinstance(value, dict) else None
            if not isinstance(cells, dict):
                cells = {}
            grid.append((row, [_cell_shown(cells.get(column)) for column in self._columns]))
        return self._respondents[index], grid

    @overload
    def __getitem__(self, index: int) -> tuple[Any, list[tuple[str, list[str]]]]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, list[tuple[str, list[str]]]]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._entry(i) for i in range(len(self))[index]]
        return self._entry(range(len(self))[index])


def first_empty_cell_index(question: Question, value: Any) -> tuple[int, int]:
    """Return the (row, column) index of a table answer's first empty cell, or (0, 0)."""
    cells = value if isinstance(value, dict) else {}
    for r, row in enumerate(question.table_rows):
        for c, column in enumerate(question.table_columns):
            if (cells.get(row) or {}).get(column) in (None, ""):
                return r, c
    return 0, 0


def _cell_cell(row: Any, column: str) -> Any:
    return row.get(column) if isinstance(row, dict) else None


class TableType(QuestionType):
    """A grid of cells: {"row": {"column": value}}, numbers when table_numeric."""

    kind = QuestionKind.TABLE
    settings = ("table_rows_text", "table_columns_text", "table_numeric")
    draft_settings = ("table_rows", "table_columns")
    sheet_shape = "table"

    def settings_problem(self, draft: Any) -> tuple[str, str] | None:
        if not draft.table_rows:
            return "table_rows", "表の行を1行に1つ入力してください。"
        if not draft.table_columns:
            return "table_columns", "表の列を1行に1つ入力してください。"
        for name, label in (("table_rows", "行"), ("table_columns", "列")):
            items = list(getattr(draft, name))
            duplicates = sorted({item for item in items if items.count(item) > 1})
            if duplicates:
                return name, f"表の{label}が重複しています：{'、'.join(duplicates)}"
        return None

    def form_fields(
        self, spec: Any, common: dict[str, Any], other: forms.Field | None
    ) -> tuple[tuple[str, forms.Field], ...]:
        return tuple(
            (
                cell_field_name(spec, r, c),
                forms.CharField(
                    label=f"{row}・{column}",
                    required=False,
                    max_length=TABLE_CELL_MAX_LENGTH,
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal"} if spec.table_numeric else {}
                    ),
                ),
            )
            for r, row in enumerate(spec.table_rows)
            for c, column in enumerate(spec.table_columns)
        )

    def initial(self, question: Question, value: Any) -> dict[str, Any]:
        initial = {}
        cells = value if isinstance(value, dict) else {}
        for r, row in enumerate(question.table_rows):
            for c, column in enumerate(question.table_columns):
                cell = (cells.get(row) or {}).get(column)
                if cell is not None:
                    initial[cell_field_name(question, r, c)] = (
                        f"{cell:,}" if isinstance(cell, int | float) else cell
                    )
        return initial

    def form_value(self, question: Question, cleaned: dict[str, Any], add_error: AddError) -> Any:
        cells: dict[str, dict[str, Any]] = {}
        for r, row in enumerate(question.table_rows):
            for c, column in enumerate(question.table_columns):
                name = cell_field_name(question, r, c)
                typed = (cleaned.get(name) or "").strip()
                value: Any = None
                if typed and question.table_numeric:
                    try:
                        value = parse_number(typed)
                    except ValidationError:
                        add_error(name, f"「{row}・{column}」は数値で入力してください。")
                elif typed:
                    value = typed
                cells.setdefault(row, {})[column] = value
        return cells if any(v is not None for r in cells.values() for v in r.values()) else None

    def missing(self, question: Question, value: Any) -> tuple[str, str]:
        name = cell_field_name(question, *first_empty_cell_index(question, value))
        return name, f"{question.code}：表のすべての欄に入力してください。"

    def problem(self, question: Question, value: Any) -> str | None:
        if not isinstance(value, dict) or not set(value) <= set(question.table_rows):
            return "表の形式が正しくありません"
        for row, cells in value.items():
            if not isinstance(cells, dict) or not set(cells) <= set(question.table_columns):
                return "表の形式が正しくありません"
            for column, cell in cells.items():
                if cell is None:
                    continue
                if question.table_numeric:
                    if not is_stored_number(cell):
                        return f"「{row}・{column}」が数値ではありません"
                elif (problem := too_long(cell, TABLE_CELL_MAX_LENGTH)) is not None:
                    return f"「{row}・{column}」が{problem}"
        return None

    def is_unanswered(self, question: Question, value: Any) -> bool:
        # Every cell of a required table must be filled.
        return not isinstance(value, dict) or any(
            value_is_empty((value.get(row) or {}).get(column))
            for row in question.table_rows
            for column in question.table_columns
        )

    def show(self, row: Any, value: Any, other: Any) -> None:
        question = row.question
        cells = value if isinstance(value, dict) else {}
        row.table = [
            (r, [_cell_cell(cells.get(r), c) for c in question.table_columns])
            for r in question.table_rows
        ]

    def summarize(self, summary: QuestionSummary, asked: Sequence[Answered]) -> None:
        question = summary.question
        key = str(question.pk)
        rows = [str(r) for r in (question.table_rows or [])]
        columns = [str(c) for c in (question.table_columns or [])]
        numeric = question.table_numeric
        respondents = []
        values = []
        for respondent in asked:
            value = respondent.data.get(key)
            if value is None or value_is_empty(value):
                continue
            respondents.append(respondent)
            values.append(value)
        summary.answered = len(values)
        # Each cell's numbers over the respondents, in their order (none for a text table).
        sums: dict[tuple[str, str], list[float | int]] = {}
        for row in rows:
            lines = [value.get(row) if isinstance(value, dict) else None for value in values]
            lines = [line for line in lines if isinstance(line, dict)] if numeric else []
            for column in columns:
                sums[(row, column)] = _cell_numbers([line.get(column) for line in lines])
        totals = {
            row: {
                column: TableCellTotal(
                    row=row,
                    column=column,
                    total=exact_sum(sums[(row, column)]),
                    count=len(sums[(row, column)]),
                )
                for column in columns
            }
            for row in rows
        }
        summary.table = TableSummary(
            rows=rows,
            columns=columns,
            numeric=numeric,
            totals=totals,
            row_totals={
                row: exact_sum(chain.from_iterable(sums[(row, c)] for c in columns)) for row in rows
            },
            column_totals={
                column: exact_sum(chain.from_iterable(sums[(row, column)] for row in rows))
                for column in columns
            },
            respondents=respondents,
            entries=TableEntries(respondents, values, rows, columns),
        )

    def columns(self, question: Question) -> list[MatrixColumn]:
        key = f"q{question.pk}"
        cell_kind = CellKind.NUMBER if question.table_numeric else CellKind.TEXT
        return [
            MatrixColumn(
                key=f"{key}:r{ri}c{ci}",
                header=f"{question.code} {row}／{column}",
                kind=cell_kind,
                question=question,
                part=("cell", str(row), str(column)),
                width=12 if question.table_numeric else 20,
            )
            for ri, row in enumerate(question.table_rows or [])
            for ci, column in enumerate(question.table_columns or [])
        ]

    def cell_reader(self, question: Question, columns: list[MatrixColumn]) -> CellReader:
        key = str(question.pk)
        cells = [(c.part[1], c.part[2]) for c in columns]
        read = number_cell if question.table_numeric else (lambda v: text(v) or None)

        def table(data: dict[str, Any]) -> list[Any]:
            value = data.get(key)
            if not isinstance(value, dict):
                return [None] * len(cells)
            return [read(table_value(value, row, column)) for row, column in cells]

        return table

    def sheet_hint(self, question: Question) -> str:
        return "下の表に数値を入力" if question.table_numeric else "下の表に入力"

    def sheet_cell(self, question: Question, part: str) -> str:
        return "number" if question.table_numeric else "text"


# --- Files -----------------------------------------------------------------------------------
