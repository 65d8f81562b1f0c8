"""What every question kind is: the QuestionType base class and its shared helpers."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Protocol

from django import forms

from renkei.core.question_kinds.definitions import Question
from renkei.core.question_kinds.results import (
    DateRange,
    Entry,
    MatrixColumn,
    NumberStats,
    OptionCount,
    Share,
    TableSummary,
)
from renkei.core.question_kinds.values import (
    NUMBER_MAX_LENGTH,
    text,
    value_is_empty,
)


class Answered(Protocol):
    """Whoever answered, as compiling sees them: only their answer data is read."""

    data: dict[str, Any]


CellReader = Callable[[dict[str, Any]], list[Any]]
AddError = Callable[[str, Any], None]


def field_name(question: Any) -> str:
    """Return the answer form's field name of a question ("q12")."""
    return f"q{question.pk}"


def cell_field_name(question: Any, row: int, column: int) -> str:
    """Return the answer form's field name of one cell of a table question."""
    return f"q{question.pk}_r{row}_c{column}"


def short_header(text_: str, limit: int = 40) -> str:
    """Return a one-line prefix of a question's text for a column header."""
    text_ = " ".join(text_.split())
    return text_ if len(text_) <= limit else text_[: limit - 1] + "…"


def too_long(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return "文字列ではありません"
    if len(value) > limit:
        return f"{limit:,}文字を超えています（{len(value):,}文字）"
    return None


def is_stored_number(value: Any) -> bool:
    """Tell whether a stored value is a number the answer form could have saved."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and len(str(value)) <= NUMBER_MAX_LENGTH


@dataclass
class QuestionSummary:
    """One question compiled over the respondents that were asked it."""

    question: Question
    asked: int
    answered: int
    options: list[OptionCount] = field(default_factory=list)
    others: list[Entry] = field(default_factory=list)
    numbers: NumberStats | None = None
    dates: DateRange | None = None
    texts: list[Entry] = field(default_factory=list)
    table: TableSummary | None = None
    files: list[Entry] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        """Return how many respondents were asked but left the question blank."""
        return self.asked - self.answered

    @property
    def is_choice(self) -> bool:
        """Tell whether the question has options to count."""
        # The registry imports this module, so it is looked up when asked.
        from renkei.core.question_kinds.kinds import kind_of

        return kind_of(self.question).choice

    @property
    def answered_share(self) -> Share:
        """Return answered out of asked."""
        return Share(self.answered, self.asked)


# The settings of a question's draft that only some kinds use, and their value when unused.
DRAFT_SETTINGS: dict[str, Any] = {
    "choices": (),
    "allow_other": False,
    "unit": "",
    "table_rows": (),
    "table_columns": (),
}


class QuestionType:
    """What an answer to a question of one kind is; subclassed once per QuestionKind."""

    kind: ClassVar[str]
    # The question form's settings this kind uses (forms.QuestionForm shows only these).
    settings: ClassVar[tuple[str, ...]] = ()
    # Options to choose from: counted in summaries, and usable as a display condition.
    choice: ClassVar[bool] = False
    # Offers 「その他」 with a text box when the question allows it (allow_other).
    has_other: ClassVar[bool] = False
    # The answer is several values (a multiple choice), posted as a list.
    many: ClassVar[bool] = False
    # Files uploaded on the web page; never on the offline sheet, never in the form's data.
    upload: ClassVar[bool] = False
    # How the offline sheet places it: "value" (one cell), "options" (a row per option),
    # "table" (a grid of cells) or "web" (answered on the web only).
    sheet_shape: ClassVar[str] = "value"
    # The height of the question's row on the offline sheet, when taller than a line.
    sheet_row_height: ClassVar[int | None] = None
    # The fields of a question's draft (services.QuestionDraft) this kind keeps; the others
    # in DRAFT_SETTINGS are cleared when the question is stored.
    draft_settings: ClassVar[tuple[str, ...]] = ()

    # --- The question's settings, as its author writes them --------------------------------

    def settings_problem(self, draft: Any) -> tuple[str, str] | None:
        """Return the field to mark, and its message, when the draft's settings do not fit."""
        return None

    def settings_kept(self, draft: Any) -> Any:
        """Return the draft without the settings this kind does not use."""
        cleared = {k: v for k, v in DRAFT_SETTINGS.items() if k not in self.draft_settings}
        return replace(draft, **cleared)

    def options(self, question: Question) -> list[str]:
        """Return the values the question accepts to choose from (none but for choices)."""
        return []

    # --- The answer form ------------------------------------------------------------------

    def label_suffix(self, spec: Any) -> str:
        """Return what follows the question's text in its label (the unit of a number)."""
        return ""

    def form_field(self, spec: Any, common: dict[str, Any]) -> forms.Field:
        """Return the question's answer field, built from a forms.QuestionSpec."""
        raise NotImplementedError

    def form_fields(
        self, spec: Any, common: dict[str, Any], other: forms.Field | None
    ) -> tuple[tuple[str, forms.Field], ...]:
        """Return the question's (name, field) pairs: its field, and その他 when allowed."""
        name = field_name(spec)
        fields = ((name, self.form_field(spec, common)),)
        return fields if other is None else (*fields, (f"{name}_other", other))

    def initial(self, question: Question, value: Any) -> dict[str, Any]:
        """Return the answer form's initial values for a stored value."""
        return {} if value is None else {field_name(question): value}

    def form_value(self, question: Question, cleaned: dict[str, Any], add_error: AddError) -> Any:
        """Return the value to store from the form's cleaned data, or None when empty."""
        value = cleaned.get(field_name(question))
        if isinstance(value, str):
            return value.strip() or None
        return value

    def missing(self, question: Question, value: Any) -> tuple[str, str]:
        """Return the field to mark, and its message, when a required answer is missing."""
        return field_name(question), f"{question.code}：この設問は回答が必須です。"

    # --- Stored values ----------------------------------------------------------------------

    def problem(self, question: Question, value: Any) -> str | None:
        """Return what is wrong with a stored (non-None) value, or None."""
        raise NotImplementedError

    def is_unanswered(self, question: Question, value: Any) -> bool:
        """Tell whether the stored value leaves a required question unanswered."""
        return value_is_empty(value)

    def show(self, row: Any, value: Any, other: Any) -> None:
        """Fill a read-only answer row (selectors.AnswerRow) with the value as shown."""
        row.text = "" if value is None else str(value)

    # --- Compilation and the matrix ---------------------------------------------------------

    def summarize(self, summary: QuestionSummary, asked: Sequence[Answered]) -> None:
        """Compile the answers of the respondents who were asked the question."""
        raise NotImplementedError

    def columns(self, question: Question) -> list[MatrixColumn]:
        """Return the question's columns in the matrix (and the Excel and CSV exports)."""
        head = f"{question.code} {short_header(question.text)}".strip()
        return [MatrixColumn(key=f"q{question.pk}", header=head, question=question, width=24)]

    def cell_reader(self, question: Question, columns: list[MatrixColumn]) -> CellReader:
        """Return a function giving one answer's cells for the question's columns.

        The question is looked at once here, not once per respondent: the matrix of a
        large inquiry reads a hundred thousand values.
        """
        key = str(question.pk)
        return lambda data: [text(data.get(key)) or None]

    # --- The offline answer sheet -----------------------------------------------------------

    def sheet_hint(self, question: Question) -> str:
        """Return how to fill the question in on the offline sheet."""
        return "文章で入力"

    def sheet_cell(self, question: Question, part: str) -> str:
        """Return how an input cell of the sheet is written and checked.

        "list" (a drop-down of the options), "chosen" (○ or blank), "number", "date" or
        "text"; every cell is read back as text into the answer form.
        """
        return "text"


# --- Choices ---------------------------------------------------------------------------------
