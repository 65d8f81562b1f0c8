"""The answer matrix: one row per organization, one column per answer part."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, QuerySet

from renkei.core.pagination import CountedPaginator
from renkei.core.question_kinds import kind_of
from renkei.core.question_kinds.kinds import CellReader
from renkei.core.question_kinds.results import MatrixColumn
from renkei.directory.models import OrganizationKind
from renkei.inquiries.compilation.data import CompilationData, answers_load
from renkei.inquiries.compilation.respondents import (
    Respondent,
    hidden_positions,
    prefecture_name,
    submitter_respondent,
)
from renkei.inquiries.models import Inquiry, Question

# Rows per matrix page: all 1,788 organizations at 60 questions are over 100,000 cells
# (several MB of HTML); the full table is the export. Thirty rows are a screen or two.
MATRIX_PAGE_SIZE = 30
# Questions per view of the matrix's columns: ten questions' columns fit a laptop screen with
# some sideways scrolling, and sixty do not fit any; the export has them all.
QUESTIONS_PER_VIEW = 10


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


def compilation_matrix(
    data: CompilationData,
    *,
    respondents: Sequence[Respondent] | None = None,
    questions: Sequence[Question] | None = None,
    total_rows: int | None = None,
) -> Matrix:
    """Return the matrix of answers: every respondent and question unless told otherwise.

    `respondents` (e.g. one page of them, see matrix_page) limits the rows; `questions` (e.g.
    one group of them) limits the columns.
    """
    fixed = organization_columns(hide_names=data.hide_names)
    if questions is None:
        questions = data.questions
    per_question = [(q, question_columns(q)) for q in questions]
    columns = fixed + [c for _, cols in per_question for c in cols]
    if respondents is None:
        respondents = data.respondents
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
        columns=columns,
        rows=rows,
        hide_names=data.hide_names,
        total_rows=len(data.respondents) if total_rows is None else total_rows,
    )


@dataclass(frozen=True)
class QuestionGroup:
    """Consecutive questions shown together as one view of the matrix's columns."""

    number: int  # from 1
    questions: list[Question]

    @property
    def label(self) -> str:
        """Return 「Q1〜Q10」 from the first and last question's number (設問番号)."""
        if not self.questions:
            return ""
        first, last = self.questions[0].code, self.questions[-1].code
        return first if first == last else f"{first}〜{last}"


def question_groups(questions: Sequence[Question]) -> list[QuestionGroup]:
    """Split an inquiry's questions into groups of QUESTIONS_PER_VIEW, at least one group."""
    size = QUESTIONS_PER_VIEW
    groups = [
        QuestionGroup(number=n + 1, questions=list(questions[start : start + size]))
        for n, start in enumerate(range(0, len(questions), size))
    ]
    return groups or [QuestionGroup(number=1, questions=[])]


@dataclass
class MatrixPage:
    """One page of the matrix: some organizations' rows, one group of questions' columns."""

    matrix: Matrix
    page: Page
    groups: list[QuestionGroup]
    group: QuestionGroup


def submitter_groups(*, submitters: QuerySet) -> dict[tuple[str, str], int]:
    """Return how many submitters there are by prefecture code ("" without one) and kind.

    One grouped query gives the filter's options, the total and the filtered count.
    """
    rows = (
        submitters.order_by()
        .values_list("organization__prefecture_code", "organization__kind")
        .annotate(count=Count("pk"))
    )
    return {(prefecture or "", kind): count for prefecture, kind, count in rows}


def matrix_filter_options(
    groups: Mapping[tuple[str, str], int],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the prefectures and kinds present among submitter_groups, for the filter form."""
    prefectures = sorted({code for code, _ in groups if code})
    kinds = {kind for _, kind in groups}
    return (
        [(code, prefecture_name(code)) for code in prefectures],
        [(value, label) for value, label in OrganizationKind.choices if value in kinds],
    )


def matrix_page(
    *,
    inquiry: Inquiry,
    questions: list[Question],
    submitters: QuerySet,
    groups: Mapping[tuple[str, str], int],
    hide_names: bool,
    prefecture_code: str,
    kind: str,
    page_number: str | None,
    group_number: str | None,
) -> MatrixPage:
    """Return one page of the matrix, reading that page's organizations and answers only.

    `submitters` is submitter_rows: the database filters, orders and pages it. `groups` is
    its submitter_groups, whose options the filter form checked the prefecture and kind
    against. Hidden labels count over every submitter, not the filtered ones
    (hidden_positions).
    """
    counts = groups
    matching = submitters
    if prefecture_code:
        matching = matching.filter(organization__prefecture_code=prefecture_code)
    if kind:
        matching = matching.filter(organization__kind=kind)
    count = sum(
        number
        for (row_prefecture, row_kind), number in counts.items()
        if (not prefecture_code or row_prefecture == prefecture_code)
        and (not kind or row_kind == kind)
    )
    page = CountedPaginator(matching, MATRIX_PAGE_SIZE, count=count).get_page(page_number)
    rows = list(page.object_list)
    # Only hidden labels are numbered.
    positions = (
        hidden_positions(inquiry=inquiry, answer_ids=[row[0] for row in rows]) if hide_names else {}
    )
    respondents = [
        submitter_respondent(row, index=positions.get(row[0], 0), hide_names=hide_names)
        for row in rows
    ]
    data = CompilationData(
        inquiry=inquiry, questions=questions, respondents=respondents, hide_names=hide_names
    )
    answers_load(data, respondents)
    views = question_groups(questions)
    group = views[0]
    if group_number and group_number.isdigit() and 1 <= int(group_number) <= len(views):
        group = views[int(group_number) - 1]
    matrix = compilation_matrix(
        data, respondents=respondents, questions=group.questions, total_rows=sum(counts.values())
    )
    return MatrixPage(matrix=matrix, page=page, groups=views, group=group)
