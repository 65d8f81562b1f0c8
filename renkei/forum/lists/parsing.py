"""Turn the raw bytes of a received list message into what the archive stores, or refuse it.

The message is parsed with the compat32 policy so that every header and parameter reaches
`renkei.forum.lists.decoding` as sent (encoded-words, raw 8-bit, RFC 2231 triples). The text
body is the text/plain part; an HTML-only message is converted to text after nh3 has removed
everything but the text. Attachments must pass `renkei.core.files.validate_upload` (type,
content and the 10 MB limit). Any problem raises `Refusal` carrying the SMTP reply, before
anything is stored.
"""

import email
import html
import re
from dataclasses import dataclass, field
from email import errors as email_errors
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

import nh3
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.core.files import validate_upload
from renkei.forum.lists.decoding import UndecodableText, header_decode, param_decode, text_decode

MESSAGE_ID = re.compile(r"<[^<>\s]+>")

# Defects that mean the structure itself is broken: the message would be stored wrongly.
FATAL_DEFECTS = (
    email_errors.NoBoundaryInMultipartDefect,
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.CloseBoundaryNotFoundDefect,
    email_errors.MultipartInvariantViolationDefect,
    email_errors.MissingHeaderBodySeparatorDefect,
    email_errors.InvalidBase64PaddingDefect,
    email_errors.InvalidBase64CharactersDefect,
    email_errors.InvalidBase64LengthDefect,
)


class Refusal(Exception):
    """A message the server must refuse, with the SMTP reply that says why."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


MALFORMED = "554 5.6.0 Malformed message: {}"
UNDECODABLE = "554 5.6.0 Message text could not be decoded ({}); please resend it as UTF-8"
TOO_BIG = "552 5.3.4 Message too big for this list"
BAD_ATTACHMENT = "554 5.6.1 Attachment not accepted: {}"


@dataclass
class Attachment:
    name: str
    content: bytes
    content_type: str


@dataclass
class Parsed:
    """A received message, decoded."""

    from_name: str
    from_email: str
    subject: str
    body: str
    message_id: str
    in_reply_to: str
    references: list[str]
    mailer: str
    auto_submitted: str
    list_id: str
    size: int
    date: object = None
    converted_from_html: bool = False
    attachments: list[Attachment] = field(default_factory=list)


def message_parse(content: bytes, *, max_bytes: int) -> Parsed:
    """Decode a received message; raise Refusal for one that is too big, broken or undecodable."""
    if len(content) > max_bytes:
        raise Refusal(TOO_BIG)
    message = email.message_from_bytes(content, policy=compat32)
    _defects_check(message)
    try:
        from_name, from_email = _from(message)
        subject = header_decode(_raw(message, "Subject")) or "（件名なし）"
        body, converted, attachments = _body_and_attachments(message)
        mailer = header_decode(_raw(message, "X-Mailer") or _raw(message, "User-Agent"))
    except UndecodableText as error:
        raise Refusal(UNDECODABLE.format(error)) from error
    message_ids = MESSAGE_ID.findall(str(message.get("Message-ID", "")))
    date = None
    if message.get("Date"):
        try:
            date = parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError):
            date = None
    return Parsed(
        from_name=from_name,
        from_email=from_email,
        subject=subject[:255],
        body=body,
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=" ".join(MESSAGE_ID.findall(str(message.get("In-Reply-To", "")))),
        references=MESSAGE_ID.findall(str(message.get("References", ""))),
        mailer=mailer[:200],
        auto_submitted=str(message.get("Auto-Submitted", "")).strip().lower(),
        list_id=str(message.get("List-Id", "")),
        size=len(content),
        date=date,
        converted_from_html=converted,
        attachments=attachments,
    )


def _raw(message: Message, name: str) -> str | None:
    """Return a header as received: compat32 would wrap raw 8-bit bytes into a Header object
    that replaces them, so read the stored value (its bytes kept as surrogates)."""
    wanted = name.lower()
    for key, value in message._headers:
        if key.lower() == wanted:
            return value
    return None


def _defects_check(message: Message) -> None:
    for part in message.walk():
        for defect in part.defects:
            if isinstance(defect, FATAL_DEFECTS):
                raise Refusal(MALFORMED.format(type(defect).__name__))
    if not message.get("From"):
        raise Refusal(MALFORMED.format("no From header"))


def _from(message: Message) -> tuple[str, str]:
    raw = _raw(message, "From") or ""
    if _has_8bit(raw):
        # A display name in raw 8-bit (old clients): decode the whole header first.
        raw = header_decode(raw)
    addresses = getaddresses([raw])
    if len(addresses) != 1 or "@" not in addresses[0][1]:
        raise Refusal(MALFORMED.format("the From header holds no single address"))
    name, address = addresses[0]
    # The display name may be an encoded-word or raw 8-bit text.
    return header_decode(name).strip('"'), address.strip().lower()


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    return text_decode(payload, part.get_content_charset())


BLOCK_END = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h[1-6]|/blockquote)\b[^>]*>", re.I)


def html_to_text(markup: str) -> str:
    """Keep only the text of an HTML body: nh3 removes tags, scripts and styles, then unescape."""
    with_breaks = BLOCK_END.sub(lambda m: m.group(0) + "\n", markup)
    text = html.unescape(nh3.clean(with_breaks, tags=set()))
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _has_8bit(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _param(part: Message, param: str, header: str) -> object:
    """Return a MIME parameter; a header in raw 8-bit (old clients) is decoded first."""
    raw = _raw(part, header) or ""
    if not _has_8bit(raw):
        return part.get_param(param, header=header)
    decoded = Message()
    decoded[header] = header_decode(raw)
    return decoded.get_param(param, header=header)


def _is_attachment(part: Message) -> bool:
    disposition = str(_raw(part, "Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment":
        return True
    has_name = _param(part, "filename", "content-disposition") or _param(
        part, "name", "content-type"
    )
    return bool(has_name) and part.get_content_maintype() not in ("multipart", "text")


def _filename(part: Message) -> str:
    value = _param(part, "filename", "content-disposition")
    if value is None:
        value = _param(part, "name", "content-type")
    name = param_decode(value).strip()
    # Keep a plain file name: no directories a client might have sent along.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return name or "添付ファイル"


def _body_and_attachments(message: Message) -> tuple[str, bool, list[Attachment]]:
    plain: list[str] = []
    html_parts: list[str] = []
    attachments: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        if _is_attachment(part):
            attachments.append(_attachment(part))
            continue
        if part.get_content_type() == "text/plain":
            plain.append(_part_text(part))
        elif part.get_content_type() == "text/html":
            html_parts.append(_part_text(part))
    if plain:
        body, converted = "\n\n".join(plain), False
    elif html_parts:
        body, converted = "\n\n".join(html_to_text(h) for h in html_parts), True
    else:
        body, converted = "", False
    body = body.replace("\r\n", "\n").strip()
    if not body and not attachments:
        raise Refusal(MALFORMED.format("no text and no attachment"))
    return body, converted, attachments


def _attachment(part: Message) -> Attachment:
    name = _filename(part)
    content = part.get_payload(decode=True) or b""
    upload = SimpleUploadedFile(name, content, content_type=part.get_content_type())
    try:
        validate_upload(upload)
    except ValidationError as error:
        code = "552 5.3.4 Attachment too big: {}" if error.code == "size" else BAD_ATTACHMENT
        # SMTP replies are ASCII: the name goes into the reply percent-free, as its code.
        raise Refusal(code.format(error.code)) from error
    return Attachment(name=name[:200], content=content, content_type=part.get_content_type())


def addresses_in(value: str) -> list[str]:
    """Return the addresses of a header value (To, Cc), lower-cased."""
    return [address.lower() for _, address in getaddresses([value]) if address]
