"""Minutes as a Word document laid out like the seeds: title, header fields, sections, speakers.

The look lives in six paragraph styles, put once per process into an empty document made with
python-docx; an export writes the paragraphs as WordprocessingML text into that document's
body and zips it with the other parts unchanged. python-docx's per-paragraph API costs about
a millisecond a paragraph, and a three-hour meeting has well over 600 of them.
"""

import functools
import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from renkei.meetings.minutes_text import ParsedMinutes

FONT = "MS 明朝"
DOCUMENT_PART = "word/document.xml"
CONTENT_TYPES_PART = "[Content_Types].xml"
# style id → (name, left indent in characters, bold, space before in points)
STYLES = {
    "MinutesTitle": ("会議録表題", 0, True, 0),
    "MinutesHeading": ("会議録見出し", 0, True, 8),
    "MinutesItem": ("会議録議題", 1, True, 6),
    "MinutesText": ("会議録本文", 1, False, 0),
    "MinutesSpeaker": ("会議録発言者", 1, True, 2),
    "MinutesStatement": ("会議録発言", 2, False, 0),
}


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for style_id, (name, indent, bold, before) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = normal
        style.font.bold = bold
        style.paragraph_format.left_indent = Pt(10.5 * indent)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(2)
    title = document.styles["会議録表題"]
    title.font.size = Pt(14)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _paragraph(style_id: str, text: str) -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def minutes_paragraphs(parsed: ParsedMinutes) -> list[tuple[str, str]]:
    """Return the document's paragraphs as (style id, text), in order."""
    out = [("MinutesTitle", parsed.title)]
    for label, value in (
        ("日時", parsed.held_on),
        ("場所", parsed.venue),
        ("出席者", parsed.attendance),
        ("配付資料", parsed.materials),
    ):
        out.append(("MinutesHeading", label))
        out += [("MinutesText", line) for line in (value or "なし").split("\n")]
    for section in parsed.sections:
        if section.kind == "item":
            out += [("MinutesItem", line) for line in section.heading.split("\n")]
        else:
            out.append(("MinutesHeading", section.heading))
        out += [("MinutesText", paragraph) for paragraph in section.body]
        for statement in section.statements:
            if statement.speaker:
                out.append(("MinutesSpeaker", f"({statement.speaker})"))
                out += [("MinutesStatement", line) for line in statement.lines]
            else:
                out += [("MinutesText", line) for line in statement.lines]
    return out


@functools.cache
def _template() -> tuple[dict[str, bytes], bytes, bytes]:
    """Return the parts of an empty styled document, and its document.xml around the body.

    Made once per process with python-docx; each export then copies the parts and writes only
    word/document.xml, so no XML is parsed or serialized again per export.
    """
    document = Document()
    _styles(document)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts.pop(DOCUMENT_PART)
    body_start = xml.index(b"<w:body>") + len(b"<w:body>")
    section_start = xml.index(b"<w:sectPr", body_start)
    return parts, xml[:body_start], xml[section_start:]


def minutes_docx(parsed: ParsedMinutes) -> bytes:
    """Return the .docx of the minutes."""
    parts, head, tail = _template()
    paragraphs = "".join(_paragraph(style, text) for style, text in minutes_paragraphs(parsed))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(CONTENT_TYPES_PART, parts[CONTENT_TYPES_PART])
        for name, content in parts.items():
            if name != CONTENT_TYPES_PART:
                archive.writestr(name, content)
        archive.writestr(DOCUMENT_PART, head + paragraphs.encode() + tail)
    return buffer.getvalue()
