import csv
import datetime as dt
import re
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from renkei.directory.jis_codes import check_digit
from renkei.directory.models import Organization, OrganizationKind
from renkei.directory.municipalities import (
    BUNDLED_FILE,
    CSV_COLUMNS,
    XLSX_COLUMNS,
    LoadResult,
    municipalities_load,
)

CSV_HEADER = "code,prefecture,city,prefecture_kana,city_kana\n"
ALL_CREATED = "団体マスタを読み込みました: 新規 1788 / 更新 0 / 変更なし 0"
ALL_UNCHANGED = "団体マスタを読み込みました: 新規 0 / 更新 0 / 変更なし 1788"


def load(**options: object) -> str:
    out = StringIO()
    call_command("load_municipalities", stdout=out, **options)
    return out.getvalue()


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text(CSV_HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_load_twice_creates_then_leaves_everything_unchanged(db):
    assert ALL_CREATED in load()
    assert Organization.objects.count() == 1788
    assert ALL_UNCHANGED in load()
    assert Organization.objects.count() == 1788


def test_counts_by_kind(db):
    municipalities_load()
    counts = dict(
        Organization.objects.values_list("kind").annotate(count=Count("id")).order_by("kind")
    )
    print(counts)
    assert counts == {
        OrganizationKind.PREFECTURE: 47,
        OrganizationKind.CITY: 792,
        OrganizationKind.SPECIAL_WARD: 23,
        OrganizationKind.TOWN: 743,
        OrganizationKind.VILLAGE: 183,
    }


def test_loaded_rows_have_full_width_kana_and_prefecture_code(db):
    municipalities_load()
    rows = Organization.objects.filter(code__in=["010006", "011002", "131016"]).order_by("code")
    assert [(o.name, o.kana, o.kind, o.prefecture_code) for o in rows] == [
        ("北海道", "ホッカイドウ", OrganizationKind.PREFECTURE, "01"),
        ("札幌市", "サッポロシ", OrganizationKind.CITY, "01"),
        ("千代田区", "チヨダク", OrganizationKind.SPECIAL_WARD, "13"),
    ]


def test_changed_name_is_updated(db):
    municipalities_load()
    long_ago = timezone.now() - dt.timedelta(days=30)
    Organization.objects.filter(code="011002").update(name="旧札幌市", updated_at=long_ago)

    output = load()

    assert "新規 0 / 更新 1 / 変更なし 1787" in output
    sapporo = Organization.objects.get(code="011002")
    assert sapporo.name == "札幌市"
    assert sapporo.updated_at > long_ago


def test_unlisted_and_hand_entered_organizations_are_kept_and_absent_ones_counted(db):
    municipalities_load()
    merged_away = Organization.objects.create(
        code="01999" + check_digit("01999"),
        name="合併前町",
        kind=OrganizationKind.TOWN,
        prefecture_code="01",
    )
    Organization.objects.create(
        code="01998" + check_digit("01998"),
        name="廃止済町",
        kind=OrganizationKind.TOWN,
        prefecture_code="01",
        abolished_on=dt.date(2005, 3, 31),
    )
    Organization.objects.create(name="事務局", kind=OrganizationKind.SECRETARIAT)

    result = municipalities_load()
    output = load()

    assert result == LoadResult(created=0, updated=0, unchanged=1788, absent=1)
    assert "ファイルにない団体が 1 件あります" in output
    assert Organization.objects.count() == 1791
    merged_away.refresh_from_db()
    assert merged_away.name == "合併前町"


def test_bad_row_aborts_the_whole_load(db, tmp_path):
    municipalities_load()
    new_code = "01999" + check_digit("01999")
    path = write_csv(
        tmp_path / "bad.csv",
        [
            "011002,北海道,新札幌市,ﾎｯｶｲﾄﾞｳ,ｼﾝｻｯﾎﾟﾛｼ",
            f"{new_code},北海道,新設町,ﾎｯｶｲﾄﾞｳ,ｼﾝｾﾂﾁｮｳ",
            "012280,北海道,深川市,ﾎｯｶｲﾄﾞｳ,ﾌｶｶﾞﾜｼ",
        ],
    )

    with pytest.raises(CommandError) as caught:
        load(file=str(path))

    assert str(caught.value) == (
        "bad.csv の 4 行目: 団体コード 012280 の検査数字が正しくありません（正しくは 012289）。"
    )
    assert Organization.objects.count() == 1788
    assert Organization.objects.get(code="011002").name == "札幌市"
    assert not Organization.objects.filter(code=new_code).exists()


def test_bad_file_into_an_empty_database_creates_nothing(db, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        ["010006,北海道,,ﾎｯｶｲﾄﾞｳ,", "011002,北海道,札幌市,ﾎｯｶｲﾄﾞｳ,ｻｯﾎﾟﾛｼ", "01100,北海道,札幌市,,"],
    )

    with pytest.raises(CommandError, match=re.escape("bad.csv の 4 行目: 団体コードは6桁の数字で")):
        load(file=str(path))

    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ["011002,北海道,札幌市,,", "011002,北海道,札幌市,,"],
            "3 行目: 団体コード 011002 は 2 行目と重複しています。",
        ),
        (
            ["011002,青森県,札幌市,,"],
            "都道府県名「青森県」が団体コード 011002 の都道府県（北海道）",
        ),
        (["011002,北海道,,,"], "団体コード 011002 の市区町村名がありません。"),
        (
            ["011011,北海道,札幌市中央区,,"],
            "団体コード 011011（札幌市中央区）の種別を判定できません。",
        ),
        ([], "団体の行がありません。"),
    ],
)
def test_inconsistent_file_is_rejected(db, tmp_path, lines, message):
    path = write_csv(tmp_path / "bad.csv", lines)

    with pytest.raises(CommandError, match=message):
        load(file=str(path))

    assert not Organization.objects.exists()


def test_missing_or_unsupported_file_is_rejected(db, tmp_path):
    with pytest.raises(CommandError, match="ファイルが見つかりません"):
        load(file=str(tmp_path / "none.csv"))
    text = tmp_path / "list.txt"
    text.write_text(CSV_HEADER, encoding="utf-8")
    with pytest.raises(CommandError, match=r"CSV（\.csv）か Excel（\.xlsx）"):
        load(file=str(text))


def test_csv_without_the_columns_is_rejected(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("団体コード,団体名\n011002,札幌市\n", encoding="utf-8")

    with pytest.raises(CommandError, match="必要な列がありません: code, prefecture"):
        load(file=str(path))


def test_official_excel_format_loads(db, tmp_path):
    workbook = openpyxl.Workbook()
    current = workbook.active
    current.title = "R6.1.1現在の団体"
    # The official headers are written across two lines in their cells.
    current.append(
        [
            "団体コード",
            "都道府県名\n（漢字）",
            "市区町村名\n（漢字）",
            "都道府県名\n（カナ）",
            "市区町村名\n（カナ）",
        ]
    )
    current.append(["010006", "北海道", None, "ﾎｯｶｲﾄﾞｳ", None])
    current.append([11002, "北海道", "札幌市", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼ"])  # a code typed as a number
    current.append(["131016", "東京都", "千代田区", "ﾄｳｷｮｳﾄ", "ﾁﾖﾀﾞｸ"])
    current.append([None, None, None, None, None])
    # The wards of designated cities, on a second sheet, are not organizations of their own.
    wards = workbook.create_sheet("R6.1.1政令指定都市")
    wards.append(["団体コード", "市区町村名\n（漢字）", "市区町村名\n（カナ）"])
    wards.append(["011011", "札幌市中央区", "ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ"])
    path = tmp_path / "000925835.xlsx"
    workbook.save(path)

    output = load(file=str(path))

    assert "新規 3 / 更新 0 / 変更なし 0" in output
    assert dict(Organization.objects.values_list("code", "kana")) == {
        "010006": "ホッカイドウ",
        "011002": "サッポロシ",
        "131016": "チヨダク",
    }
    assert Organization.objects.get(code="131016").kind == OrganizationKind.SPECIAL_WARD


def test_excel_without_the_official_columns_is_rejected(db, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["コード", "名称"])
    path = tmp_path / "other.xlsx"
    workbook.save(path)

    with pytest.raises(CommandError, match="の列があるシートが見つかりません"):
        load(file=str(path))


def test_excel_row_numbers_are_sheet_rows(db, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "団体コード",
            "都道府県名（漢字）",
            "市区町村名（漢字）",
            "都道府県名（カナ）",
            "市区町村名（カナ）",
        ]
    )
    sheet.append(["010006", "北海道", None, "ﾎｯｶｲﾄﾞｳ", None])
    sheet.append(["012280", "北海道", "深川市", "ﾎｯｶｲﾄﾞｳ", "ﾌｶｶﾞﾜｼ"])
    path = tmp_path / "official.xlsx"
    workbook.save(path)

    with pytest.raises(
        CommandError, match=re.escape("official.xlsx の 3 行目: 団体コード 012280 の検査数字")
    ):
        load(file=str(path))

    assert not Organization.objects.exists()


def test_file_that_is_not_an_excel_workbook_is_rejected(db, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook")

    with pytest.raises(CommandError, match="Excel ファイルとして読み込めません"):
        load(file=str(path))


def test_bundled_list_as_an_official_workbook_loads_the_same_organizations(db, tmp_path):
    municipalities_load()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(XLSX_COLUMNS))
    with BUNDLED_FILE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            sheet.append([row[column] or None for column in CSV_COLUMNS])
    path = tmp_path / "official.xlsx"
    workbook.save(path)

    assert municipalities_load(path=path) == LoadResult(
        created=0, updated=0, unchanged=1788, absent=0
    )
