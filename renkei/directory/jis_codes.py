"""JIS X 0402 organization codes (全国地方公共団体コード): check digit, validation, kind."""

import re
import unicodedata

from django.core.exceptions import ValidationError

from renkei.directory.models import OrganizationKind

_WEIGHTS = (6, 5, 4, 3, 2)
_FIVE_DIGITS = re.compile(r"[0-9]{5}")
_SIX_DIGITS = re.compile(r"[0-9]{6}")

# Tokyo's 23 special wards are 千代田区 (13101) to 江戸川区 (13123). The wards of designated
# cities (札幌市中央区 …) also end in 区 but are not municipalities and are not in the list.
_SPECIAL_WARDS_FIRST = "13101"
_SPECIAL_WARDS_LAST = "13123"

_KIND_BY_SUFFIX = {
    "市": OrganizationKind.CITY,
    "町": OrganizationKind.TOWN,
    "村": OrganizationKind.VILLAGE,
}


def check_digit(five: str) -> str:
    """Return the check digit that completes a five-digit code."""
    if not _FIVE_DIGITS.fullmatch(five):
        raise ValueError(f"expected five ASCII digits, got {five!r}")
    remainder = sum(int(digit) * weight for digit, weight in zip(five, _WEIGHTS, strict=True)) % 11
    # 11 - remainder keeps only its last digit: remainder 1 gives 0 and remainder 0 gives 1.
    # Every one of the 1,788 codes in the official list follows this rule.
    return str((11 - remainder) % 10)


def validate_code(code: str) -> str:
    """Return the code with full-width digits made ASCII, or raise ValidationError."""
    # NFKC turns full-width digits (０１２…) typed with a Japanese IME into ASCII ones.
    normalised = unicodedata.normalize("NFKC", code).strip()
    if not _SIX_DIGITS.fullmatch(normalised):
        raise ValidationError("団体コードは6桁の数字で入力してください。", code="invalid_format")
    expected = normalised[:5] + check_digit(normalised[:5])
    if normalised != expected:
        raise ValidationError(
            "団体コード %(code)s の検査数字が正しくありません（正しくは %(expected)s）。",
            code="invalid_check_digit",
            params={"code": normalised, "expected": expected},
        )
    return normalised


def prefecture_code(code: str) -> str:
    """Return the two-digit prefecture code (JIS X 0401) of a valid organization code."""
    return code[:2]


def kind_for(*, code: str, name: str) -> OrganizationKind:
    """Return the kind of a listed organization from its valid code and name."""
    if code[2:5] == "000":
        return OrganizationKind.PREFECTURE
    if name.endswith("区"):
        if _SPECIAL_WARDS_FIRST <= code[:5] <= _SPECIAL_WARDS_LAST:
            return OrganizationKind.SPECIAL_WARD
    elif name[-1:] in _KIND_BY_SUFFIX:
        return _KIND_BY_SUFFIX[name[-1:]]
    raise ValidationError(
        "団体コード %(code)s（%(name)s）の種別を判定できません。",
        code="unknown_kind",
        params={"code": code, "name": name},
    )
