"""The rules a stored answer's values follow, whatever way they came in.

The answer form (forms.AnswerForm) takes its field limits from here, and the offline sheet
is read through that same form; services check the stored data again with
`answer_data_problems` before an answer is confirmed or submitted, so data that reached
the database some other way cannot be sent on.
"""

import datetime as dt
import math
from typing import Any

from renkei.inquiries.models import OTHER_CHOICE, Question, QuestionKind

SHORT_TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 20000
OTHER_TEXT_MAX_LENGTH = 500
TABLE_CELL_MAX_LENGTH = 200
# A number is typed as at most this many characters; its stored digits are held to it too.
NUMBER_MAX_LENGTH = 50

TEXT_LIMITS = {
    QuestionKind.SHORT_TEXT: SHORT_TEXT_MAX_LENGTH,
    QuestionKind.LONG_TEXT: LONG_TEXT_MAX_LENGTH,
}


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and len(str(value)) <= NUMBER_MAX_LENGTH


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _too_long(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return "文字列ではありません"
    if len(value) > limit:
        return f"{limit:,}文字を超えています（{len(value):,}文字）"
    return None


def _value_problem(question: Question, value: Any) -> str | None:
    """Return what is wrong with one question's stored value, or None."""
    kind = question.kind
    options = question.options
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        return None if isinstance(value, str) and value in options else "選択肢にない値です"
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(value, list) or len(set(map(str, value))) != len(value):
            return "選択の形式が正しくありません"
        return None if all(item in options for item in value) else "選択肢にない値があります"
    if kind == QuestionKind.NUMBER:
        return None if _is_number(value) else "数値ではないか、桁数が多すぎます"
    if kind == QuestionKind.DATE:
        return None if _is_date(value) else "日付ではありません"
    if kind in TEXT_LIMITS:
        return _too_long(value, TEXT_LIMITS[kind])
    if kind == QuestionKind.TABLE:
        return _table_problem(question, value)
    if kind == QuestionKind.FILE:
        ok = isinstance(value, list) and all(isinstance(item, dict) for item in value)
        return None if ok else "添付ファイルの形式が正しくありません"
    return "未知の形式の設問です"


def _table_problem(question: Question, value: Any) -> str | None:
    if not isinstance(value, dict) or not set(value) <= set(question.table_rows):
        return "表の形式が正しくありません"
    for row, cells in value.items():
        if not isinstance(cells, dict) or not set(cells) <= set(question.table_columns):
            return "表の形式が正しくありません"
        for column, cell in cells.items():
            if cell is None:
                continue
            if question.table_numeric:
                if not _is_number(cell):
                    return f"「{row}・{column}」が数値ではありません"
            elif (problem := _too_long(cell, TABLE_CELL_MAX_LENGTH)) is not None:
                return f"「{row}・{column}」が{problem}"
    return None


def answer_data_problems(*, questions: list[Question], data: dict[str, Any]) -> list[str]:
    """Return a message for each stored value that the answer form would not have accepted."""
    problems = []
    for question in questions:
        value = data.get(str(question.pk))
        if value is not None and (problem := _value_problem(question, value)) is not None:
            problems.append(f"{question.code}：{problem}")
        other = data.get(f"{question.pk}_other")
        if other is None:
            continue
        chosen = value if isinstance(value, list) else [value]
        if not question.allow_other or OTHER_CHOICE not in chosen:
            problems.append(f"{question.code}：「{OTHER_CHOICE}」を選んでいないのに内容があります")
        elif (problem := _too_long(other, OTHER_TEXT_MAX_LENGTH)) is not None:
            problems.append(f"{question.code}：「{OTHER_CHOICE}」の内容が{problem}")
    return problems
