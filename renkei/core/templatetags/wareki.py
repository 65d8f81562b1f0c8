"""Template filters that show dates the way councils write them.

Registered as a template builtin, so templates use them without {% load %}. The style
(era or western) follows renkei.core.wareki.date_style, set per request.
"""

from datetime import date, datetime
from typing import Any

from django import template

from renkei.core.fiscal_year import fiscal_year_of, format_fiscal_year
from renkei.core.wareki import format_date, format_datetime, local_date

register = template.Library()


@register.filter
def jdate(value: Any) -> Any:
    """Show a date or datetime as a date: 「令和8年11月21日」."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return format_date(value)
    return value


@register.filter
def jdate_weekday(value: Any) -> Any:
    """Show a date or datetime as a date with its weekday: 「令和8年11月21日（土）」."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return format_date(value, weekday=True)
    return value


@register.filter
def jdatetime(value: Any) -> Any:
    """Show a datetime in the current time zone: 「令和8年11月21日 14:30」."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return value


@register.filter
def fiscal_year(value: Any) -> Any:
    """Show the fiscal year a date falls in: 「令和8年度」."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        # The local day, so 31 March 23:30 in Tokyo stays in the old fiscal year.
        return format_fiscal_year(fiscal_year_of(local_date(value)))
    return value


@register.filter
def fy_label(value: Any) -> Any:
    """Show a fiscal year number as its label: 2026 → 「令和8年度」."""
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_fiscal_year(value)
    return value
