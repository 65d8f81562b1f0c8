"""Inbound mail: an SMTP server (aiosmtpd) that hands each message to the handler of its address.

Handlers are pluggable: RENKEI["INBOUND_HANDLERS"] lists dotted paths of classes with
`accepts(address) -> bool` and `handle(message, recipient) -> str | None` (an SMTP reply
when refusing, None when taken). A handler that decodes the bytes itself (group mailing lists
do, to read Japanese mail exactly as sent) defines `handle_raw(content, recipient=...,
envelope_from=...)` instead and gets the message as received. Bounces to VERP addresses come
first (`renkei.mailer.bounces.BounceHandler`), then list addresses
(`renkei.forum.lists.inbound.ListHandler`). A recipient no handler accepts is refused at
RCPT (550), so nothing is stored for it.
"""

import asyncio
import email
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from functools import cache
from typing import Protocol

from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Anything larger is refused by the server before it is read to the end (552).
DEFAULT_MAX_MESSAGE_BYTES = 20 * 1024 * 1024


class InboundHandler(Protocol):
    """What the mail server asks of a handler."""

    def accepts(self, address: str) -> bool: ...

    def handle(self, message: EmailMessage, *, recipient: str, envelope_from: str) -> str | None:
        """Take the message for one recipient; return an SMTP reply to refuse it, else None."""


@dataclass(frozen=True)
class Delivered:
    """The outcome of one inbound message for one recipient."""

    recipient: str
    reply: str | None


def inbound_handlers() -> list[InboundHandler]:
    """Return the configured handlers, in order (the first that accepts an address takes it)."""
    return [_handler(path) for path in settings.RENKEI.get("INBOUND_HANDLERS", [])]


@cache
def _handler(path: str) -> InboundHandler:
    return import_string(path)()


def handler_for(address: str) -> InboundHandler | None:
    """Return the handler that takes mail for an address, or None."""
    return next((h for h in inbound_handlers() if h.accepts(address)), None)


def inbound_deliver(
    *, content: bytes, recipients: list[str], envelope_from: str
) -> list[Delivered]:
    """Parse one received message and hand it to the handler of each recipient (synchronous)."""
    message = email.message_from_bytes(content, policy=default_policy)
    outcomes = []
    for recipient in recipients:
        handler = handler_for(recipient)
        if handler is None:
            outcomes.append(Delivered(recipient, "550 5.1.1 No such user here"))
            continue
        if hasattr(handler, "handle_raw"):
            reply = handler.handle_raw(content, recipient=recipient, envelope_from=envelope_from)
        else:
            reply = handler.handle(message, recipient=recipient, envelope_from=envelope_from)
        outcomes.append(Delivered(recipient, reply))
    return outcomes


class InboundSMTPHandler:
    """The aiosmtpd handler: check each RCPT, then run the handlers off the event loop."""

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        accepted = await asyncio.to_thread(_accepts, address)
        if not accepted:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        try:
            outcomes = await asyncio.to_thread(
                _deliver_in_thread,
                content=envelope.original_content or b"",
                recipients=list(envelope.rcpt_tos),
                envelope_from=envelope.mail_from or "",
            )
        except Exception:
            logger.exception("Inbound message from %s could not be handled", envelope.mail_from)
            return "451 4.3.0 Temporary failure, please try again later"
        refusals = [o.reply for o in outcomes if o.reply]
        if refusals and len(refusals) == len(outcomes):
            return refusals[0]
        return "250 OK"


def _accepts(address: str) -> bool:
    close_old_connections()
    try:
        return handler_for(address) is not None
    finally:
        close_old_connections()


def _deliver_in_thread(**kwargs) -> list[Delivered]:
    # Each worker thread holds its own database connection; drop broken or stale ones.
    close_old_connections()
    try:
        return inbound_deliver(**kwargs)
    finally:
        close_old_connections()
