"""One percent format for every page: one decimal, rounded half up, with the sign."""

from django.template import Context, Template

from renkei.core.numbers import format_percent


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
