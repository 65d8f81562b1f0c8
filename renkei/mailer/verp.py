"""VERP return paths: each message's envelope sender names it, so a bounce says which one failed.

The address is `<local>+<message id>-<signature>@<domain>` built from
RENKEI["MAIL_BOUNCE_ADDRESS"]; the signature (an HMAC of the message id) keeps a forged bounce
from marking someone else's address as failing.
"""

import uuid

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "renkei.mailer.verp"
SIGNATURE_LENGTH = 10


def bounce_address() -> str:
    """Return the configured bounce address, or "" when bounces are not handled."""
    return settings.RENKEI.get("MAIL_BOUNCE_ADDRESS", "")


def _signature(message_id: uuid.UUID) -> str:
    return salted_hmac(SALT, message_id.hex).hexdigest()[:SIGNATURE_LENGTH]


def return_path(*, message_id: uuid.UUID) -> str:
    """Return the envelope sender for one message, or "" without a bounce address."""
    base = bounce_address()
    if not base:
        return ""
    local, _, domain = base.rpartition("@")
    return f"{local}+{message_id.hex}-{_signature(message_id)}@{domain}"


def message_id_of(address: str) -> uuid.UUID | None:
    """Return the message id a VERP address names if its signature holds, else None."""
    base = bounce_address()
    if not base:
        return None
    base_local, _, base_domain = base.rpartition("@")
    local, _, domain = address.strip().strip("<>").rpartition("@")
    if domain.lower() != base_domain.lower() or not local.startswith(base_local + "+"):
        return None
    tag = local[len(base_local) + 1 :]
    hex_id, _, signature = tag.partition("-")
    try:
        message_id = uuid.UUID(hex=hex_id)
    except ValueError:
        return None
    if not constant_time_compare(signature, _signature(message_id)):
        return None
    return message_id
