from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renkei.core.business_days import (
    add_business_days,
    business_days_between,
    is_business_day,
    is_year_end_closure,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 11, 20), True),  # Friday
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 22), False),  # Sunday
        (date(2026, 11, 23), False),  # 勤労感謝の日 (Monday)
        (date(2026, 11, 24), True),
        (date(2026, 1, 12), False),  # 成人の日
        (date(2026, 1, 13), True),
        (date(2026, 4, 29), False),  # 昭和の日
        (date(2026, 4, 30), True),
        (date(2026, 5, 1), True),
        (date(2026, 5, 4), False),  # みどりの日
        (date(2026, 5, 5), False),  # こどもの日
        (date(2026, 5, 6), False),  # 振替休日 for 憲法記念日 on Sunday
        (date(2026, 5, 7), True),
        (date(2026, 12, 28), True),  # last working day of the year
        (date(2026, 12, 29), False),  # year-end closure on a weekday
        (date(2026, 12, 30), False),
        (date(2026, 12, 31), False),
        (date(2027, 1, 1), False),
        (date(2027, 1, 2), False),
        (date(2027, 1, 3), False),
        (date(2027, 1, 4), True),
        (date(2025, 12, 29), False),  # Monday
        (date(2026, 1, 2), False),  # Friday
        (date(2026, 1, 5), True),
    ],
)
def test_is_business_day(value, expected):
    assert is_business_day(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 12, 28), False),
        (date(2026, 12, 29), True),
        (date(2027, 1, 3), True),
        (date(2027, 1, 4), False),
    ],
)
def test_is_year_end_closure(value, expected):
    assert is_year_end_closure(value) is expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 18), 1, date(2026, 11, 19)),
        (date(2026, 11, 20), 1, date(2026, 11, 24)),  # over the weekend and 勤労感謝の日
        (date(2026, 11, 21), 1, date(2026, 11, 24)),  # from a Saturday
        (date(2026, 11, 20), 0, date(2026, 11, 20)),
        (date(2026, 11, 21), 0, date(2026, 11, 21)),
        (date(2026, 12, 25), 1, date(2026, 12, 28)),
        (date(2026, 12, 28), 1, date(2027, 1, 4)),  # across the year end
        (date(2026, 12, 25), 3, date(2027, 1, 5)),
        (date(2026, 4, 28), 1, date(2026, 4, 30)),  # over 昭和の日
        (date(2026, 4, 30), 2, date(2026, 5, 7)),  # across Golden Week
        (date(2026, 5, 1), 1, date(2026, 5, 7)),
        (date(2026, 1, 9), 1, date(2026, 1, 13)),  # over 成人の日
        # Backwards: N business days before a deadline.
        (date(2027, 1, 4), -1, date(2026, 12, 28)),
        (date(2027, 1, 5), -3, date(2026, 12, 25)),
        (date(2026, 5, 7), -1, date(2026, 5, 1)),
        (date(2026, 5, 7), -2, date(2026, 4, 30)),
        (date(2026, 11, 24), -1, date(2026, 11, 20)),
        (date(2026, 11, 21), -1, date(2026, 11, 20)),  # from a Saturday
    ],
)
def test_add_business_days(start, days, expected):
    assert add_business_days(start, days) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 20), 0),
        (date(2026, 11, 20), date(2026, 11, 24), 1),
        (date(2026, 11, 24), date(2026, 11, 20), -1),
        (date(2026, 12, 28), date(2027, 1, 4), 1),
        (date(2026, 4, 30), date(2026, 5, 7), 2),
        (date(2026, 4, 1), date(2026, 4, 30), 20),
        (date(2026, 11, 21), date(2026, 11, 23), 0),
    ],
)
def test_business_days_between(start, end, expected):
    assert business_days_between(start, end) == expected


days_2025_2030 = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))


@given(days_2025_2030, st.integers(min_value=0, max_value=60))
def test_business_days_between_counts_what_add_business_days_added(start, days):
    end = add_business_days(start, days)
    assert is_business_day(end) or days == 0
    assert business_days_between(start, end) == days


@given(days_2025_2030, st.integers(min_value=1, max_value=60))
def test_going_back_from_a_business_day_and_forward_again_returns(start, days):
    while not is_business_day(start):
        start += timedelta(days=1)
    earlier = add_business_days(start, -days)
    assert business_days_between(start, earlier) == -days
    assert add_business_days(earlier, days) == start
