import csv

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from renkei.directory.jis_codes import check_digit, kind_for, prefecture_code, validate_code
from renkei.directory.models import OrganizationKind
from renkei.directory.municipalities import BUNDLED_FILE
from renkei.directory.prefectures import PREFECTURES

FIVE_DIGITS = st.text(alphabet="0123456789", min_size=5, max_size=5)


def bundled_rows() -> list[dict[str, str]]:
    with BUNDLED_FILE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_bundled_file_has_every_prefecture_and_municipality():
    rows = bundled_rows()
    assert len(rows) == 1788
    assert sum(1 for row in rows if row["code"][2:5] == "000") == 47


def test_every_bundled_code_validates():
    for row in bundled_rows():
        assert validate_code(row["code"]) == row["code"]


@pytest.mark.parametrize(
    ("five", "digit"),
    [
        ("01000", "6"),  # 北海道
        ("01100", "2"),  # 札幌市
        ("13101", "6"),  # 千代田区
        ("01303", "0"),  # 当別町: remainder 1, 11 - 1 = 10 keeps its last digit 0
        ("01213", "1"),  # 苫小牧市: remainder 0, 11 - 0 = 11 keeps its last digit 1
    ],
)
def test_check_digit(five, digit):
    assert check_digit(five) == digit


@pytest.mark.parametrize("five", ["0110", "011000", "0110a", "０１１００"])
def test_check_digit_rejects_anything_but_five_ascii_digits(five):
    with pytest.raises(ValueError):
        check_digit(five)


def test_validate_code_makes_full_width_digits_ascii():
    assert validate_code("０１１００２") == "011002"
    assert validate_code(" 011002 ") == "011002"


def test_wrong_check_digit_names_the_correct_code():
    with pytest.raises(ValidationError) as caught:
        validate_code("012280")
    assert caught.value.messages == [
        "団体コード 012280 の検査数字が正しくありません（正しくは 012289）。"
    ]


@pytest.mark.parametrize("code", ["", "01100", "0110022", "01100a", "01-100", "١١١١١١"])
def test_malformed_code_asks_for_six_digits(code):
    with pytest.raises(ValidationError) as caught:
        validate_code(code)
    assert caught.value.messages == ["団体コードは6桁の数字で入力してください。"]


@given(five=FIVE_DIGITS)
def test_only_the_computed_check_digit_validates(five):
    right = check_digit(five)
    assert validate_code(five + right) == five + right
    for wrong in "0123456789".replace(right, ""):
        with pytest.raises(ValidationError):
            validate_code(five + wrong)


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("010006", "北海道", OrganizationKind.PREFECTURE),
        ("130001", "東京都", OrganizationKind.PREFECTURE),
        ("011002", "札幌市", OrganizationKind.CITY),
        ("131016", "千代田区", OrganizationKind.SPECIAL_WARD),
        ("131237", "江戸川区", OrganizationKind.SPECIAL_WARD),
        ("013030", "当別町", OrganizationKind.TOWN),
        ("013048", "新篠津村", OrganizationKind.VILLAGE),
    ],
)
def test_kind_for(code, name, kind):
    assert kind_for(code=code, name=name) == kind


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("011011", "札幌市中央区"),  # a ward of a designated city is not a municipality
        ("132012", "八王子区"),  # a 区 outside Tokyo's 23 special wards
        ("999991", "組合"),
    ],
)
def test_kind_for_rejects_what_is_not_in_the_list(code, name):
    with pytest.raises(ValidationError):
        kind_for(code=code, name=name)


def test_prefecture_code():
    assert prefecture_code("472158") == "47"


def test_prefectures_match_the_bundled_file():
    from_file = {
        row["code"][:2]: row["prefecture"] for row in bundled_rows() if row["code"][2:5] == "000"
    }
    assert from_file == PREFECTURES
    assert list(PREFECTURES) == [f"{number:02d}" for number in range(1, 48)]
