"""An e-mail backend for the demo that prints each message readably instead of sending it."""

import sys
import threading
from email.header import decode_header, make_header
from typing import TextIO

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

RULE = "─" * 72


def message_format(message: EmailMessage) -> str:
    """Render a message as a person reads it: addresses, subject and the plain-text body."""
    # Subjects and names arrive RFC 2047-encoded (=?utf-8?b?…?=) in the built message.
    built = message.message()
    subject = str(make_header(decode_header(built["Subject"] or "")))
    recipients = str(make_header(decode_header(built["To"] or "")))
    lines = [
        RULE,
        "デモ用メール（実際には送信されず、ここに表示しています）",
        f"差出人: {message.from_email}",
        f"宛先: {recipients}",
        f"件名: {subject}",
        RULE,
        message.body.rstrip(),
        RULE,
        "",
    ]
    return "\n".join(lines)


class ReadableConsoleBackend(BaseEmailBackend):
    """Write every message to a stream (standard output) in plain, decoded Japanese."""

    def __init__(self, *args, stream: TextIO | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        sent = 0
        with self._lock:
            for message in email_messages:
                self.stream.write(message_format(message))
                self.stream.flush()
                sent += 1
        return sent
