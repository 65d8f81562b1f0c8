"""Bounces: a delivery status notification sent back to a message's VERP return path.

The address names the outbox message (renkei.mailer.verp), so nothing in the report needs
to be trusted to find it. A permanent failure (DSN Action "failed", status 5.x.x, or a
report without a status) marks the message 不達 and the address as failing; a delay
(4.x.x, "delayed") is only logged.
"""

import logging
import re
from email.message import EmailMessage

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from renkei.mailer.models import FailingAddress, OutboxMessage, Status
from renkei.mailer.verp import message_id_of

logger = logging.getLogger(__name__)

STATUS_PATTERN = re.compile(r"^Status:\s*([245])\.\d{1,3}\.\d{1,3}", re.I | re.M)
ACTION_PATTERN = re.compile(r"^Action:\s*(\w+)", re.I | re.M)
DIAGNOSTIC_PATTERN = re.compile(r"^Diagnostic-Code:\s*(.+(?:\n[ \t].+)*)", re.I | re.M)


def _delivery_status(message: EmailMessage) -> str:
    """Return the text of the message/delivery-status part, or "" if the report has none."""
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            if isinstance(payload, list):  # parsed into header blocks
                return "\n\n".join(str(block) for block in payload)
            return str(payload)
    return ""


def bounce_is_permanent(message: EmailMessage) -> tuple[bool, str]:
    """Tell whether a report says the address failed for good, and its diagnostic."""
    status_text = _delivery_status(message)
    diagnostic = ""
    if match := DIAGNOSTIC_PATTERN.search(status_text):
        diagnostic = " ".join(match[1].split())
    action = ACTION_PATTERN.search(status_text)
    status = STATUS_PATTERN.search(status_text)
    if action and action[1].lower() in {"delayed", "delivered", "relayed", "expanded"}:
        return False, diagnostic
    if status and status[1] in {"2", "4"}:
        return False, diagnostic
    # No machine-readable part (an old-style bounce): the VERP address alone says it failed.
    return True, diagnostic or str(message.get("Subject", ""))[:200]


class BounceHandler:
    """Take mail to VERP return paths and record the bounce."""

    def accepts(self, address: str) -> bool:
        return message_id_of(address) is not None

    def handle(self, message: EmailMessage, *, recipient: str, envelope_from: str) -> str | None:
        message_id = message_id_of(recipient)
        if message_id is None:
            return "550 5.1.1 No such user here"
        bounce_record(message_id=message_id, message=message)
        return None


def bounce_record(*, message_id, message: EmailMessage) -> OutboxMessage | None:
    """Mark the message bounced and its address failing, if the report is permanent."""
    permanent, diagnostic = bounce_is_permanent(message)
    outbox = OutboxMessage.objects.filter(message_id=message_id).first()
    if outbox is None:
        logger.info("Bounce for an unknown message %s", message_id)
        return None
    if not permanent:
        logger.info("Delay report for %s: %s", outbox.to_email, diagnostic)
        return outbox
    now = timezone.now()
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=outbox.pk).update(
            status=Status.BOUNCED, bounced_at=now, last_error=f"不達: {diagnostic}"[:2000]
        )
        address = outbox.to_email.lower()
        updated = FailingAddress.objects.filter(email=address).update(
            bounce_count=F("bounce_count") + 1, last_bounced_at=now, last_diagnostic=diagnostic
        )
        if not updated:
            FailingAddress.objects.create(
                email=address, bounce_count=1, last_bounced_at=now, last_diagnostic=diagnostic
            )
    outbox.refresh_from_db()
    return outbox
