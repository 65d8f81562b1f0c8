"""Fiscal years (年度), which run from 1 April to 31 March."""

import re
from datetime import date

from renkei.core.wareki import (
    WarekiParseError,
    date_style,
    era_named,
    era_year_label,
    normalize_typed,
)

FIRST_MONTH = 4

_ERA_FY_RE = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])(?P<year>\d{1,3}|元)(?:年度?)?", re.IGNORECASE
)
_WESTERN_FY_RE = re.compile(r"(?:FY)?(?P<year>\d{4})(?:年度?)?", re.IGNORECASE)


def fiscal_year_of(value: date) -> int:
    """Return the fiscal year a day belongs to, named by the year it starts in."""
    return value.year if value.month >= FIRST_MONTH else value.year - 1


def fiscal_year_label(year: int) -> str:
    """Name a fiscal year in the era calendar: 2026 → 「令和8年度」.

    The era is the one in force on 31 December of the starting year, which gives the labels
    councils use: FY2018 「平成30年度」, FY2019 「令和元年度」, FY1988 「昭和63年度」.
    """
    return f"{era_year_label(year)}度"


def fiscal_year_western_label(year: int) -> str:
    """Name a fiscal year in the western calendar: 2026 → 「2026年度」."""
    return f"{year}年度"


def format_fiscal_year(year: int) -> str:
    """Name a fiscal year in the current request's date style."""
    if date_style.get() == "western":
        return fiscal_year_western_label(year)
    return fiscal_year_label(year)


def fiscal_year_range(year: int) -> tuple[date, date]:
    """Return the first and last day of a fiscal year."""
    return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH - 1, 31)


def fiscal_months(year: int) -> list[tuple[int, int]]:
    """Return (year, month) for each month of a fiscal year, April first."""
    return [(year, month) for month in range(FIRST_MONTH, 13)] + [
        (year + 1, month) for month in range(1, FIRST_MONTH)
    ]


def month_labels() -> list[str]:
    """Return the month headings of a fiscal year: 「4月」 … 「3月」."""
    return [f"{month}月" for _, month in fiscal_months(2000)]


def parse_fiscal_year(text: str) -> int:
    """Read a fiscal year as people type it: 「令和8年度」「R8年度」「2026年度」「2026」."""
    cleaned = normalize_typed(text)
    if not cleaned:
        raise WarekiParseError("年度を入力してください。")
    if match := _ERA_FY_RE.fullmatch(cleaned):
        era = era_named(match["era"])
        number = 1 if match["year"] == "元" else int(match["year"])
        if number < 1:
            raise WarekiParseError(f"{era.name}{number}年度 という年度はありません。")
        # Numbers past the era's end are accepted on purpose: plans written before 2019
        # said 「平成32年度」 for FY2020.
        return era.start.year + number - 1
    if match := _WESTERN_FY_RE.fullmatch(cleaned):
        return int(match["year"])
    raise WarekiParseError(
        f"年度として読み取れません: 「{text.strip()}」。"
        "令和8年度、R8年度 または 2026年度 の形で入力してください。"
    )
