"""Decode mail the way Japanese municipal mail clients actually send it, never guessing silently.

Outlook, Thunderbird, Becky! and Active! mail send Japanese text as ISO-2022-JP (often with
Windows extension characters such as ①, ㈱ or 髙 that plain ISO-2022-JP does not have —
Outlook's "CP50220" output), as Shift_JIS/CP932, or as UTF-8; headers as RFC 2047
encoded-words (sometimes raw 8-bit); attachment names as RFC 2231 parameters or, in older
clients, as encoded-words inside quotes.

ISO-2022-JP is decoded here by hand: each JIS X 0208 pair is moved to its CP932 position and
decoded by the strict `cp932` codec, which covers the NEC special characters (row 13) and the
NEC-selected IBM extensions (rows 89–92) that CP50220 emits. Nothing is ever replaced: text
that cannot be decoded raises `UndecodableText`, and the message is refused.
"""

import codecs
import re
from email.header import decode_header

ESC = 0x1B
SO, SI = 0x0E, 0x0F

# Charset labels clients put on Shift_JIS text; CP932 is their common superset.
SHIFT_JIS_NAMES = {
    "shift_jis",
    "shift-jis",
    "sjis",
    "x-sjis",
    "ms_kanji",
    "cp932",
    "windows-31j",
    "ms932",
    "csshiftjis",
    "x-ms-cp932",
}
ISO_2022_JP_NAMES = {
    "iso-2022-jp",
    "iso2022-jp",
    "csiso2022jp",
    "iso-2022-jp-1",
    "iso-2022-jp-2",
    "iso-2022-jp-3",
    "iso-2022-jp-2004",
    "iso-2022-jp-ext",
    "cp50220",
    "cp50221",
    "cp50222",
}
ASCII_NAMES = {"us-ascii", "ascii", "ansi_x3.4-1968", ""}

# JIS X 0212 and JIS X 0213 segments are left to the codecs that know those sets.
SEGMENT_CODECS = {
    b"$(D": "iso2022_jp_2",
    b"$(Q": "iso2022_jp_2004",
    b"$(O": "iso2022_jp_2004",
    b"$(P": "iso2022_jp_2004",
}


class UndecodableText(ValueError):
    """Text whose bytes do not decode in its declared (or any plausible) charset."""


def _jis_to_sjis(j1: int, j2: int) -> bytes:
    """Move a JIS X 0208 code pair to its Shift_JIS (CP932) position."""
    s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5E else 0xB0)
    s2 = (j2 + 0x1F + (1 if j2 >= 0x60 else 0)) if j1 % 2 else j2 + 0x7E
    return bytes((s1, s2))


def _jis_char(j1: int, j2: int) -> str:
    """Decode one JIS X 0208 pair: the standard mapping, else its Windows extension."""
    try:
        return (b"\x1b$B" + bytes((j1, j2))).decode("iso2022_jp")
    except UnicodeDecodeError:
        return _jis_to_sjis(j1, j2).decode("cp932")


def iso2022jp_decode(data: bytes) -> str:
    """Decode ISO-2022-JP with the Windows extensions (CP50220/50221/50222 output)."""
    out: list[str] = []
    mode = "ascii"  # ascii | jis | kana | segment
    shifted = False
    segment_escape = b""
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte == ESC:
            for escape, new_mode in (
                (b"(B", "ascii"),
                (b"(J", "ascii"),
                (b"(I", "kana"),
                (b"$B", "jis"),
                (b"$@", "jis"),
                (b"&@\x1b$B", "jis"),
            ):
                if data.startswith(escape, i + 1):
                    mode, i = new_mode, i + 1 + len(escape)
                    break
            else:
                escape = next((e for e in SEGMENT_CODECS if data.startswith(e, i + 1)), None)
                if escape is None:
                    raise UndecodableText(f"unknown escape sequence at byte {i}")
                mode, segment_escape, i = "segment", escape, i + 1 + len(escape)
            continue
        if byte == SO:
            shifted, i = True, i + 1
            continue
        if byte == SI:
            shifted, i = False, i + 1
            continue
        if byte in (0x0A, 0x0D):
            # A line end returns to ASCII in well-formed input; be lenient with clients that
            # forget to switch back, but never carry a two-byte mode into the next line.
            out.append(chr(byte))
            mode, shifted, i = "ascii", False, i + 1
            continue
        if byte >= 0x80:
            raise UndecodableText(f"8-bit byte 0x{byte:02x} in ISO-2022-JP text")
        if shifted or mode == "kana":
            if not 0x21 <= byte <= 0x5F:
                raise UndecodableText(f"byte 0x{byte:02x} outside half-width katakana")
            out.append(chr(0xFF61 + byte - 0x21))
            i += 1
            continue
        if mode == "ascii":
            out.append(chr(byte))
            i += 1
            continue
        if i + 1 >= n:
            raise UndecodableText("a two-byte character cut in half")
        j1, j2 = byte, data[i + 1]
        if not (0x21 <= j1 <= 0x7E and 0x21 <= j2 <= 0x7E):
            raise UndecodableText(f"bytes 0x{j1:02x}{j2:02x} outside JIS X 0208")
        try:
            if mode == "jis":
                out.append(_jis_char(j1, j2))
            else:
                codec = SEGMENT_CODECS[segment_escape]
                out.append((b"\x1b" + segment_escape + bytes((j1, j2))).decode(codec))
        except UnicodeDecodeError as error:
            raise UndecodableText(f"JIS code 0x{j1:02x}{j2:02x} has no character") from error
        i += 2
    return "".join(out)


def text_decode(data: bytes, charset: str | None) -> str:
    """Decode text in its declared charset with the fallbacks real clients need; never replace.

    Undeclared or US-ASCII text that is not ASCII is tried as UTF-8, then as CP932 (what an
    unlabelled Japanese text from Windows is); anything else that fails raises.
    """
    name = (charset or "").strip().strip('"').lower()
    if name in ISO_2022_JP_NAMES:
        return iso2022jp_decode(data)
    try:
        if name in SHIFT_JIS_NAMES:
            return data.decode("cp932")
        if name in {"euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese"}:
            try:
                return data.decode("euc_jp")
            except UnicodeDecodeError:
                return data.decode("euc_jis_2004")
        if name in ASCII_NAMES or name == "unknown-8bit":
            return _undeclared_decode(data)
        try:
            codecs.lookup(name)
        except LookupError as error:
            raise UndecodableText(f"unknown charset {name!r}") from error
        return data.decode(name)
    except UnicodeDecodeError as error:
        raise UndecodableText(f"text is not valid {name or 'ASCII'}") from error


def _undeclared_decode(data: bytes) -> str:
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        pass
    if b"\x1b$" in data:
        return iso2022jp_decode(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp932")


ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def header_decode(value: object) -> str:
    """Decode a header as parsed by the compat32 policy: encoded-words, raw 8-bit, or plain.

    Raises UndecodableText rather than replace a character.
    """
    if value is None:
        return ""
    raw = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        # Raw 8-bit bytes in a header (the parser keeps them as surrogates).
        return text_decode(raw.encode("ascii", "surrogateescape"), None)
    if "=?" not in raw:
        return _unfold(raw)
    try:
        parts = decode_header(raw)
    except Exception as error:  # the parser's own errors for broken encoded-words
        raise UndecodableText("broken encoded-word") from error
    words = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            words.append(chunk)
        else:
            words.append(text_decode(chunk, charset))
    return _unfold("".join(words))


def _unfold(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def param_decode(value: object) -> str:
    """Decode a MIME parameter: an RFC 2231 triple, an encoded-word in quotes, or plain text."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        charset, _language, text = value
        # compat32 hands back the percent-decoded bytes as latin-1 characters.
        data = text.encode("latin-1", "surrogateescape")
        return text_decode(data, charset or None)
    return header_decode(value)
