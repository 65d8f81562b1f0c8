"""Checking an uploaded file before anything in it is read: size, zip, XML, macros.

Everything in an uploaded file is hostile until checked. The zip is measured from its
directory before anything is unpacked (members, unpacked size, compression ratio); every
XML part is then streamed once, bounded by those sizes, and refused if it declares a DTD
or entities (billion laughs), is not UTF-8 (so that the byte scan is sound), or holds more
style or shared-string records than any answer sheet could. Only then does openpyxl open
it, read-only, and only the rows and columns the layout defines are read, whatever the
sheet's <dimension> says.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from django.core.files.uploadedfile import UploadedFile

from renkei.inquiries.offline.layout import OfflineSheetError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# Limits on what an upload may unpack to, checked before any XML is parsed. A filled
# answer sheet of 100 questions unpacks to well under 1 MB; the longest answers the web
# form takes (20,000 characters a 長文) fit many times over (docs/operations.md).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 200
# Sheet XML compresses 5–20 times; a part over RATIO_FLOOR_BYTES that unpacks more than
# MAX_COMPRESSION_RATIO times its packed size is a zip bomb, not a filled form.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_STYLE_RECORDS = 5_000
# openpyxl reads a shared string in about 50 µs: 20,000 take a second. An answer sheet has
# one per distinct label and answer, a few thousand at most.
MAX_SHARED_STRINGS = 20_000


NOT_XLSX = "Excel ブック（.xlsx）として読み込めません。ダウンロードした回答票を使ってください。"
MACRO = "マクロを含むファイルは受け付けません。マクロを含まない .xlsx で保存してください。"
TOO_BIG_UNPACKED = (
    "ファイルの中身が回答票として大きすぎます（展開後 {limit} MB まで、{detail}）。"
    "ダウンロードした回答票に記入したものを、そのまま保存してアップロードしてください。"
)


def _too_big(detail: str) -> OfflineSheetError:
    return OfflineSheetError(
        [TOO_BIG_UNPACKED.format(limit=MAX_UNPACKED_BYTES // 1024 // 1024, detail=detail)]
    )


def upload_check(upload: UploadedFile) -> bytes:
    """Return the bytes of an uploaded .xlsx, refusing other types, macros and hostile files."""
    name = (upload.name or "").lower()
    if not name.endswith(".xlsx"):
        raise OfflineSheetError(
            [
                "Excel ブック（.xlsx）のみアップロードできます。"
                "マクロ有効ブック（.xlsm）や旧形式（.xls）、その他の形式は受け付けません。"
            ]
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise OfflineSheetError(["ファイルが大きすぎます（上限 5 MB）。"])
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise OfflineSheetError(["ファイルが大きすぎます（上限 5 MB）。"])
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise OfflineSheetError(
            ["旧形式の Excel ファイル（.xls）です。.xlsx 形式で保存し直してください。"]
        )
    if not content.startswith(ZIP_MAGIC):
        raise OfflineSheetError([NOT_XLSX])
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise OfflineSheetError([NOT_XLSX]) from exc
    if len(entries) > MAX_MEMBERS:
        raise _too_big(f"ファイル内の部品が {len(entries):,} 個")
    names = {entry.filename.lower() for entry in entries}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise OfflineSheetError([NOT_XLSX])
    if any("vbaproject" in n for n in names):
        raise OfflineSheetError([MACRO])
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _too_big(f"展開すると {unpacked / 1024 / 1024:,.0f} MB")
    for entry in entries:
        if entry.file_size > RATIO_FLOOR_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise _too_big(f"「{entry.filename}」が {entry.file_size / 1024 / 1024:,.0f} MB に展開")
    try:
        content_types = archive.read("[Content_Types].xml")
        for entry in entries:
            _xml_part_check(archive, entry)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        EOFError,
        NotImplementedError,  # a compression method zipfile lacks
        RuntimeError,  # an encrypted part
        zlib.error,
    ) as exc:
        raise OfflineSheetError([NOT_XLSX]) from exc
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise OfflineSheetError([MACRO])
    return content


_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
# Start tags counted per part, with or without a namespace prefix (a prefixed closing tag
# counts too: over-counting only matters near limits far above a real sheet's).
_RECORDS = {
    "styles": ((b"<xf", b":xf"), MAX_STYLE_RECORDS),
    "shared strings": ((b"<si", b":si"), MAX_SHARED_STRINGS),
}


def _xml_part_check(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Refuse an XML part with a DTD, another encoding than UTF-8, or too many records.

    Every part is looked at, whatever its name: a part's relationships, not its name,
    decide what openpyxl parses. A part that does not start like XML is not XML to any
    parser and is left alone.
    """
    if entry.is_dir():
        return
    counts = dict.fromkeys(_RECORDS, 0)
    tail = b""
    first = True
    with archive.open(entry) as stream:
        while chunk := stream.read(1024 * 1024):
            if first:
                first = False
                head = chunk.lstrip(b" \t\r\n")
                if head.startswith(b"\xef\xbb\xbf"):
                    head = head[3:]
                if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] in (
                    b"<\x00?\x00",
                    b"\x00<\x00?",
                    b"\x00\x00\x00<",
                    b"<\x00\x00\x00",
                ):
                    raise OfflineSheetError(
                        [
                            f"「{entry.filename}」が UTF-8 以外の文字コードで書かれています。{NOT_XLSX}"
                        ]
                    )
                if not head.startswith(b"<"):
                    return  # binary: an image, a printer setting
                declared = _XML_DECLARATION.match(head)
                if declared and declared.group(1).lower().replace(b"_", b"-") not in (
                    b"utf-8",
                    b"utf8",
                ):
                    raise OfflineSheetError(
                        [
                            f"「{entry.filename}」が UTF-8 以外の文字コードで書かれています。{NOT_XLSX}"
                        ]
                    )
            window = tail + chunk
            if any(marker in window for marker in _FORBIDDEN):
                raise OfflineSheetError(
                    [
                        "ファイルに文書型定義（DTD）やエンティティ宣言が含まれているため読み込みません。"
                        "ダウンロードした回答票を Excel で保存したものを使ってください。"
                    ]
                )
            for kind, (tags, limit) in _RECORDS.items():
                # Counted in the window less the tail counted before, so a tag cut at a
                # chunk's edge counts once.
                counts[kind] += sum(window.count(tag) - tail.count(tag) for tag in tags)
                if counts[kind] > limit:
                    what = "書式（スタイル）" if kind == "styles" else "文字列"
                    raise OfflineSheetError(
                        [
                            f"ファイル内の{what}の数が多すぎます（上限 {limit:,} 個）。"
                            "ダウンロードした回答票に記入したものを使ってください。"
                        ]
                    )
            tail = window[-32:]
