"""One class per question kind: everything an answer value of that kind is and does.

Each class holds, for its kind: the settings the question form shows, the answer form's
fields and how their input becomes a stored value (and back, as the form's initial
values), what a stored value may be, when it counts as unanswered, how it reads on a
read-only page, how it is compiled (summary), its columns and cells in the matrix (and so
in the Excel and CSV exports), and its cells on the offline answer sheet. Callers look a
kind up with `kind_of(question)` and never branch on QuestionKind themselves.

Nothing here depends on who answers: an answer is its data dict, and the respondents
being compiled are any objects with a `data` attribute (an organization's submitted
answer today, a person's questionnaire answer later), kept opaque in the results.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any, ClassVar, Protocol

from django import forms
from django.core.exceptions import ValidationError

from renkei.core.forms import WarekiDateField
from renkei.core.question_kinds.definitions import NO, OTHER_CHOICE, YES, Question, QuestionKind
from renkei.core.question_kinds.results import (
    CellKind,
    DateRange,
    Entry,
    MatrixColumn,
    NumberStats,
    OptionCount,
    Share,
    TableCellTotal,
    TableSummary,
    exact_sum,
    format_number,
)
from renkei.core.question_kinds.values import (
    LONG_TEXT_MAX_LENGTH,
    NUMBER_MAX_LENGTH,
    OTHER_LABEL,
    SHORT_TEXT_MAX_LENGTH,
    TABLE_CELL_MAX_LENGTH,
    choice_values,
    date_value,
    file_names,
    number_value,
    parse_number,
    table_value,
    text,
    value_is_empty,
)
from renkei.core.wareki import format_date


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


def _choice_keys(values: list[Any], others: list[Any]) -> list[Any] | None:
    """Return one key per answer that equals another only when choice_values reads both
    alike (texts and lists of texts, with a text or no その他), or None for other values."""
    if not set(map(type, others)) <= _TEXT_OR_NONE:
        return None
    kinds = set(map(type, values))
    if kinds <= _TEXT_OR_NONE:
        return list(zip(values, others, strict=True))
    if not kinds <= _TEXT_LIST_OR_NONE:
        return None
    items = chain.from_iterable(value for value in values if type(value) is list)
    if not set(map(type, items)) <= _TEXT:
        return None
    return [
        (tuple(value) if type(value) is list else value, other)
        for value, other in zip(values, others, strict=True)
    ]


_TEXT = frozenset({str})
_TEXT_OR_NONE = frozenset({str, type(None)})
_TEXT_LIST_OR_NONE = frozenset({str, list, type(None)})


def option_labels(question: Question) -> list[str]:
    """Return the options of a choice question in order, その他 last when it is allowed."""
    labels = [str(c) for c in question.options]
    # A question whose own choices include その他 must not count it twice.
    return list(dict.fromkeys(labels))


def _other_column(question: Question, header: str) -> MatrixColumn:
    """Return the matrix column of a choice question's 「その他」 text."""
    return MatrixColumn(
        key=f"q{question.pk}:other", header=header, question=question, part=("other",), width=24
    )


def _choices_problem(draft: Any) -> tuple[str, str] | None:
    """Return what is wrong with the options an author wrote, or None."""
    choices = list(draft.choices)
    if len(choices) + (1 if draft.allow_other else 0) < 2:
        return "choices", "選択式の設問には選択肢を2つ以上（1行に1つ）入力してください。"
    duplicates = sorted({c for c in choices if choices.count(c) > 1})
    if duplicates:
        return "choices", f"選択肢が重複しています：{'、'.join(duplicates)}"
    if draft.allow_other and OTHER_CHOICE in choices:
        return (
            "choices",
            "「その他（自由記述）」を設ける場合は、選択肢に「その他」を入れないでください。",
        )
    return None


class ChoiceType(QuestionType):
    """A choice among options: one text (single, yes/no) or a list of them (multiple)."""

    choice = True

    def options(self, question: Question) -> list[str]:
        """Return the question's choices, 「その他」 last when the kind offers it and it is allowed."""
        choices = list(question.choices)
        return [*choices, OTHER_CHOICE] if self.has_other and question.allow_other else choices

    def problem(self, question: Question, value: Any) -> str | None:
        ok = isinstance(value, str) and value in question.options
        return None if ok else "選択肢にない値です"

    def form_field(self, spec: Any, common: dict[str, Any]) -> forms.Field:
        options = [(option, option) for option in spec.options]
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)

    def show(self, row: Any, value: Any, other: Any) -> None:
        row.text = "" if value is None else str(value)

    def summarize(self, summary: QuestionSummary, asked: Sequence[Answered]) -> None:
        question = summary.question
        key, other_key = str(question.pk), f"{question.pk}_other"
        listed = option_labels(question)
        values = [r.data.get(key) for r in asked]
        others = [r.data.get(other_key) for r in asked]
        keys = _choice_keys(values, others)
        # Most respondents give one of a few answers: each distinct answer is read once.
        if keys is None:
            readings = [choice_values(question, v, o) for v, o in zip(values, others, strict=True)]
            tally = Counter(range(len(readings)))
        else:
            tally = Counter(keys)
            distinct = {
                k: choice_values(question, list(k[0]) if type(k[0]) is tuple else k[0], k[1])
                for k in tally
            }
            readings = None
        counts: Counter[str] = Counter()
        unlisted: list[str] = []
        # Distinct answers in the order they first occur, so 選択肢外 labels keep that order.
        for tally_key, number in tally.items():
            chosen, _ = readings[tally_key] if readings is not None else distinct[tally_key]
            if not chosen:
                continue
            summary.answered += number
            for label in chosen:
                counts[label] += number
                if label not in listed and label not in unlisted:
                    unlisted.append(label)
        # その他 texts, in the respondents' order.
        if readings is not None:
            summary.others.extend(
                Entry(respondent=r, text=other)
                for r, (chosen, other) in zip(asked, readings, strict=True)
                if chosen and other
            )
        elif any(other for _, other in distinct.values()):
            summary.others.extend(
                Entry(respondent=r, text=distinct[k][1])
                for r, k in zip(asked, keys, strict=True)
                if distinct[k][0] and distinct[k][1]
            )
        total = summary.asked
        summary.options = [
            OptionCount(
                label=label,
                share=Share(counts[label], total),
                is_other=question.allow_other and label == OTHER_LABEL,
            )
            for label in listed
        ] + [
            OptionCount(label=label, share=Share(counts[label], total), unlisted=True)
            for label in unlisted
        ]

    def columns(self, question: Question) -> list[MatrixColumn]:
        head = f"{question.code} {short_header(question.text)}".strip()
        key = f"q{question.pk}"
        columns = [MatrixColumn(key=key, header=head, question=question, width=20)]
        if self.has_other and question.allow_other:
            columns.append(_other_column(question, f"{question.code} {OTHER_LABEL}（内容）"))
        return columns

    def cell_reader(self, question: Question, columns: list[MatrixColumn]) -> CellReader:
        key, other_key = str(question.pk), f"{question.pk}_other"
        with_other = len(columns) > 1

        def single(data: dict[str, Any]) -> list[Any]:
            chosen, other = choice_values(question, data.get(key), data.get(other_key))
            if with_other:
                return ["、".join(chosen) or None, other or None]
            return ["、".join(chosen) or None]

        return single

    def sheet_hint(self, question: Question) -> str:
        return "一覧から選択"

    def sheet_cell(self, question: Question, part: str) -> str:
        return "list" if part == "value" else "text"


class SingleType(ChoiceType):
    kind = QuestionKind.SINGLE
    settings = ("choices_text", "allow_other")
    draft_settings = ("choices", "allow_other")
    has_other = True

    def settings_problem(self, draft: Any) -> tuple[str, str] | None:
        return _choices_problem(draft)

    def show(self, row: Any, value: Any, other: Any) -> None:
        row.text = f"{value}（{other}）" if value == OTHER_CHOICE and other else value or ""


class YesNoType(ChoiceType):
    kind = QuestionKind.YES_NO

    def options(self, question: Question) -> list[str]:
        """Return はい and いいえ."""
        return [YES, NO]


class MultipleType(ChoiceType):
    kind = QuestionKind.MULTIPLE
    settings = ("choices_text", "allow_other")
    draft_settings = ("choices", "allow_other")
    has_other = True
    many = True
    sheet_shape = "options"

    def settings_problem(self, draft: Any) -> tuple[str, str] | None:
        return _choices_problem(draft)

    def problem(self, question: Question, value: Any) -> str | None:
        if not isinstance(value, list) or len(set(map(str, value))) != len(value):
            return "選択の形式が正しくありません"
        options = question.options
        return None if all(item in options for item in value) else "選択肢にない値があります"

    def form_field(self, spec: Any, common: dict[str, Any]) -> forms.Field:
        options = [(option, option) for option in spec.options]
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )

    def form_value(self, question: Question, cleaned: dict[str, Any], add_error: AddError) -> Any:
        # In the options' order, whatever order the client sent them in.
        chosen = set(cleaned.get(field_name(question)) or [])
        return [option for option in question.options if option in chosen] or None

    def show(self, row: Any, value: Any, other: Any) -> None:
        values = value if isinstance(value, list) else [value] if value else []
        items = [
            f"{item}（{other}）" if item == OTHER_CHOICE and other else str(item) for item in values
        ]
        row.text = "、".join(items)

    def columns(self, question: Question) -> list[MatrixColumn]:
        key = f"q{question.pk}"
        columns = [
            MatrixColumn(
                key=f"{key}:o{i}",
                header=f"{question.code} {label}",
                kind=CellKind.FLAG,
                question=question,
                part=("option", label),
                width=max(8, min(24, len(label) * 2 + 4)),
            )
            for i, label in enumerate(c for c in option_labels(question) if c != OTHER_LABEL)
        ]
        if question.allow_other:
            columns.append(_other_column(question, f"{question.code} {OTHER_LABEL}"))
        return columns

    def cell_reader(self, question: Question, columns: list[MatrixColumn]) -> CellReader:
        key, other_key = str(question.pk), f"{question.pk}_other"
        parts = [c.part for c in columns]

        def multiple(data: dict[str, Any]) -> list[Any]:
            chosen, other = choice_values(question, data.get(key), data.get(other_key))
            return [
                (other or (OTHER_LABEL if OTHER_LABEL in chosen else None))
                if part[0] == "other"
                else (1 if part[1] in chosen else None)
                for part in parts
            ]

        return multiple

    def sheet_hint(self, question: Question) -> str:
        return "該当するものに「○」"

    def sheet_cell(self, question: Question, part: str) -> str:
        return "chosen" if part == "option" else "text"


# --- Numbers and dates -----------------------------------------------------------------------

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


def cell_text(value: Any) -> str:
    """Return a table cell's stored value as display text."""
    number = number_value(value) if not isinstance(value, str) else None
    if number is not None:
        return format_number(number, places=6)
    return text(value)


def _table_cell(value: Any, numeric: bool) -> tuple[float | int | None, str]:
    """Return a table cell's number (for the sums of a numeric table) and display text."""
    if type(value) is int:
        # What number_value and cell_text make of an int, without their general checks.
        return (value if numeric else None), f"{value:,}"
    if value is None:
        return None, ""
    number = number_value(value) if numeric else None
    return number, cell_text(value)


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
        sums: dict[tuple[str, str], list[float | int]] = {
            (row, column): [] for row in rows for column in columns
        }
        # Each row's columns with the list their numbers are summed in, looked up once.
        lines = [(row, [(column, sums[(row, column)]) for column in columns]) for row in rows]
        entries = []
        for respondent in asked:
            value = respondent.data.get(key)
            if value is None or value_is_empty(value):
                continue
            summary.answered += 1
            grid = []
            is_table = isinstance(value, dict)
            for row, buckets in lines:
                cells = value.get(row) if is_table else None
                if not isinstance(cells, dict):
                    cells = {}
                line = []
                for column, bucket in buckets:
                    cell = cells.get(column)
                    if type(cell) is int:
                        # What number_value and cell_text make of an int, without their checks.
                        if numeric:
                            bucket.append(cell)
                        line.append(f"{cell:,}")
                    elif cell is None:
                        line.append("")
                    else:
                        number, shown = _table_cell(cell, numeric)
                        if number is not None:
                            bucket.append(number)
                        line.append(shown)
                grid.append((row, line))
            entries.append((respondent, grid))
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
            row_totals={row: exact_sum(v for c in columns for v in sums[(row, c)]) for row in rows},
            column_totals={
                column: exact_sum(v for row in rows for v in sums[(row, column)])
                for column in columns
            },
            entries=entries,
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


# --- The registry ----------------------------------------------------------------------------

KINDS: dict[str, QuestionType] = {
    kind_type.kind: kind_type()
    for kind_type in (
        SingleType,
        MultipleType,
        YesNoType,
        NumberType,
        DateType,
        ShortTextType,
        LongTextType,
        TableType,
        FileType,
    )
}
assert set(KINDS) == set(QuestionKind.values), "every QuestionKind needs its class"


def kind_of(question: Question | Any) -> QuestionType:
    """Return the class instance that defines answers to the question's kind."""
    return KINDS[question.kind]


def question_summary_of(question: Question, asked: Sequence[Answered]) -> QuestionSummary:
    """Compile one question over the respondents who were asked it."""
    summary = QuestionSummary(question=question, asked=len(asked), answered=0)
    kind_of(question).summarize(summary, asked)
    return summary
