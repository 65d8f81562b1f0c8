"""Minutes as plain text, both ways: read pasted minutes into a structure, and write it back.

The reader is a list of rules a person can check, applied line by line in this order:

1. Page chrome before the title (「本文へジャンプ」「現在位置:…」) is not minutes; those lines
   are reported, not used. The title is the first line naming 会議録, 議事録 or 議事要旨.
2. From 「このページに掲載されている情報の問い合わせ先」 on, the page footer: reported, not used.
3. A header label alone on its line (日時, 場所, 出席者, 配付資料 and their synonyms), or
   followed by 「：」 and the value, opens that header field; the following lines are its value.
4. A section name alone on its line (開会, 挨拶, 出席者紹介, 議題/議事, その他, 閉会 …),
   with or without a number in front (「1 開会」「（2）挨拶」), opens that section.
5. A speaker line: a name in parentheses, half- or full-width (「(多治見市)」「（事務局）」),
   or a name after a mark (「○多治見市委員」), or a name of a known kind (…委員, …会長,
   事務局長, …市/町/村/県/省) followed by 「：」 and the words. The words follow until the next
   rule matches.
6. 「質疑」「意見」「質疑応答」「主な意見」 alone on a line only announce statements.
7. A narrative line (「…から…説明が行われ」「以下の質疑応答」) after statements goes back to
   the section's own text, not to the last speaker.
8. After the header, a short line that does not end a sentence (no 「。」「、」 at its end) is an
   agenda item's heading (「本会の概要について」「議題1 …」「深川市:…」); a numbered line right
   after a heading continues it (「2.シンクライアントの導入」).
9. The resolution of an item is the first sentence of its text naming one of 原案のとおり承認,
   修正のうえ承認, 継続審議, 報告了承 (or a line 「結果：…」).

Anything no rule places (text before the first section, a speaker with no words) is returned in
`unplaced` with the reason, for the secretariat to look at instead of a guess.
"""

import re
import unicodedata
from dataclasses import dataclass, field

HEADER_FIELDS = {
    "held_on": ("日時", "開催日時", "日 時", "開催日"),
    "venue": ("場所", "会場", "開催場所", "場 所"),
    "attendance": ("出席者", "出席", "出席委員", "出席者等"),
    "materials": ("配付資料", "配布資料", "資料"),
}
SECTION_NAMES = {
    "opening": ("開会", "開会の辞", "開会宣言"),
    "greeting": ("挨拶", "あいさつ", "会長挨拶", "会長あいさつ"),
    "introduction": ("出席者紹介", "委員紹介"),
    "proceedings": ("議題", "議事", "協議事項", "審議事項", "報告事項", "議事の経過"),
    "other": ("その他",),
    "closing": ("閉会", "閉会の辞", "散会"),
}
SECTION_HEADINGS = {
    "opening": "開会",
    "greeting": "挨拶",
    "introduction": "出席者紹介",
    "proceedings": "議題",
    "other": "その他",
    "closing": "閉会",
}
RESOLUTIONS = (
    ("amended", re.compile(r"修正の(?:うえ|上)[、]?承認")),
    ("approved", re.compile(r"原案(?:のとおり|の通り|どおり|通り)[、]?(?:承認|了承|可決)")),
    ("continued", re.compile(r"継続(?:審議|協議)")),
    ("noted", re.compile(r"報告(?:を|について|のとおり)?了承|了承された")),
)
DISCUSSION_MARKERS = {"質疑", "意見", "質疑応答", "主な意見", "質疑・意見", "意見交換", "主な質疑"}
SPEAKER_KINDS = r"(?:委員長|副委員長|委員|副会長|会長|幹事長|幹事|事務局長|事務局|議長|市|町|村|県|都|府|道|省|区|課長|部長|室長)"

_NUMBER = (
    r"(?:第?[0-9]+[.)、]|[(][0-9]+[)]|[0-9]+\s|議題\s*[0-9]+\s*[.:]?|[一二三四五六七八九十]+[.、])"
)
_PAREN_SPEAKER = re.compile(r"^[(]([^()]{1,30})[)]$")
_MARK_SPEAKER = re.compile(r"^[○◯〇●◎]\s*([^\s:。、]{1,25})(?:[\s:]+(.+))?$")
_COLON_SPEAKER = re.compile(rf"^([^\s:。、()]{{0,20}}{SPEAKER_KINDS})\s*:\s*(.+[。?!])$")
_NUMBERED = re.compile(rf"^{_NUMBER}\s*")
_RESULT_LINE = re.compile(r"^[【\[]?(?:結果|決定事項|結論)[】\]]?\s*[:]?\s*(.+)$")
_NARRATIVE = re.compile(
    r"(?:から|より).{0,80}(?:説明|発表|報告|提案)が(?:行われ|あ)|以下の質疑応答|議事を進め"
)
_TITLE = re.compile(r"会議録|議事録|議事要旨")
_FOOTER = re.compile(r"^このページに掲載されている情報の問い合わせ先")
_CHROME = re.compile(r"^(?:本文へジャンプ|現在位置)")


def _fold(line: str) -> str:
    """Return the line as rules compare it: NFKC (full width → half width), no outer spaces."""
    return unicodedata.normalize("NFKC", line).strip()


@dataclass
class ParsedStatement:
    speaker: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class ParsedSection:
    kind: str
    heading: str
    body: list[str] = field(default_factory=list)
    statements: list[ParsedStatement] = field(default_factory=list)
    resolution: str = ""
    resolution_text: str = ""


@dataclass
class Unplaced:
    line_number: int
    text: str
    reason: str


@dataclass
class ParsedMinutes:
    title: str = ""
    held_on: str = ""
    venue: str = ""
    attendance: str = ""
    materials: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)

    def items(self) -> list[ParsedSection]:
        """Return the agenda item sections."""
        return [s for s in self.sections if s.kind == "item"]


def _section_kind(folded: str) -> str | None:
    bare = _NUMBERED.sub("", folded).strip()
    for kind, names in SECTION_NAMES.items():
        if bare in names:
            return kind
    return None


def _header_field(folded: str) -> tuple[str, str] | None:
    folded = _NUMBERED.sub("", folded).strip()
    for name, labels in HEADER_FIELDS.items():
        for label in labels:
            if folded == label:
                return name, ""
            if folded.startswith(label + ":"):
                return name, folded[len(label) + 1 :].strip()
    return None


def _speaker(folded: str) -> tuple[str, str] | None:
    """Return (speaker, words on the same line) when the line opens a statement."""
    match = _PAREN_SPEAKER.match(folded)
    if match:
        name = match.group(1).strip()
        if name in DISCUSSION_MARKERS:
            return None
        return name, ""
    match = _MARK_SPEAKER.match(folded)
    if match:
        return match.group(1), (match.group(2) or "").strip()
    match = _COLON_SPEAKER.match(folded)
    if match:
        return match.group(1), match.group(2).strip()
    return None


def _is_heading(folded: str) -> bool:
    if not folded or len(folded) > 80:
        return False
    if folded[-1] in "。、,.!?」』)":
        return folded[-1] == ")" and bool(_NUMBERED.match(folded)) and len(folded) < 40
    return folded[0] not in "・•-*「『"


def _resolution_of(section: ParsedSection) -> None:
    narrative = [line for st in section.statements if not st.speaker for line in st.lines]
    for line in section.body + narrative:
        explicit = _RESULT_LINE.match(_fold(line))
        candidates = [explicit.group(1)] if explicit else re.split(r"(?<=。)", line)
        for sentence in candidates:
            for code, pattern in RESOLUTIONS:
                if pattern.search(_fold(sentence)):
                    section.resolution = code
                    section.resolution_text = sentence.strip()
                    return


def minutes_parse(text: str) -> ParsedMinutes:
    """Read pasted minutes into header fields, sections, statements and resolutions."""
    result = ParsedMinutes()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header: str | None = None
    section: ParsedSection | None = None
    statement: ParsedStatement | None = None
    in_footer = False
    heading_open = False  # the last placed line was an item heading
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().replace("\u3000", " ").strip()
        folded = _fold(raw)
        if not folded:
            continue
        if in_footer or _FOOTER.match(folded):
            in_footer = True
            result.unplaced.append(Unplaced(number, line, "ページの末尾（問い合わせ先など）"))
            continue
        if not result.title:
            if _TITLE.search(folded) and not _CHROME.match(folded):
                result.title = line
            else:
                result.unplaced.append(Unplaced(number, line, "表題より前の行"))
            continue
        kind = _section_kind(folded)
        if kind is not None:
            section = ParsedSection(kind=kind, heading=SECTION_HEADINGS[kind])
            result.sections.append(section)
            header, statement, heading_open = None, None, False
            continue
        found = _header_field(folded) if section is None else None
        if found is not None:
            header, value = found
            if value:
                setattr(result, header, value)
            continue
        if section is None:
            if header is not None:
                old = getattr(result, header)
                setattr(result, header, f"{old}\n{line}" if old else line)
            else:
                result.unplaced.append(
                    Unplaced(number, line, "見出し（日時・場所・開会など）の外の行")
                )
            continue
        if folded in DISCUSSION_MARKERS or folded.strip("【】[]()") in DISCUSSION_MARKERS:
            statement, heading_open = None, False
            continue
        speaker = _speaker(folded)
        if speaker is not None:
            name, words = speaker
            statement = ParsedStatement(speaker=name, lines=[words] if words else [])
            section.statements.append(statement)
            heading_open = False
            continue
        if heading_open and _NUMBERED.match(folded) and _is_heading(folded):
            section.heading = f"{section.heading}\n{line}"
            continue
        if (
            (statement is None or statement.lines)
            and _is_heading(folded)
            and section.kind != "closing"
        ):
            bare = re.sub(r"^議題\s*[0-9]+\s*[.:]?\s*", "", folded)
            section = ParsedSection(kind="item", heading=line if bare == folded else bare)
            result.sections.append(section)
            statement, heading_open = None, True
            continue
        heading_open = False
        if statement is not None and (statement.speaker == "" or not _NARRATIVE.search(folded)):
            statement.lines.append(line)
            continue
        if statement is not None or section.statements:
            # Narrative after statements keeps its place: a statement without a speaker.
            statement = ParsedStatement(speaker="", lines=[line])
            section.statements.append(statement)
            continue
        section.body.append(line)
    for section in result.sections:
        for st in list(section.statements):
            if st.speaker and not st.lines:
                section.statements.remove(st)
                result.unplaced.append(
                    Unplaced(0, f"({st.speaker})", f"「{section.heading}」の発言者に発言がない")
                )
        _resolution_of(section)
    return result


def minutes_render(parsed: ParsedMinutes) -> str:
    """Write the structure back as text in the seeds' layout (the reader reads it back)."""
    out: list[str] = [parsed.title, ""]
    for label, value in (
        ("日時", parsed.held_on),
        ("場所", parsed.venue),
        ("出席者", parsed.attendance),
        ("配付資料", parsed.materials),
    ):
        out += [label, "", value or "なし", ""]
    for section in parsed.sections:
        out += [section.heading, ""]
        for paragraph in section.body:
            out += [paragraph, ""]
        for st in section.statements:
            if st.speaker:
                out += [f"({st.speaker})", ""]
            for paragraph in st.lines:
                out += [paragraph, ""]
    return "\n".join(out).rstrip() + "\n"
