"""Loading the official municipality master (JIS X 0402) into the organizations."""

import csv
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl.utils.exceptions import InvalidFileException

from renkei.core.errors import ServiceError
from renkei.core.text import name_search_key
from renkei.directory.jis_codes import kind_for, prefecture_code, validate_code
from renkei.directory.models import LISTED_KINDS, Organization, OrganizationKind
from renkei.directory.prefectures import PREFECTURES

BUNDLED_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"

# Columns of the bundled CSV, and the headers of the same columns in the official
# 総務省 workbook, in the same order.
CSV_COLUMNS = ("code", "prefecture", "city", "prefecture_kana", "city_kana")
XLSX_COLUMNS = (
    "団体コード",
    "都道府県名（漢字）",
    "市区町村名（漢字）",
    "都道府県名（カナ）",
    "市区町村名（カナ）",
)

_UPDATED_FIELDS = ["name", "kana", "name_folded", "kind", "prefecture_code", "updated_at"]
_BATCH_SIZE = 500


class MunicipalityFileError(ServiceError):
    """A municipality file that cannot be loaded; the message is shown to the user."""


@dataclass(frozen=True)
class LoadResult:
    """What loading a municipality file did to the organizations."""

    created: int
    updated: int
    unchanged: int
    # Listed organizations, not yet marked abolished, whose code is not in the file.
    absent: int


@dataclass(frozen=True)
class _Row:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class _Municipality:
    code: str
    name: str
    kana: str
    kind: OrganizationKind
    prefecture_code: str


def municipalities_load(*, path: Path | None = None) -> LoadResult:
    """Create or update the listed organizations from a CSV or official .xlsx file."""
    path = path or BUNDLED_FILE
    # Every row is checked before the first write, so a bad row leaves the database as it was.
    municipalities = _parse(rows=_read(path=path), source=path.name)
    with transaction.atomic():
        return _save(municipalities=municipalities)


def _read(*, path: Path) -> list[_Row]:
    if not path.is_file():
        raise MunicipalityFileError(f"ファイルが見つかりません: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path=path)
    if suffix == ".xlsx":
        return _read_xlsx(path=path)
    raise MunicipalityFileError(
        f"{path.name} は読み込めません。CSV（.csv）か Excel（.xlsx）のファイルを指定してください。"
    )


def _read_csv(*, path: Path) -> list[_Row]:
    rows = []
    try:
        # utf-8-sig: a CSV saved again from Excel starts with a byte order mark.
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            missing = [column for column in CSV_COLUMNS if column not in (reader.fieldnames or [])]
            if missing:
                raise MunicipalityFileError(
                    f"{path.name} に必要な列がありません: {', '.join(missing)}"
                )
            for record in reader:
                values = {column: (record[column] or "").strip() for column in CSV_COLUMNS}
                rows.append(_Row(line=reader.line_num, values=values))
    except UnicodeDecodeError as error:
        raise MunicipalityFileError(
            f"{path.name} は UTF-8 で保存されていません。UTF-8 の CSV を指定してください。"
        ) from error
    return rows


def _read_xlsx(*, path: Path) -> list[_Row]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError) as error:
        raise MunicipalityFileError(
            f"{path.name} を Excel ファイルとして読み込めません。"
        ) from error
    wanted = [_header_key(column) for column in XLSX_COLUMNS]
    try:
        # The official workbook lists the current organizations on its first sheet and the
        # wards of designated cities on a later one; take the first sheet with the columns.
        for sheet in workbook.worksheets:
            # Read-only mode trusts the size the file declares, which some tools leave stale;
            # forgetting it makes openpyxl read every row that is really there.
            sheet.reset_dimensions()
            cells = sheet.iter_rows(values_only=True)
            header = [_header_key(cell) for cell in next(cells, ())]
            if not all(key in header for key in wanted):
                continue
            positions = [header.index(key) for key in wanted]
            rows = []
            for line, cells_of_row in enumerate(cells, start=2):
                texts = [_cell_text(_cell(cells_of_row, position)) for position in positions]
                if not any(texts):
                    continue
                code_cell = _cell(cells_of_row, positions[0])
                # A code typed as a number loses its leading zero (北海道 010006 → 10006).
                if isinstance(code_cell, int):
                    texts[0] = f"{code_cell:06d}"
                rows.append(_Row(line=line, values=dict(zip(CSV_COLUMNS, texts, strict=True))))
            return rows
    finally:
        workbook.close()
    raise MunicipalityFileError(
        f"{path.name} に {'・'.join(XLSX_COLUMNS)} の列があるシートが見つかりません。"
    )


def _header_key(cell: object) -> str:
    # The official headers are written across two lines (都道府県名\n（漢字）); NFKC also makes
    # full-width and half-width brackets compare equal.
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", _cell_text(cell)))


def _cell(cells: tuple[object, ...], position: int) -> object:
    return cells[position] if position < len(cells) else None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse(*, rows: list[_Row], source: str) -> list[_Municipality]:
    if not rows:
        raise MunicipalityFileError(f"{source} に団体の行がありません。")
    municipalities = []
    line_by_code: dict[str, int] = {}
    for row in rows:
        try:
            municipality = _municipality(values=row.values)
        except ValidationError as error:
            raise MunicipalityFileError(
                f"{source} の {row.line} 行目: {' '.join(error.messages)}"
            ) from error
        if municipality.code in line_by_code:
            raise MunicipalityFileError(
                f"{source} の {row.line} 行目: 団体コード {municipality.code} は "
                f"{line_by_code[municipality.code]} 行目と重複しています。"
            )
        line_by_code[municipality.code] = row.line
        municipalities.append(municipality)
    return municipalities


def _municipality(*, values: dict[str, str]) -> _Municipality:
    code = validate_code(values["code"])
    prefecture = PREFECTURES.get(prefecture_code(code))
    if prefecture is None:
        raise ValidationError(
            f"団体コード {code} の都道府県コード {prefecture_code(code)} はありません。"
        )
    if values["prefecture"] != prefecture:
        raise ValidationError(
            f"都道府県名「{values['prefecture']}」が団体コード {code} の都道府県（{prefecture}）と"
            "一致しません。"
        )
    is_prefecture = code[2:5] == "000"
    name = prefecture if is_prefecture else values["city"]
    if not name:
        raise ValidationError(f"団体コード {code} の市区町村名がありません。")
    # The official list writes kana in half-width katakana (ｻｯﾎﾟﾛｼ); NFKC makes it サッポロシ.
    kana = unicodedata.normalize(
        "NFKC", values["prefecture_kana"] if is_prefecture else values["city_kana"]
    )
    if len(name) > Organization._meta.get_field("name").max_length:
        raise ValidationError(f"団体名「{name}」が長すぎます。")
    if len(kana) > Organization._meta.get_field("kana").max_length:
        raise ValidationError(f"フリガナ「{kana}」が長すぎます。")
    return _Municipality(
        code=code,
        name=name,
        kana=kana,
        kind=kind_for(code=code, name=name),
        prefecture_code=prefecture_code(code),
    )


def _save(*, municipalities: list[_Municipality]) -> LoadResult:
    # One query for every coded organization (a few thousand at most) rather than a
    # code__in filter with 1,788 parameters.
    existing = {org.code: org for org in Organization.objects.filter(code__isnull=False)}
    now = timezone.now()
    to_create = []
    to_update = []
    for municipality in municipalities:
        org = existing.get(municipality.code)
        if org is None:
            to_create.append(
                Organization(
                    code=municipality.code,
                    name=municipality.name,
                    kana=municipality.kana,
                    kind=municipality.kind,
                    prefecture_code=municipality.prefecture_code,
                )
            )
            continue
        current = (org.name, org.kana, org.kind, org.prefecture_code)
        loaded = (
            municipality.name,
            municipality.kana,
            municipality.kind,
            municipality.prefecture_code,
        )
        if current == loaded:
            continue
        org.name, org.kana, org.kind, org.prefecture_code = loaded
        # bulk_update() runs neither auto_now nor the search key's pre_save, so both are set here.
        org.updated_at = now
        org.name_folded = name_search_key(org.name, org.kana)
        to_update.append(org)
    Organization.objects.bulk_create(to_create, batch_size=_BATCH_SIZE)
    Organization.objects.bulk_update(to_update, _UPDATED_FIELDS, batch_size=_BATCH_SIZE)
    listed_codes = {municipality.code for municipality in municipalities}
    absent = sum(
        1
        for code, org in existing.items()
        if code not in listed_codes and org.kind in LISTED_KINDS and org.abolished_on is None
    )
    return LoadResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(municipalities) - len(to_create) - len(to_update),
        absent=absent,
    )
