"""Form fields shared by every app."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from renkei.core.wareki import ERAS, WarekiParseError, format_wareki, format_western, parse_date


class WarekiDateField(forms.DateField):
    """A date typed in the era or western calendar, shown back in the era calendar."""

    widget = forms.TextInput
    default_error_messages = {
        "required": "日付を入力してください。",
        "invalid": "日付として読み取れません。令和8年11月21日、R8.11.21 または 2026-11-21 の形で"
        "入力してください。",
    }

    def to_python(self, value: Any) -> date | None:
        """Return a date, reading text with parse_date."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except WarekiParseError as error:
            # parse_date's message already names the input and the accepted forms.
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        """Show a date value in the era calendar; leave typed text as the user wrote it."""
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            if value < ERAS[0].start:
                return format_western(value)
            return format_wareki(value)
        return value
