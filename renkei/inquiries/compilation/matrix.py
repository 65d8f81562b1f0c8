"""The answer matrix: one row per organization, one column per answer part."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from renkei.core.question_kinds import kind_of
from renkei.core.question_kinds.kinds import CellReader
from renkei.core.question_kinds.results import MatrixColumn
from renkei.directory.models import OrganizationKind
from renkei.inquiries.compilation.data import CompilationData
from renkei.inquiries.compilation.respondents import Respondent, prefecture_name
from renkei.inquiries.models import Question


@dataclass(frozen=True)
class MatrixRow:
    """One organization's line of the matrix."""

    respondent: Respondent
    cells: list[Any]


@dataclass
class Matrix:
    """One row per organization, one column per question or sub-field."""

    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    hide_names: bool
    total_rows: int  # before filtering

    @property
    def fixed_count(self) -> int:
        """Return how many leading columns describe the organization (frozen in Excel)."""
        return sum(1 for c in self.columns if c.question is None)

    @property
    def header(self) -> list[str]:
        """Return the header line."""
        return [c.header for c in self.columns]

    def lines(self) -> Iterator[list[Any]]:
        """Yield each row's cells, organization fields first."""
        for row in self.rows:
            yield row.cells


def question_columns(question: Question) -> list[MatrixColumn]:
    """Return the matrix columns of one question."""
    return kind_of(question).columns(question)


def organization_columns(*, hide_names: bool) -> list[MatrixColumn]:
    """Return the leading columns that describe the organization."""
    columns = [
        MatrixColumn(key="code", header="団体コード", part=("code",), width=10),
        MatrixColumn(key="prefecture", header="都道府県", part=("prefecture",), width=10),
        MatrixColumn(key="name", header="団体名", part=("name",), width=18),
        MatrixColumn(key="kind", header="種別", part=("kind",), width=10),
        MatrixColumn(key="answer_kind", header="回答区分", part=("answer_kind",), width=10),
    ]
    if hide_names:
        # The code identifies the organization as surely as its name.
        columns = columns[1:]
    return columns


def cell_reader(question: Question, columns: list[MatrixColumn]) -> CellReader:
    """Return a function giving one organization's cells for a question's columns."""
    return kind_of(question).cell_reader(question, columns)


def organization_cell(respondent: Respondent, column: MatrixColumn) -> Any:
    """Return the value of one of the leading organization columns for a respondent."""
    part = column.part[0]
    if part == "code":
        return respondent.code or None
    if part == "prefecture":
        return respondent.prefecture if respondent.prefecture_code else None
    if part == "name":
        return respondent.name
    if part == "kind":
        return respondent.kind_label
    return respondent.answer_kind_label


def matrix_respondents(
    data: CompilationData, *, prefecture_code: str = "", kind: str = ""
) -> list[Respondent]:
    """Return the matrix's respondents in order, optionally of one prefecture or kind."""
    return [
        r
        for r in data.respondents
        if (not prefecture_code or r.prefecture_code == prefecture_code)
        and (not kind or r.kind == kind)
    ]


def compilation_matrix(
    data: CompilationData,
    *,
    prefecture_code: str = "",
    kind: str = "",
    respondents: Sequence[Respondent] | None = None,
) -> Matrix:
    """Return the matrix of answers, optionally for one prefecture or organization kind.

    `respondents` (already filtered, e.g. one page of them) replaces the filters.
    """
    fixed = organization_columns(hide_names=data.hide_names)
    per_question = [(q, question_columns(q)) for q in data.questions]
    columns = fixed + [c for _, cols in per_question for c in cols]
    if respondents is None:
        respondents = matrix_respondents(data, prefecture_code=prefecture_code, kind=kind)
    readers = [(q.pk, [None] * len(cols), cell_reader(q, cols)) for q, cols in per_question]
    rows = []
    for respondent in respondents:
        cells = [organization_cell(respondent, c) for c in fixed]
        shown = respondent.shown if respondent.answered else frozenset()
        values = respondent.data
        for pk, blank, read in readers:
            cells.extend(read(values) if pk in shown else blank)
        rows.append(MatrixRow(respondent=respondent, cells=cells))
    return Matrix(
        columns=columns, rows=rows, hide_names=data.hide_names, total_rows=len(data.respondents)
    )


def matrix_filter_options(
    data: CompilationData,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the prefectures and kinds present among respondents, for the filter form."""
    prefectures = sorted({r.prefecture_code for r in data.respondents if r.prefecture_code})
    kinds = {r.kind for r in data.respondents}
    return (
        [(code, prefecture_name(code)) for code in prefectures],
        [(value, label) for value, label in OrganizationKind.choices if value in kinds],
    )
