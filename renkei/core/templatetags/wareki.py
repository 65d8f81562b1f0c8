"""Template filters that show dates the way councils write them.

Registered as a template builtin, so templates use them without {% load %}. The style
(era or western) follows renkei.core.wareki.date_style, set per request.
"""

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django import template

from renkei.core.fiscal_year import fiscal_year_of, format_fiscal_year
from renkei.core.wareki import format_date, format_datetime, local_date

register = template.Library()


def _date_filter(
    accepts: type | tuple[type, ...],
) -> Callable[[Callable[[Any], str]], Callable[[Any], Any]]:
    """Register `show` as a filter of values of type `accepts`; it shows None and "" as nothing.

    Any other value (a string a view already formatted, say) is shown as it is.
    """

    def register_filter(show: Callable[[Any], str]) -> Callable[[Any], Any]:
        @functools.wraps(show)
        def date_filter(value: Any) -> Any:
            if value is None or value == "":
                return ""
            if isinstance(value, accepts) and not isinstance(value, bool):
                return show(value)
            return value

        return register.filter(show.__name__, date_filter)

    return register_filter


@_date_filter(date)
def jdate(value: date) -> str:
    """Show a date or datetime as a date: 「令和8年11月21日」."""
    return format_date(value)


@_date_filter(date)
def jdate_weekday(value: date) -> str:
    """Show a date or datetime as a date with its weekday: 「令和8年11月21日（土）」."""
    return format_date(value, weekday=True)


@_date_filter(date)
def jdatetime(value: date) -> str:
    """Show a datetime in the current time zone: 「令和8年11月21日 14:30」 (a date as a date)."""
    return format_datetime(value) if isinstance(value, datetime) else format_date(value)


@_date_filter(date)
def fiscal_year(value: date) -> str:
    """Show the fiscal year a date falls in: 「令和8年度」."""
    # The local day, so 31 March 23:30 in Tokyo stays in the old fiscal year.
    return format_fiscal_year(fiscal_year_of(local_date(value)))


@_date_filter(int)
def fy_label(value: int) -> str:
    """Show a fiscal year number as its label: 2026 → 「令和8年度」."""
    return format_fiscal_year(value)
