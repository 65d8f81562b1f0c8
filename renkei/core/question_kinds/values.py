"""Reading stored answer values, and the display-condition rule; shared by every kind.

An answer's data is {question id (str): value, "<question id>_other": その他 text}; see
models.Answer.data for the value of each kind. Nothing here knows who answered: the same
data may be an organization's answer to an inquiry or, later, a person's to a
questionnaire.
"""

import datetime as dt
import math
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from renkei.core.question_kinds.definitions import OTHER_CHOICE, Question

SHORT_TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 20000
OTHER_TEXT_MAX_LENGTH = 500
TABLE_CELL_MAX_LENGTH = 200
# A number is typed as at most this many characters; its stored digits are held to it too.
NUMBER_MAX_LENGTH = 50
OTHER_LABEL = OTHER_CHOICE


def parse_number(text: str) -> int | float:
    """Read a number as people type it: full-width digits, commas, △ for minus, a unit."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    cleaned = cleaned.replace(",", "").replace(" ", "")
    for minus in ("△", "▲", "−", "ー", "‐"):
        if cleaned.startswith(minus):
            cleaned = "-" + cleaned[len(minus) :]
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(
            f"「{text.strip()}」は数値として読み取れません。半角・全角の数字で入力してください"
            "（例：1,234 や 12.5）。",
            code="number",
        ) from None
    if not number.is_finite():
        raise ValidationError("数値を入力してください。", code="number")
    return int(number) if number == number.to_integral_value() else float(number)


def text(value: Any) -> str:
    """Return a value as stripped text ("" for None)."""
    if value is None:
        return ""
    return str(value).strip()


# The values that may be empty inside a table's dict, as a tuple: `str | list | dict` in the
# isinstance call would build the union again for every cell compiling reads.
_MAYBE_EMPTY = (str, list, dict)


def value_is_empty(value: Any) -> bool:
    """Tell whether an answer value counts as not answered."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    if isinstance(value, dict):
        # A loop rather than all(): compiling reads this for every table of every answer.
        for cells in value.values():
            if cells is None:
                continue
            if not isinstance(cells, _MAYBE_EMPTY) or not value_is_empty(cells):
                return False
        return True
    return False


def choice_values(question: Question, value: Any, other: Any = None) -> tuple[list[str], str]:
    """Return the chosen option texts and the その他 text of a choice answer.

    The answer form stores a text (single, yes/no) or a list of texts (multiple), with the
    その他 text beside it under "<id>_other". A non-empty その他 text implies that その他
    was chosen.
    """
    chosen: list[str] = []
    other = text(other) if not isinstance(other, dict | list) else ""
    if value is None:
        return chosen, other
    for item in value if isinstance(value, list | tuple) else [value]:
        item_text = text(item)
        if item_text and item_text not in chosen:
            chosen.append(item_text)
    if other and OTHER_LABEL not in chosen:
        chosen.append(OTHER_LABEL)
    return chosen, other


def number_value(value: Any) -> float | int | None:
    """Return a stored number, reading numeric text with commas or full-width digits."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        cleaned = unicodedata.normalize("NFKC", value).replace(",", "").strip()
        if not cleaned:
            return None
        try:
            number = Decimal(cleaned)
        except ArithmeticError:
            return None
        if not number.is_finite():
            return None
        return int(number) if number == number.to_integral_value() else float(number)
    return None


def date_value(value: Any) -> dt.date | None:
    """Return a stored ISO date ("YYYY-MM-DD") as a date, or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def table_value(value: Any, row: str, column: str) -> Any:
    """Return one cell of a stored table answer ({row: {column: value}})."""
    if not isinstance(value, dict):
        return None
    cells = value.get(row)
    if not isinstance(cells, dict):
        return None
    return cells.get(column)


def file_names(value: Any) -> str:
    """Return the names of the files of a file answer ([{"id": …, "name": …}]), joined."""
    items = value if isinstance(value, list) else ([value] if value else [])
    names = []
    for item in items:
        if isinstance(item, dict):
            names.append(text(item.get("name")) or f"ファイル{item.get('id', '')}")
        elif not value_is_empty(item):
            names.append(f"ファイル{item}")
    return "、".join(names)


# --- The display condition (表示条件) --------------------------------------------------------


class DisplayConditions:
    """The one rule of which questions an answer is shown, prepared once for its questions.

    A question with a condition is shown when its controlling question's answer is the
    condition's value (or, for a multiple choice, includes it), and the controlling
    question is itself shown.
    """

    def __init__(self, questions: Iterable[Question]) -> None:
        self.rules = [
            (q.pk, q.condition_question_id, str(q.condition_question_id), q.condition_value)
            for q in sorted(questions, key=lambda q: (q.position, q.id))
            if q.condition_question_id is not None
        ]

    def hidden(self, data: dict[str, Any]) -> tuple[int, ...]:
        """Return the ids of the questions this answer data hides, in question order."""
        hidden: list[int] = []
        for pk, controller_id, controller_key, expected in self.rules:
            if controller_id in hidden:
                hidden.append(pk)
                continue
            value = data.get(controller_key)
            if not (expected in value if isinstance(value, list) else value == expected):
                hidden.append(pk)
        return tuple(hidden)


def hidden_question_ids(questions: Iterable[Question], data: dict[str, Any]) -> set[int]:
    """Return the questions whose display condition is not met by the answer data.

    A question whose controlling question is itself hidden is hidden too.
    """
    return set(DisplayConditions(questions).hidden(data))


def shown_question_ids(questions: Sequence[Question], data: dict[str, Any]) -> frozenset[int]:
    """Return the ids of the questions whose display condition held for this answer."""
    hidden = set(DisplayConditions(questions).hidden(data))
    return frozenset(q.pk for q in questions if q.pk not in hidden)
