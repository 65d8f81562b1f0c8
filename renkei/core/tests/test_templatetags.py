from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from renkei.core.wareki import use_date_style

UTC = ZoneInfo("UTC")
SATURDAY = date(2026, 11, 21)
# 05:30 UTC is 14:30 in Tokyo.
AFTERNOON = datetime(2026, 11, 21, 5, 30, tzinfo=UTC)
# 31 March 15:30 UTC is already 1 April in Tokyo: the next fiscal year.
FISCAL_YEAR_TURN = datetime(2027, 3, 31, 15, 30, tzinfo=UTC)


def render(source: str, value: object) -> str:
    # No {% load %}: the filters are a template builtin.
    return Template(source).render(Context({"value": value}))


@pytest.mark.parametrize(
    ("source", "value", "wareki", "western"),
    [
        ("{{ value|jdate }}", SATURDAY, "令和8年11月21日", "2026年11月21日"),
        ("{{ value|jdate }}", date(2019, 4, 30), "平成31年4月30日", "2019年4月30日"),
        ("{{ value|jdate }}", date(2019, 5, 1), "令和元年5月1日", "2019年5月1日"),
        ("{{ value|jdate }}", AFTERNOON, "令和8年11月21日", "2026年11月21日"),
        ("{{ value|jdate }}", date(1850, 1, 5), "1850年1月5日", "1850年1月5日"),
        ("{{ value|jdate_weekday }}", SATURDAY, "令和8年11月21日（土）", "2026年11月21日（土）"),
        ("{{ value|jdate_weekday }}", AFTERNOON, "令和8年11月21日（土）", "2026年11月21日（土）"),
        ("{{ value|jdatetime }}", AFTERNOON, "令和8年11月21日 14:30", "2026年11月21日 14:30"),
        ("{{ value|jdatetime }}", SATURDAY, "令和8年11月21日", "2026年11月21日"),
        ("{{ value|fiscal_year }}", SATURDAY, "令和8年度", "2026年度"),
        ("{{ value|fiscal_year }}", date(2027, 3, 31), "令和8年度", "2026年度"),
        ("{{ value|fiscal_year }}", date(2027, 4, 1), "令和9年度", "2027年度"),
        ("{{ value|fiscal_year }}", date(2019, 4, 1), "令和元年度", "2019年度"),
        ("{{ value|fiscal_year }}", FISCAL_YEAR_TURN, "令和9年度", "2027年度"),
        ("{{ value|fy_label }}", 2026, "令和8年度", "2026年度"),
        ("{{ value|fy_label }}", 2019, "令和元年度", "2019年度"),
        ("{{ value|fy_label }}", 2018, "平成30年度", "2018年度"),
    ],
)
def test_filters_follow_date_style(source, value, wareki, western):
    assert render(source, value) == wareki
    with use_date_style("western"):
        assert render(source, value) == western
    assert render(source, value) == wareki


@pytest.mark.parametrize(
    "source",
    [
        "{{ value|jdate }}",
        "{{ value|jdate_weekday }}",
        "{{ value|jdatetime }}",
        "{{ value|fiscal_year }}",
        "{{ value|fy_label }}",
    ],
)
@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), ("", ""), ("未定", "未定"), ("<b>", "&lt;b&gt;")],
)
def test_filters_pass_empty_values_and_strings_through(source, value, expected):
    assert render(source, value) == expected


def test_missing_variable_renders_empty():
    assert Template("{{ nothing|jdate }}").render(Context({})) == ""
