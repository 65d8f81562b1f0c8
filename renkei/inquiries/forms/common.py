"""What the inquiry forms share: Japanese labels, the deadline fields, text-box lines."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

DEFAULT_DEADLINE_TIME = dt.time(17, 0)


def deadline_combine(day: dt.date, time: dt.time | None) -> dt.datetime:
    """Return the deadline as an aware datetime in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, time or DEFAULT_DEADLINE_TIME))


def deadline_time_field(*, label: str) -> forms.TimeField:
    """Return the deadline's optional time field, 17:00 when left empty."""
    return forms.TimeField(
        label=label,
        required=False,
        initial=DEFAULT_DEADLINE_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="空欄の場合は17:00です。",
    )


def lines_of(text: str) -> list[str]:
    """Return the non-blank lines of a text box, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class JapaneseLabelsMixin:
    """Labels without Django's trailing colon, which reads oddly after Japanese text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DeadlineFieldsMixin:
    """A date typed in the era or western calendar and a time, checked to be ahead."""

    def _deadline_clean(self, cleaned: dict[str, Any], *, required: bool) -> None:
        day, time = cleaned.get("deadline_date"), cleaned.get("deadline_time")
        if day is None:
            if required and "deadline_date" not in self.errors:
                self.add_error("deadline_date", "回答期限の日付を入力してください。")
            cleaned["deadline"] = None
            return
        deadline = deadline_combine(day, time)
        if deadline <= timezone.now():
            self.add_error("deadline_date", "回答期限には現在より後の日時を指定してください。")
        cleaned["deadline"] = deadline
