"""Minutes as a Word document laid out like the seeds: title, header fields, sections, speakers.

The look lives in five paragraph styles defined once; the paragraphs are written as one piece
of WordprocessingML and parsed in one go, because python-docx's per-paragraph API costs about
a millisecond a paragraph and a three-hour meeting has well over 600 of them.
"""

import functools
import io
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from renkei.meetings.minutes_text import ParsedMinutes

FONT = "MS 明朝"
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
def _template() -> bytes:
    """Return an empty document with the minutes' styles (made once per process)."""
    document = Document()
    _styles(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minutes_docx(parsed: ParsedMinutes) -> bytes:
    """Return the .docx of the minutes."""
    document = Document(io.BytesIO(_template()))
    body = document.element.body
    xml = "".join(_paragraph(style, text) for style, text in minutes_paragraphs(parsed))
    fragment = parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>")
    section_properties = body.sectPr
    for paragraph in list(fragment):
        section_properties.addprevious(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
