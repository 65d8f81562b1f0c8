"""Many plain rows of a sheet written as SpreadsheetML text into a workbook XlsxWriter made.

XlsxWriter's cell methods cost ~5 µs a cell (a named tuple stored per cell, then each written
out with its escaping and shared-string lookup at close): a 1,000-row list of nine columns is
~50 ms of the library's own work whatever the caller does. For a long sheet of plain cells —
text, numbers, one number format per column — XlsxWriter makes the frame (styles, title, header,
column widths, frozen panes, filter, every other part of the package) with a *probe row* right
after the header, and the rows are then written as `<row>` elements in one string per row and
put in the probe row's place (Office Open XML, ECMA-376 Part 1 §18.3.1.73). Cells are written
as inline strings (`t="inlineStr"`, what XlsxWriter itself writes in constant-memory mode), so
the shared-strings part stays as XlsxWriter left it.

Text is escaped as XlsxWriter escapes it: `& < >` as entities, control characters as
`_xHHHH_` and a literal `_xHHHH_` with its underscore escaped. Formula injection is not this
module's concern: a string cell is never a formula, and callers `neutralize` what people typed
as every export does (renkei/core/csv_safety.py).
"""

import io
import re
import zipfile
from collections.abc import Iterable

from xlsxwriter.utility import xl_col_to_name

_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_NEEDS_WORK = re.compile(r"[&<>_\x00-\x08\x0b-\x1f\ufffe\uffff]")


def _control_escape(match: re.Match) -> str:
    return f"_x{ord(match.group()):04X}_"


def xml_text(value: str) -> str:
    """Return text escaped for a cell's `<t>` element, as Excel reads it back."""
    if not _NEEDS_WORK.search(value):
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _ESCAPED_ESCAPE.sub(r"_x005F\1", value)
    return _CONTROL.sub(_control_escape, value)


def text_cell(ref: str, value: str) -> str:
    """Return an inline string cell (empty text too, as XlsxWriter's write_string writes it)."""
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{xml_text(value)}</t></is></c>'


def probe_style(sheet_xml: str, ref: str) -> str:
    """Return the style index XlsxWriter gave the probe cell `ref` ("0" when it has none)."""
    found = re.search(rf'<c r="{ref}"(?: s="(\d+)")?', sheet_xml)
    if found is None:
        raise ValueError(f"the workbook frame has no probe cell {ref}")
    return found.group(1) or "0"


def sheet_xml_of(workbook: bytes, *, sheet: int = 1) -> str:
    """Return the XML of a worksheet (1-based, in the order XlsxWriter added them)."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as package:
        return package.read(f"xl/worksheets/sheet{sheet}.xml").decode()


def rows_put(
    workbook: bytes,
    *,
    rows: Iterable[str],
    probe_row: int,
    last_row: int,
    last_column: int,
    sheet: int = 1,
) -> bytes:
    """Return the workbook with the sheet's probe row replaced by the given `<row>` elements.

    `probe_row` is 1-based as in the XML; the probe row must be the sheet's last, and
    `last_row`/`last_column` (1-based, 0-based) give the sheet's new used range.
    """
    name = f"xl/worksheets/sheet{sheet}.xml"
    source = zipfile.ZipFile(io.BytesIO(workbook))
    xml = source.read(name).decode()
    start = xml.index(f'<row r="{probe_row}"')
    end = xml.index("</sheetData>", start)
    dimension = f"A1:{xl_col_to_name(last_column)}{max(last_row, probe_row - 1)}"
    head = re.sub(
        r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', xml[:start], count=1
    )
    body = "".join([head, *rows, xml[end:]]).encode()
    output = io.BytesIO()
    with source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = body if info.filename == name else source.read(info)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()
