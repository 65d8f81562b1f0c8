import pytest

from renkei.core.text import (
    hiragana_to_katakana,
    katakana_from_halfwidth,
    normalize_for_search,
    to_halfwidth_digits,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("０１２３４５６７８９", "0123456789"),
        ("令和８年１１月", "令和8年11月"),
        ("ＡＢＣ１", "ＡＢＣ1"),  # only digits change
        ("", ""),
    ],
)
def test_to_halfwidth_digits(text, expected):
    assert to_halfwidth_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ﾌｶｶﾞﾜｼ", "フカガワシ"),
        ("ﾊﾟｿｺﾝ", "パソコン"),
        ("ｼｽﾃﾑ課", "システム課"),
        ("ﾃﾞｰﾀ｡", "データ。"),
        ("ＡＢＣ ﾃｽﾄ", "ＡＢＣ テスト"),  # full-width letters keep their width
        ("フカガワシ", "フカガワシ"),
    ],
)
def test_katakana_from_halfwidth(text, expected):
    assert katakana_from_halfwidth(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ふかがわし", "フカガワシ"),
        ("ぁゔゝゞ", "ァヴヽヾ"),
        ("ー漢字ABC", "ー漢字ABC"),
    ],
)
def test_hiragana_to_katakana(text, expected):
    assert hiragana_to_katakana(text) == expected


@pytest.mark.parametrize(
    "text",
    ["ﾌｶｶﾞﾜｼ", "ふかがわし", "フカガワシ", "ふか がわ し", "フカ\u3000ガワシ", " ﾌｶｶﾞﾜ ｼ "],
)
def test_normalize_for_search_folds_kana_variants(text):
    assert normalize_for_search(text) == "フカガワシ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＩＴ推進課", "it推進課"),
        ("IT 推進 課", "it推進課"),
        ("ＡＢＣ１２３", "abc123"),
        ("ｼｽﾃﾑ課", "システム課"),
        ("", ""),
    ],
)
def test_normalize_for_search(text, expected):
    assert normalize_for_search(text) == expected
