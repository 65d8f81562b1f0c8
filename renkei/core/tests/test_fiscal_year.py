from datetime import date

import pytest

from renkei.core.fiscal_year import (
    fiscal_months,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_range,
    fiscal_year_western_label,
    format_fiscal_year,
    month_labels,
    parse_fiscal_year,
)
from renkei.core.wareki import WarekiParseError, use_date_style


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2026, 12, 31), 2026),
        (date(2027, 1, 1), 2026),
        (date(2027, 3, 31), 2026),
        (date(2027, 4, 1), 2027),
        (date(2019, 4, 30), 2019),
        (date(2019, 5, 1), 2019),
    ],
)
def test_fiscal_year_of(value, expected):
    assert fiscal_year_of(value) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2026, "令和8年度"),
        (2020, "令和2年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (2008, "平成20年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
        (1926, "昭和元年度"),
        (1925, "大正14年度"),
        (1912, "大正元年度"),
        (1911, "明治44年度"),
        (1868, "明治元年度"),
    ],
)
def test_fiscal_year_label(year, expected):
    assert fiscal_year_label(year) == expected


def test_fiscal_year_label_rejects_years_before_meiji():
    with pytest.raises(ValueError, match="明治より前"):
        fiscal_year_label(1867)


@pytest.mark.parametrize(("style", "expected"), [("wareki", "令和8年度"), ("western", "2026年度")])
def test_format_fiscal_year_follows_date_style(style, expected):
    with use_date_style(style):
        assert format_fiscal_year(2026) == expected


def test_fiscal_year_western_label():
    assert fiscal_year_western_label(2026) == "2026年度"


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2026, (date(2026, 4, 1), date(2027, 3, 31))),
        (2027, (date(2027, 4, 1), date(2028, 3, 31))),
    ],
)
def test_fiscal_year_range(year, expected):
    assert fiscal_year_range(year) == expected


def test_fiscal_year_range_agrees_with_fiscal_year_of():
    first, last = fiscal_year_range(2026)
    assert fiscal_year_of(first) == fiscal_year_of(last) == 2026


def test_fiscal_months_run_april_to_march():
    assert fiscal_months(2026) == [
        (2026, 4),
        (2026, 5),
        (2026, 6),
        (2026, 7),
        (2026, 8),
        (2026, 9),
        (2026, 10),
        (2026, 11),
        (2026, 12),
        (2027, 1),
        (2027, 2),
        (2027, 3),
    ]


def test_month_labels():
    assert month_labels() == [
        "4月",
        "5月",
        "6月",
        "7月",
        "8月",
        "9月",
        "10月",
        "11月",
        "12月",
        "1月",
        "2月",
        "3月",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年度", 2026),
        ("令和元年度", 2019),
        ("R8年度", 2026),
        ("r8", 2026),
        ("R8年", 2026),
        ("Ｒ８年度", 2026),
        ("令和８年度", 2026),
        ("2026年度", 2026),
        ("２０２６年度", 2026),
        ("2026", 2026),
        (" 2026 ", 2026),
        ("FY2026", 2026),
        ("平成30年度", 2018),
        ("平成31年度", 2019),
        # Written before the era changed; still means FY2020 and FY2021.
        ("平成32年度", 2020),
        ("H33年度", 2021),
        ("昭和64年度", 1989),
        ("昭和63年度", 1988),
        ("明治元年度", 1868),
    ],
)
def test_parse_fiscal_year(text, expected):
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "来年度",
            "年度として読み取れません: 「来年度」。"
            "令和8年度、R8年度 または 2026年度 の形で入力してください。",
        ),
        (
            "26年度",
            "年度として読み取れません: 「26年度」。"
            "令和8年度、R8年度 または 2026年度 の形で入力してください。",
        ),
        ("令和0年度", "令和0年度 という年度はありません。"),
        ("", "年度を入力してください。"),
    ],
)
def test_parse_fiscal_year_errors(text, message):
    with pytest.raises(WarekiParseError) as excinfo:
        parse_fiscal_year(text)
    assert str(excinfo.value) == message


@pytest.mark.parametrize("year", [1868, 1912, 1926, 1988, 1989, 2018, 2019, 2026, 2100])
def test_fiscal_year_label_round_trip(year):
    assert parse_fiscal_year(fiscal_year_label(year)) == year
