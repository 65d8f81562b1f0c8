"""One number, percent and share format for every page: one decimal, rounded half up."""

from django.template import Context, Template

from renkei.core.numbers import format_number, format_percent, format_share


def test_percent_has_one_decimal_rounded_half_up():
    assert format_percent(7, 19) == "36.8%"
    assert format_percent(1, 8) == "12.5%"
    assert format_percent(1, 2000) == "0.1%"  # 0.05 rounds up, not to even
    assert format_percent(0, 1318) == "0.0%"
    assert format_percent(1318, 1318) == "100.0%"


def test_percent_of_nobody_is_a_dash():
    assert format_percent(0, 0) == "－"


def test_percent_filter_is_a_builtin_and_matches_the_function():
    rendered = Template("{{ count|percent:total }}").render(Context({"count": 4, "total": 1318}))

    assert rendered == format_percent(4, 1318) == "0.3%"


def test_share_names_the_total_first_then_the_count_and_percent():
    assert format_share(7, 19) == "19団体中7団体（36.8%）"
    assert format_share(1234, 1791) == "1,791団体中1,234団体（68.9%）"
    assert format_share(5, 12, unit="票") == "12票中5票（41.7%）"


def test_share_of_nobody_is_a_dash():
    assert format_share(0, 0) == "0団体中0団体（－）"
    assert format_share(0, 0, unit="票") == "0票中0票（－）"


def test_number_has_separators_and_no_needless_zeros():
    assert format_number(1234567) == "1,234,567"
    assert format_number(1234.5) == "1,234.5"
    assert format_number(2.0) == "2"
    assert format_number(0.125) == "0.13"  # half up, not to even
    assert format_number(1 / 3, places=6) == "0.333333"
    assert format_number(None) == "－"
