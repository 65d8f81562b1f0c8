from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from renkei.core.forms import WarekiDateField
from renkei.core.wareki import (
    WarekiParseError,
    date_style,
    era_of,
    era_year_label,
    format_date,
    format_datetime,
    format_wareki,
    format_wareki_datetime,
    format_western,
    format_western_datetime,
    parse_date,
    use_date_style,
)

UTC = ZoneInfo("UTC")


class _DateForm(forms.Form):
    day = WarekiDateField()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(1868, 10, 23), "明治元年10月23日"),
        (date(1868, 12, 31), "明治元年12月31日"),
        (date(1869, 1, 1), "明治2年1月1日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1927, 1, 1), "昭和2年1月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2026, 11, 21), "令和8年11月21日"),
    ],
)
def test_format_wareki_at_era_boundaries(value, expected):
    assert format_wareki(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 11, 21), "令和8年11月21日（土）"),
        (date(2026, 11, 23), "令和8年11月23日（月）"),
        (date(2019, 5, 1), "令和元年5月1日（水）"),
    ],
)
def test_format_wareki_with_weekday(value, expected):
    assert format_wareki(value, weekday=True) == expected


@pytest.mark.parametrize(
    ("value", "weekday", "expected"),
    [
        (date(2026, 11, 21), False, "2026年11月21日"),
        (date(2026, 11, 21), True, "2026年11月21日（土）"),
        (date(1800, 1, 5), False, "1800年1月5日"),
    ],
)
def test_format_western(value, weekday, expected):
    assert format_western(value, weekday=weekday) == expected


def test_format_wareki_rejects_dates_before_meiji():
    with pytest.raises(ValueError, match="明治より前"):
        format_wareki(date(1868, 10, 22))


@pytest.mark.parametrize(
    ("value", "expected_wareki", "expected_western"),
    [
        # 05:30 UTC is 14:30 in Tokyo.
        (
            datetime(2026, 11, 21, 5, 30, tzinfo=UTC),
            "令和8年11月21日 14:30",
            "2026年11月21日 14:30",
        ),
        # 30 April 2019 15:00 UTC is already 1 May in Tokyo: the new era.
        (datetime(2019, 4, 30, 15, 0, tzinfo=UTC), "令和元年5月1日 00:00", "2019年5月1日 00:00"),
        (datetime(2026, 1, 5, 9, 5, tzinfo=ZoneInfo("Asia/Tokyo")), "令和8年1月5日 09:05", None),
    ],
)
def test_format_datetime_uses_current_time_zone(value, expected_wareki, expected_western):
    assert format_wareki_datetime(value) == expected_wareki
    if expected_western:
        assert format_western_datetime(value) == expected_western


def test_format_datetime_with_weekday():
    value = datetime(2026, 11, 21, 5, 30, tzinfo=UTC)
    assert format_wareki_datetime(value, weekday=True) == "令和8年11月21日（土） 14:30"


def test_format_wareki_of_an_aware_datetime_takes_the_local_day():
    assert format_wareki(datetime(2019, 4, 30, 15, 0, tzinfo=UTC)) == "令和元年5月1日"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((2026,), "令和8年"),
        ((2019,), "令和元年"),
        ((2019, 4, 30), "平成31年"),
        ((1989,), "平成元年"),
        ((1989, 1, 7), "昭和64年"),
        ((1868,), "明治元年"),
    ],
)
def test_era_year_label(args, expected):
    assert era_year_label(*args) == expected


def test_era_of_names_the_era_in_force():
    assert era_of(date(2019, 4, 30)).name == "平成"
    assert era_of(date(2019, 5, 1)).letter == "R"


@pytest.mark.parametrize(
    ("style", "expected_date", "expected_datetime"),
    [
        ("wareki", "令和8年11月21日", "令和8年11月21日（土） 14:30"),
        ("western", "2026年11月21日", "2026年11月21日（土） 14:30"),
    ],
)
def test_format_follows_date_style(style, expected_date, expected_datetime):
    with use_date_style(style):
        assert format_date(date(2026, 11, 21)) == expected_date
        assert (
            format_datetime(datetime(2026, 11, 21, 5, 30, tzinfo=UTC), weekday=True)
            == expected_datetime
        )


def test_use_date_style_restores_previous_style_and_rejects_unknown_ones():
    assert date_style.get() == "wareki"
    with use_date_style("western"):
        assert date_style.get() == "western"
    assert date_style.get() == "wareki"
    with pytest.raises(ValueError), use_date_style("roman"):
        pass


def test_format_date_shows_pre_meiji_dates_in_western_form():
    assert format_date(date(1850, 3, 1)) == "1850年3月1日"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年11月21日", date(2026, 11, 21)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("R8.11.21", date(2026, 11, 21)),
        ("r8/11/21", date(2026, 11, 21)),
        ("R8-11-21", date(2026, 11, 21)),
        ("R08.04.01", date(2026, 4, 1)),
        ("H20.7.4", date(2008, 7, 4)),
        ("h31.4.30", date(2019, 4, 30)),
        ("平成31年4月1日", date(2019, 4, 1)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("S64.1.7", date(1989, 1, 7)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("M45.7.29", date(1912, 7, 29)),
        ("明治元年10月23日", date(1868, 10, 23)),
        ("T15.12.24", date(1926, 12, 24)),
        ("T1.7.30", date(1912, 7, 30)),
        ("Ｒ８．１１．２１", date(2026, 11, 21)),
        ("Ｒ８／１１／２１", date(2026, 11, 21)),
        ("令和８年１１月２１日", date(2026, 11, 21)),
        ("令和8年11月21日（土）", date(2026, 11, 21)),
        ("令和8年11月21日(土)", date(2026, 11, 21)),
        ("令和8年11月21日（土曜日）", date(2026, 11, 21)),
        ("R8.11.21 (土)", date(2026, 11, 21)),
        ("2026-11-21", date(2026, 11, 21)),
        ("2026/11/21", date(2026, 11, 21)),
        ("2026.11.21", date(2026, 11, 21)),
        ("2026年11月21日", date(2026, 11, 21)),
        ("2026年11月21日（土）", date(2026, 11, 21)),
        ("２０２６－１１－２１", date(2026, 11, 21)),
        ("2026−11−21", date(2026, 11, 21)),
        (" 令和 8年 11月 21日 ", date(2026, 11, 21)),
        ("令和\u30008年11月21日", date(2026, 11, 21)),
        ("R8. 11. 21", date(2026, 11, 21)),
        ("㍻31年4月30日", date(2019, 4, 30)),
        ("1800-01-05", date(1800, 1, 5)),
    ],
)
def test_parse_date_accepts_what_people_type(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "ABC",
            "日付として読み取れません: 「ABC」。"
            "令和8年11月21日、R8.11.21 または 2026-11-21 の形で入力してください。",
        ),
        (
            "X8.11.21",
            "日付として読み取れません: 「X8.11.21」。"
            "令和8年11月21日、R8.11.21 または 2026-11-21 の形で入力してください。",
        ),
        ("", "日付を入力してください。"),
        ("   ", "日付を入力してください。"),
        ("平成31年5月1日", "平成31年5月1日 は存在しない日付です（平成は31年4月30日まで）。"),
        ("H31.5.1", "平成31年5月1日 は存在しない日付です（平成は31年4月30日まで）。"),
        ("平成32年1月1日", "平成32年1月1日 は存在しない日付です（平成は31年4月30日まで）。"),
        ("昭和65年1月1日", "昭和65年1月1日 は存在しない日付です（昭和は64年1月7日まで）。"),
        ("S64.1.8", "昭和64年1月8日 は存在しない日付です（昭和は64年1月7日まで）。"),
        ("M45.7.30", "明治45年7月30日 は存在しない日付です（明治は45年7月29日まで）。"),
        ("T15.12.25", "大正15年12月25日 は存在しない日付です（大正は15年12月24日まで）。"),
        ("令和元年4月30日", "令和元年4月30日 は存在しない日付です（令和は元年5月1日から）。"),
        ("平成元年1月7日", "平成元年1月7日 は存在しない日付です（平成は元年1月8日から）。"),
        ("明治元年10月22日", "明治元年10月22日 は存在しない日付です（明治は元年10月23日から）。"),
        ("令和0年5月1日", "令和0年5月1日 は存在しない日付です（令和は元年から）。"),
        ("令和8年2月30日", "令和8年2月30日 は存在しない日付です。"),
        ("R8.13.1", "令和8年13月1日 は存在しない日付です。"),
        ("2026-02-30", "2026年2月30日 は存在しない日付です。"),
        ("2027/2/29", "2027年2月29日 は存在しない日付です。"),
        (
            "令和8年11月21日（日）",
            "曜日が合いません: 令和8年11月21日 は土曜日です（入力は日曜日）。",
        ),
    ],
)
def test_parse_date_errors_are_clear_japanese(text, message):
    with pytest.raises(WarekiParseError) as excinfo:
        parse_date(text)
    assert str(excinfo.value) == message


def test_parse_error_is_a_value_error():
    assert issubclass(WarekiParseError, ValueError)


def test_parse_date_leap_day():
    assert parse_date("R6.2.29") == date(2024, 2, 29)


@given(st.dates(min_value=date(1868, 10, 23), max_value=date(2100, 12, 31)))
def test_wareki_round_trip(value):
    assert parse_date(format_wareki(value)) == value
    assert parse_date(format_wareki(value, weekday=True)) == value


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_western_round_trip(value):
    assert parse_date(format_western(value, weekday=True)) == value


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("R8.11.21", date(2026, 11, 21)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("2026-11-21", date(2026, 11, 21)),
    ],
)
def test_wareki_date_field_reads_typed_dates(typed, expected):
    form = _DateForm(data={"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "日付を入力してください。"),
        ("平成31年5月1日", "平成31年5月1日 は存在しない日付です（平成は31年4月30日まで）。"),
        (
            "ABC",
            "日付として読み取れません: 「ABC」。"
            "令和8年11月21日、R8.11.21 または 2026-11-21 の形で入力してください。",
        ),
    ],
)
def test_wareki_date_field_shows_japanese_errors(typed, error):
    form = _DateForm(data={"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == [error]


def test_wareki_date_field_renders_initial_value_in_wareki():
    form = _DateForm(initial={"day": date(2026, 11, 21)})
    assert 'value="令和8年11月21日"' in str(form["day"])
    assert 'type="text"' in str(form["day"])


def test_wareki_date_field_keeps_what_the_user_typed_on_error():
    form = _DateForm(data={"day": "R8.2.30"})
    assert not form.is_valid()
    assert 'value="R8.2.30"' in str(form["day"])


def test_wareki_date_field_does_not_report_a_change_for_the_same_day():
    form = _DateForm(data={"day": "R8.11.21"}, initial={"day": date(2026, 11, 21)})
    assert not form.has_changed()
