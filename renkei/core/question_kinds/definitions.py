"""The kinds of question and the shape of a question the registry reads; no app's model.

An inquiry's question (renkei.inquiries.models.Question) and an event questionnaire's
question (renkei.events.models.QuestionnaireQuestion) both have these attributes, so the
registry serves both without knowing either.
"""

from typing import Any, Protocol

from django.db import models


class QuestionKind(models.TextChoices):
    SINGLE = "single", "単一選択"
    MULTIPLE = "multiple", "複数選択"
    YES_NO = "yes_no", "はい／いいえ"
    NUMBER = "number", "数値"
    DATE = "date", "日付"
    SHORT_TEXT = "short_text", "短文"
    LONG_TEXT = "long_text", "長文"
    TABLE = "table", "表"
    FILE = "file", "ファイル"


# The choice that opens a free-text box when a question allows 「その他」.
OTHER_CHOICE = "その他"
YES = "はい"
NO = "いいえ"


class Question(Protocol):
    """What the registry reads of a question, whichever app stores it."""

    pk: Any
    code: str
    text: str
    kind: str
    allow_other: bool
    unit: str
    table_rows: list[str]
    table_columns: list[str]
    table_numeric: bool

    @property
    def options(self) -> list[str]:
        """Return the choices offered, with その他 last when allowed."""
        ...
