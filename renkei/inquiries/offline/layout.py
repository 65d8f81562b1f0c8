"""The answer sheet's shape: its sheets, rows and input cells, and what it is signed with."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from xlsxwriter.utility import xl_rowcol_to_cell

from renkei.core.errors import ServiceError
from renkei.core.question_kinds import cell_field_name, kind_of
from renkei.inquiries.forms.answering import question_field_name
from renkei.inquiries.models import (
    OTHER_CHOICE,
    Question,
)

SALT = "renkei.inquiries.offline.sheet"
# Bumped when what a sheet carries changes; an older sheet is refused with a clear message.
SHEET_VERSION = 2


ANSWER_SHEET = "回答"
LISTS_SHEET = "選択肢"
META_SHEET = "renkei"
KEY_HEADER = "設問キー"
CHOSEN = "○"
# What people type for "chosen" when they do not use the drop-down.
CHOSEN_MARKS = frozenset({"○", "◯", "〇", "●", "o", "O", "1", "✓", "✔", "レ"})
FIRST_QUESTION_ROW = 8  # 0-based row of the first question, under the header row
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OfflineSheetError(ServiceError):
    """An uploaded sheet that cannot be used; `errors` are shown to the user as they are."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class InputCell:
    """A cell the organization fills in, and what part of which question it answers."""

    row: int  # 0-based
    col: int  # 0-based
    question: Question
    # ("value",), ("option", label), ("other",), ("cell", row label, column label)
    part: tuple[str, ...]
    field: str = ""  # the answer form's field this cell is read into

    @property
    def ref(self) -> str:
        """Return the cell's A1 reference ("B9")."""
        return xl_rowcol_to_cell(self.row, self.col)


@dataclass(frozen=True)
class LabelRow:
    """A row of text beside the inputs: a question, an option or a table's header."""

    row: int
    cells: tuple[str, ...]
    question: Question | None = None
    heading: bool = False
    # Written in a hidden column of the row, so that an inserted, deleted or moved row is
    # found on upload rather than read into the wrong question.
    key: str = ""


@dataclass
class Layout:
    """Where every question of an inquiry goes on the answer sheet."""

    labels: list[LabelRow] = field(default_factory=list)
    inputs: list[InputCell] = field(default_factory=list)

    @property
    def last_row(self) -> int:
        """Return the 0-based index of the sheet's last question row."""
        return max((label.row for label in self.labels), default=FIRST_QUESTION_ROW)

    @property
    def key_col(self) -> int:
        """Return the 0-based index of the hidden column that names each row's question."""
        used = [len(label.cells) - 1 for label in self.labels] + [i.col for i in self.inputs]
        return max([3, *used]) + 1

    def fingerprint(self) -> str:
        """Return a digest of the layout; a sheet made for another layout is refused."""
        shape = [(i.row, i.col, i.question.pk, i.question.kind, list(i.part)) for i in self.inputs]
        return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()[:32]


def _condition_note(question: Question, by_id: dict[int, Question]) -> str:
    parent = by_id.get(question.condition_question_id or 0)
    if parent is None:
        return ""
    return f"{parent.code}で「{question.condition_value}」と回答した場合のみ"


def sheet_layout(questions: Iterable[Question]) -> Layout:
    """Place each question on the sheet: a row per question, rows per option or table row."""
    questions = list(questions)
    by_id = {q.pk: q for q in questions}
    layout = Layout()
    row = FIRST_QUESTION_ROW

    def label(
        *cells: str, question: Question | None = None, heading: bool = False, key: str
    ) -> None:
        layout.labels.append(
            LabelRow(row=row, cells=cells, question=question, heading=heading, key=key)
        )

    for question in questions:
        code = question.code
        name = question_field_name(question)
        title = f"{question.code} {question.text}".strip()
        kind = kind_of(question)
        required = "必須" if question.required and not kind.upload else ""
        hint = kind.sheet_hint(question)
        note = "　".join(x for x in (hint, _condition_note(question, by_id)) if x)
        shape = kind.sheet_shape
        if shape == "value":
            label(title, "", required, note, question=question, heading=True, key=code)
            layout.inputs.append(InputCell(row, 1, question, ("value",), name))
            row += 1
        elif shape == "options":
            label(title, "", required, note, question=question, heading=True, key=code)
            row += 1
            for option in question.options:
                label(f"　・{option}", question=question, key=f"{code}・{option}")
                layout.inputs.append(InputCell(row, 1, question, ("option", option), name))
                row += 1
        elif shape == "table":
            label(title, "", required, note, question=question, heading=True, key=code)
            row += 1
            columns = [str(c) for c in question.table_columns]
            label("", *columns, question=question, key=f"{code}・表の列")
            row += 1
            for r, table_row in enumerate(question.table_rows):
                label(f"　{table_row}", question=question, key=f"{code}・{table_row}")
                for c, column in enumerate(question.table_columns):
                    layout.inputs.append(
                        InputCell(
                            row,
                            1 + c,
                            question,
                            ("cell", str(table_row), str(column)),
                            cell_field_name(question, r, c),
                        )
                    )
                row += 1
        else:  # file: answered on the web only
            label(
                title,
                "（Web画面で添付）",
                required,
                note,
                question=question,
                heading=True,
                key=code,
            )
            row += 1
        if question.allow_other and kind.has_other:
            label(
                f"　{OTHER_CHOICE}の内容",
                "",
                "",
                f"「{OTHER_CHOICE}」を選んだ場合に入力",
                key=f"{code}・{OTHER_CHOICE}の内容",
            )
            layout.inputs.append(InputCell(row, 1, question, ("other",), f"{name}_other"))
            row += 1
    return layout
