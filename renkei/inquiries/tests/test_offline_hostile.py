"""Hostile answer sheets: each is refused or read within bounded time and memory.

Every file starts from the organization's own, correctly signed sheet, so that what stops
it is the limit under test and not the signature.
"""

import io
import re
import time
import tracemalloc
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.inquiries.models import Answer
from renkei.inquiries.offline.layout import OfflineSheetError
from renkei.inquiries.offline.reading import answer_sheet_read
from renkei.inquiries.offline.upload_checks import (
    MAX_SHARED_STRINGS,
    MAX_STYLE_RECORDS,
    MAX_UNPACKED_BYTES,
    upload_check,
)
from renkei.inquiries.permissions import get_answer_for
from renkei.inquiries.tests.offline_sheets import (
    VALID,
    sheet_download,
    sheet_fill,
    sheet_import,
    sheet_upload,
)
from renkei.testing import login_client as login

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
# Generous: a sheet is read in well under a second; a hostile one must not take the worker.
MAX_SECONDS = 10
MAX_PEAK_BYTES = 150 * 1024 * 1024


def _rezip(content, replace=None, add=None, level=9):
    """Return the xlsx with parts replaced (bytes or a function of the old bytes) or added."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if level == 0 else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method, compresslevel=level or None) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            change = replace.get(item.filename)
            if change is not None:
                body = change(body) if callable(change) else change
            target.writestr(item.filename, body)
        for name, body in add.items():
            target.writestr(name, body)
    return out.getvalue()


def _filled(council, inquiry):
    return sheet_fill(sheet_download(council, inquiry), VALID)


SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>'


def _with_strings(content, strings_xml, sheet=None, level=9):
    """Give the workbook a shared-string part (openpyxl writes none), and edit its sheet."""
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    relation = (
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    )
    replace = {
        "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", override + b"</Types>"),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            b"</Relationships>", relation + b"</Relationships>"
        ),
    }
    if sheet is not None:
        replace[SHEET] = sheet
    return _rezip(content, replace, add={STRINGS: strings_xml}, level=level)


def _measured(council, inquiry, content):
    """Read the sheet as an upload; return its error messages or None, checking the bounds.

    Timed without tracing (tracemalloc slows Python several times), then read again under
    tracemalloc for the peak memory; neither read saves anything.
    """
    answer = get_answer_for(council.staff, inquiry.pk)

    def read():
        try:
            answer_sheet_read(answer=answer, content=upload_check(sheet_upload(content)))
        except OfflineSheetError as error:
            return error.errors
        return None

    started = time.monotonic()
    errors = read()
    assert time.monotonic() - started < MAX_SECONDS
    tracemalloc.start()
    try:
        assert read() == errors
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_PEAK_BYTES
    return errors


def _dimension_bomb(xml: bytes) -> bytes:
    xml, replaced = re.subn(
        rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml
    )
    assert replaced == 1
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace(b"</sheetData>", far + b"</sheetData>")


def test_dimension_bomb_is_read_within_the_layout_only(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    bomb = _rezip(_filled(council, inquiry), {SHEET: _dimension_bomb})
    assert len(bomb) < 16 * 1024

    errors = _measured(council, inquiry, bomb)

    assert errors is None
    sheet_import(council, inquiry, bomb)
    answer = Answer.objects.get(inquiry=inquiry, organization=council.member_org)
    assert answer.data[str(q["number"].pk)] == 70


def test_dimension_bomb_in_the_hidden_sheet_is_read_within_bounds(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    bomb = _rezip(_filled(council, inquiry), {"xl/worksheets/sheet3.xml": _dimension_bomb})

    assert _measured(council, inquiry, bomb) is None


def test_dimension_bomb_upload_through_the_page_is_saved(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    bomb = _rezip(_filled(council, inquiry), {SHEET: _dimension_bomb})

    started = time.monotonic()
    response = login(council.staff).post(
        reverse("inquiries:offline", args=[inquiry.pk]),
        {"sheet": SimpleUploadedFile("回答票.xlsx", bomb)},
    )

    assert time.monotonic() - started < MAX_SECONDS
    assert response.status_code == 302


def test_zip_bomb_is_refused_before_it_is_unpacked(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    padding = b"<x/>" + b" " * (MAX_UNPACKED_BYTES + 1024)
    bomb = _rezip(_filled(council, inquiry), add={"xl/padding.xml": padding})
    assert len(bomb) < 100 * 1024

    errors = _measured(council, inquiry, bomb)

    assert errors[0].startswith("ファイルの中身が回答票として大きすぎます（展開後 20 MB まで")


def test_part_unpacking_far_beyond_its_packed_size_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    bomb = _rezip(_filled(council, inquiry), add={"xl/padding.xml": b"<x>" + b"a" * 4_000_000})

    errors = _measured(council, inquiry, bomb)

    assert "「xl/padding.xml」が 4 MB に展開" in errors[0]


def test_zip_with_thousands_of_parts_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    parts = {f"xl/extra/{i}.xml": b"<x/>" for i in range(300)}
    errors = _measured(council, inquiry, _rezip(_filled(council, inquiry), add=parts))

    assert "ファイル内の部品が" in errors[0]


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
    + SST % b"<si><t>&lol9;</t></si>"
)


def _in_b16(xml):
    """Make B16 (the 長文 answer) show shared string 0."""
    return re.sub(
        rb'<c r="B16"[^>]*?(/>|>.*?</c>)', b'<c r="B16" t="s"><v>0</v></c>', xml, flags=re.S
    )


def test_billion_laughs_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = _with_strings(_filled(council, inquiry), LAUGHS, sheet=_in_b16)

    errors = _measured(council, inquiry, content)

    assert errors[0].startswith("ファイルに文書型定義（DTD）やエンティティ宣言が含まれている")


def test_dtd_hidden_in_utf16_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    utf16 = LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    content = _with_strings(_filled(council, inquiry), utf16.encode("utf-16"), sheet=_in_b16)

    errors = _measured(council, inquiry, content)

    assert "UTF-8 以外の文字コード" in errors[0]


def test_dtd_in_a_part_with_another_name_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = _rezip(_filled(council, inquiry), add={"xl/custom/part.bin": LAUGHS})

    errors = _measured(council, inquiry, content)

    assert errors[0].startswith("ファイルに文書型定義（DTD）")


def test_shared_string_is_read_into_its_cell(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    content = _with_strings(
        _filled(council, inquiry), SST % "<si><t>共有文字列</t></si>".encode(), sheet=_in_b16
    )

    assert _measured(council, inquiry, content) is None

    sheet_import(council, inquiry, content)
    answer = Answer.objects.get(inquiry=inquiry, organization=council.member_org)
    assert answer.data[str(q["text"].pk)] == "共有文字列"


def _styles(count):
    def edit(xml):
        xfs = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
        return re.sub(
            rb"<cellXfs[^>]*>.*?</cellXfs>",
            b'<cellXfs count="%d">' % count + xfs + b"</cellXfs>",
            xml,
            flags=re.S,
        )

    return edit


def test_fifty_thousand_styles_are_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    # Stored, not deflated: the count, not the compression ratio, is what refuses it.
    content = _rezip(_filled(council, inquiry), {STYLES: _styles(50_000)}, level=0)

    errors = _measured(council, inquiry, content)

    assert errors[0] == (
        f"ファイル内の書式（スタイル）の数が多すぎます（上限 {MAX_STYLE_RECORDS:,} 個）。"
        "ダウンロードした回答票に記入したものを使ってください。"
    )


def test_styles_just_under_the_limit_are_read_within_bounds(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = _rezip(_filled(council, inquiry), {STYLES: _styles(MAX_STYLE_RECORDS - 100)})

    assert _measured(council, inquiry, content) is None


def _strings(count, text=b"x"):
    return SST % ((b"<si><t>" + text + b"</t></si>") * count)


def test_huge_shared_string_table_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    strings = _strings(MAX_SHARED_STRINGS * 2)
    content = _with_strings(_filled(council, inquiry), strings, sheet=_in_b16, level=0)

    errors = _measured(council, inquiry, content)

    assert errors == [
        f"ファイル内の文字列の数が多すぎます（上限 {MAX_SHARED_STRINGS:,} 個）。"
        "ダウンロードした回答票に記入したものを使ってください。"
    ]


def test_huge_shared_string_table_packed_tight_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = _with_strings(_filled(council, inquiry), _strings(1_000_000), sheet=_in_b16)

    errors = _measured(council, inquiry, content)

    assert "「xl/sharedStrings.xml」が 16 MB に展開" in errors[0]


def test_shared_strings_just_under_the_limit_are_read_within_bounds(council, sheet_inquiry):
    inquiry, q = sheet_inquiry
    strings = _strings(MAX_SHARED_STRINGS - 100, text="長文".encode())
    content = _with_strings(_filled(council, inquiry), strings, sheet=_in_b16, level=0)

    assert _measured(council, inquiry, content) is None

    sheet_import(council, inquiry, content)
    answer = Answer.objects.get(inquiry=inquiry, organization=council.member_org)
    assert answer.data[str(q["text"].pk)] == "長文"


def test_fifteen_million_characters_in_a_52kb_upload_are_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    strings = _strings(1, text="あ".encode() * 15_000_000)
    content = _with_strings(_filled(council, inquiry), strings, sheet=_in_b16)
    assert len(content) < 200 * 1024

    errors = _measured(council, inquiry, content)

    assert errors[0].startswith("ファイルの中身が回答票として大きすぎます")
    assert not Answer.objects.filter(inquiry=inquiry, organization=council.member_org).exists()


def test_five_million_characters_packed_tight_are_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    strings = _strings(1, text="あ".encode() * 5_000_000)
    content = _with_strings(_filled(council, inquiry), strings, sheet=_in_b16)

    errors = _measured(council, inquiry, content)

    assert "「xl/sharedStrings.xml」が 14 MB に展開" in errors[0]


def test_upload_not_starting_like_a_zip_is_refused(council, sheet_inquiry):
    inquiry, _ = sheet_inquiry
    content = b"\x00\x00" + _filled(council, inquiry)

    errors = _measured(council, inquiry, content)

    assert errors == [
        "Excel ブック（.xlsx）として読み込めません。ダウンロードした回答票を使ってください。"
    ]
