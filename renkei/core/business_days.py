"""Business days (営業日): not weekends, public holidays or the year-end closure."""

from datetime import date, timedelta

import jpholiday

# Municipal offices close from 29 December to 3 January (年末年始).
YEAR_END_CLOSURE = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))


def is_year_end_closure(value: date) -> bool:
    """Say whether offices are closed for the year end on that day."""
    return (value.month, value.day) in YEAR_END_CLOSURE


def is_business_day(value: date) -> bool:
    """Say whether offices are open on that day."""
    return (
        value.weekday() < 5 and not is_year_end_closure(value) and not jpholiday.is_holiday(value)
    )


def add_business_days(start: date, days: int) -> date:
    """Return the day N business days after start, or before it when N is negative.

    Zero returns start unchanged, even when start is not a business day.
    """
    step = timedelta(days=1 if days > 0 else -1)
    value = start
    for _ in range(abs(days)):
        value += step
        while not is_business_day(value):
            value += step
    return value


def business_days_between(start: date, end: date) -> int:
    """Count business days after start up to and including end (negative if end is earlier).

    For any N >= 0, business_days_between(start, add_business_days(start, N)) == N.
    """
    if end < start:
        return -business_days_between(end, start)
    days = (start + timedelta(days=offset) for offset in range(1, (end - start).days + 1))
    return sum(1 for value in days if is_business_day(value))
