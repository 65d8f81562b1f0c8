"""Choice questions: one of several (単一選択, はい・いいえ) or several of several (複数選択)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain
from typing import Any

from django import forms

from renkei.core.question_kinds.definitions import NO, OTHER_CHOICE, YES, Question, QuestionKind
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
    Entry,
    MatrixColumn,
    OptionCount,
    Share,
)
from renkei.core.question_kinds.values import (
    OTHER_LABEL,
    choice_values,
)


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
