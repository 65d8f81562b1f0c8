import pytest
from hypothesis import given
from hypothesis import strategies as st

from renkei.core.text import (
    fold_for_search,
    hiragana_to_katakana,
    katakana_from_halfwidth,
    name_search_key,
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


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("桧原", "檜原"),
        ("斉藤", "齋藤"),
        ("斎藤", "齊藤"),
        ("渡辺", "渡邊"),
        ("渡辺", "渡邉"),
        ("山崎", "山﨑"),
        ("高橋", "髙橋"),
        ("竜ケ崎", "龍ヶ崎"),
        ("竜が崎", "竜ケ崎"),
        ("霞が関", "霞ヶ関"),
        ("ﾘｭｳｶﾞｻｷ", "りゅうがさき"),
        ("ＡＢＣ１", "abc1"),
    ],
)
def test_fold_for_search_folds_what_people_mix_up(typed, stored):
    assert fold_for_search(typed) == fold_for_search(stored)


@pytest.mark.parametrize(("a", "b"), [("フカガワ", "フカケワ"), ("斉藤", "佐藤"), ("小林", "林")])
def test_fold_for_search_keeps_different_names_apart(a, b):
    assert fold_for_search(a) != fold_for_search(b)


def test_fold_for_search_keeps_the_ga_of_kana_readings():
    assert fold_for_search("りゅうがさき") == "リュウガサキ"


@given(st.text())
def test_fold_for_search_is_idempotent(text):
    assert fold_for_search(fold_for_search(text)) == fold_for_search(text)


@given(st.text())
def test_fold_for_search_leaves_no_whitespace(text):
    assert not any(char.isspace() for char in fold_for_search(text))


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_fold_for_search_ignores_width(text):
    wide = "".join(chr(ord(char) + 0xFEE0) for char in text)
    assert fold_for_search(wide) == fold_for_search(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096)))
def test_fold_for_search_ignores_kana_kind(text):
    assert fold_for_search(text) == fold_for_search(hiragana_to_katakana(text))


@given(
    st.lists(st.text(alphabet="小林隆花子コバヤシタカ斉齋邊辺", min_size=1), min_size=1, max_size=3)
)
def test_name_search_key_holds_the_words_joined_in_both_orders(words):
    key = name_search_key("\u3000".join(words))
    assert fold_for_search("".join(words)) in key.split(" ")
    assert fold_for_search("".join(reversed(words))) in key.split(" ")
