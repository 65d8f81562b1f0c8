"""Minutes as a Word document laid out like the seeds: title, header fields, sections, speakers."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from renkei.meetings.minutes_text import ParsedMinutes

FONT = "MS 明朝"


def minutes_docx(parsed: ParsedMinutes) -> bytes:
    """Return the .docx of the minutes."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(parsed.title)
    run.bold = True
    run.font.size = Pt(14)
    for label, value in (
        ("日時", parsed.held_on),
        ("場所", parsed.venue),
        ("出席者", parsed.attendance),
        ("配付資料", parsed.materials),
    ):
        _heading(document, label)
        for line in (value or "なし").split("\n"):
            _indented(document, line)
    for section in parsed.sections:
        _heading(document, section.heading, level=2 if section.kind == "item" else 1)
        for paragraph in section.body:
            _indented(document, paragraph)
        for statement in section.statements:
            if statement.speaker:
                _indented(document, f"({statement.speaker})", bold=True)
            for paragraph in statement.lines:
                _indented(document, paragraph, indent=2)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _heading(document, text: str, *, level: int = 1) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(8 if level == 1 else 6)
    if level == 2:
        paragraph.paragraph_format.left_indent = Pt(10.5)
    run = paragraph.add_run(text)
    run.bold = True


def _indented(document, text: str, *, indent: int = 1, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Pt(10.5 * indent)
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold = bold
