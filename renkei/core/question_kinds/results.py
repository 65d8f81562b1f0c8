"""What compiling a question gives: shares, statistics, table totals and matrix columns."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from renkei.core.numbers import format_number, format_percent, format_share
from renkei.core.question_kinds.definitions import Question


def exact_sum(values: Iterable[float | int]) -> float | int:
    """Sum numbers exactly for integers and with fsum for the rest."""
    values = list(values)
    # The types, not every value, are checked: a table's totals add thousands of cells.
    if all(issubclass(kind, int) for kind in set(map(type, values))):
        return sum(values)
    total = math.fsum(values)
    return int(total) if total.is_integer() else total


@dataclass(frozen=True)
class Share:
    """A count out of a total, written the way councils report it."""

    count: int
    total: int
    # What is counted: organizations for inquiries; a questionnaire answered by people says 名.
    unit: str = "団体"

    @property
    def percent(self) -> float | None:
        """Return the share in percent, or None when nobody was asked."""
        return self.count * 100 / self.total if self.total else None

    @property
    def percent_text(self) -> str:
        """Return the percentage with one decimal ("36.8%")."""
        return format_percent(self.count, self.total)

    @property
    def label(self) -> str:
        """Return 「19団体中7団体（36.8%）」."""
        return format_share(self.count, self.total, unit=self.unit)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Entry:
    """A text written by one respondent (an organization, or a person in a questionnaire)."""

    respondent: Any
    text: str


@dataclass(frozen=True)
class OptionCount:
    """How many respondents chose one option."""

    label: str
    share: Share
    is_other: bool = False
    # An option that is not (or no longer) among the question's choices.
    unlisted: bool = False


@dataclass(frozen=True)
class NumberStats:
    """Statistics of a number question."""

    count: int
    mean: float
    median: float
    minimum: float
    maximum: float
    total: float

    def formatted(self) -> dict[str, str]:
        """Return each statistic formatted for display."""
        return {
            "count": f"{self.count:,}",
            "mean": format_number(self.mean),
            "median": format_number(self.median),
            "minimum": format_number(self.minimum),
            "maximum": format_number(self.maximum),
            "total": format_number(self.total),
        }


@dataclass(frozen=True)
class DateRange:
    """Earliest and latest answer to a date question."""

    count: int
    earliest: dt.date
    latest: dt.date


@dataclass(frozen=True)
class TableCellTotal:
    """The sum of one cell of a numeric table over every respondent."""

    row: str
    column: str
    total: float | int
    count: int


@dataclass(frozen=True)
class TableSummary:
    """A table question compiled: sums per cell when numeric, each respondent's table."""

    rows: list[str]
    columns: list[str]
    numeric: bool
    # totals[row][column] for numeric tables.
    totals: dict[str, dict[str, TableCellTotal]]
    row_totals: dict[str, float | int]
    column_totals: dict[str, float | int]
    # The respondents that filled the table in, in order.
    respondents: list[Any]
    # (respondent, [(row label, [cell text per column])]) for each of them; a sequence that
    # writes a respondent's cell texts when that entry is read (pages show a few).
    entries: Sequence[tuple[Any, list[tuple[str, list[str]]]]]

    def grid(self) -> list[tuple[str, list[TableCellTotal], float | int]]:
        """Return (row label, cells, row total) in order, for display."""
        return [
            (row, [self.totals[row][c] for c in self.columns], self.row_totals[row])
            for row in self.rows
        ]

    @property
    def grand_total(self) -> float | int:
        """Return the sum of every cell."""
        return exact_sum(self.row_totals.values())


class CellKind:
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    FLAG = "flag"


@dataclass(frozen=True)
class MatrixColumn:
    """One column of the matrix: a respondent field, a question or a sub-field of one."""

    key: str
    header: str
    kind: str = CellKind.TEXT
    question: Question | None = None
    # What part of the question's value this column shows: ("value",), ("option", label),
    # ("other",), ("cell", row, column).
    part: tuple[str, ...] = ("value",)
    width: int = 16

    @property
    def is_numeric(self) -> bool:
        """Tell whether the column holds numbers (sums and right alignment apply)."""
        return self.kind in (CellKind.NUMBER, CellKind.FLAG)
