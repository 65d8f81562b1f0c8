"""Put mail in the outbox; a background task sends it once the transaction commits.

Templates are triples under `templates/mail/<name>/`: `subject.txt`, `body.txt` and an
optional `body.html` (usually extending `mail/base.html`). Every template gets `site_name`,
`council_name`, `recipient_name` and `recipient_email` on top of the caller's context.
"""

import base64
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from renkei.mailer.models import OutboxMessage, Status
from renkei.mailer.tasks import deliver_outbox_batch, deliver_outbox_message

logger = logging.getLogger(__name__)

# Rows per INSERT when a notice goes to the whole council.
BULK_BATCH_SIZE = 500
# Messages per delivery task: one SMTP session each, and few task rows for a mass mailing.
DELIVERY_BATCH_SIZE = 200

SUBJECT_MAX_LENGTH = OutboxMessage._meta.get_field("subject").max_length
# Attachments ride in every recipient's outbox row: calendar files and the like, not documents
# (those are linked, behind the site's permission checks).
ATTACHMENTS_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class MailAttachment:
    """A small file sent with every copy of a message."""

    filename: str
    content: bytes
    content_type: str

    def stored(self) -> dict[str, str]:
        """Return the JSON form kept in the outbox row."""
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "content": base64.b64encode(self.content).decode("ascii"),
        }


NAME_MAX_LENGTH = OutboxMessage._meta.get_field("to_name").max_length


def mail_queue(
    *,
    to: Sequence[tuple[str, str]] | Sequence[tuple[str, str, Mapping[str, Any]]] | Sequence[str],
    template: str,
    context: Mapping[str, Any],
    topic: str = "",
    headers: Callable[[str, Mapping[str, Any]], Mapping[str, str]] | None = None,
    attachments: Sequence[MailAttachment] = (),
) -> list[OutboxMessage]:
    """Render a mail template for each recipient, store the messages and send them after commit.

    `headers(address, extra)`, if given, returns the extra headers of one recipient's copy
    (List-Unsubscribe with that recipient's own link, say). `attachments` go with every copy;
    together they may not exceed ATTACHMENTS_MAX_BYTES (a ValueError: a programming error).

    `to` holds plain addresses, `(name, address)` pairs or `(name, address, extra)` triples
    whose `extra` context is this recipient's own (an organization's answer link, say).
    Addresses are deduplicated case-insensitively (the first spelling wins); with an extra
    context, only a repeat with the same extra context is a duplicate. Empty or invalid addresses are skipped and
    logged as warnings; they are simply missing from the returned list, one message per
    recipient that will be sent.
    """
    if isinstance(to, str):
        raise TypeError("mail_queue() needs a list of recipients, not a single string")
    shared_context = {
        "site_name": settings.RENKEI["SITE_NAME"],
        "council_name": settings.RENKEI["COUNCIL_NAME"],
        **context,
    }
    if sum(len(attachment.content) for attachment in attachments) > ATTACHMENTS_MAX_BYTES:
        raise ValueError("mail_queue() attachments are for small files such as .ics")
    stored_attachments = [attachment.stored() for attachment in attachments]
    now = timezone.now()
    messages = []
    # Render everything before storing anything, so a template error leaves no partial batch.
    for name, address, extra in _recipients_clean(to=to, template=template):
        subject, body_text, body_html = _triple_render(
            template=template,
            context={
                **shared_context,
                **extra,
                "recipient_name": name,
                "recipient_email": address,
            },
        )
        messages.append(
            OutboxMessage(
                template=template,
                topic=topic,
                to_email=address,
                to_name=name[:NAME_MAX_LENGTH],
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                headers=dict(headers(address, extra)) if headers else {},
                attachments=stored_attachments,
                next_attempt_at=now,
            )
        )
    if not messages:
        return []
    created = OutboxMessage.objects.bulk_create(messages, batch_size=BULK_BATCH_SIZE)
    _delivery_enqueue_on_commit(message_ids=[message.pk for message in created])
    return created


def outbox_add(
    *, to_email: str, subject: str, body_text: str, body_html: str = "", topic: str = ""
) -> OutboxMessage:
    """Store an already rendered message and send it after commit.

    Raises ValidationError for an invalid address: unlike a bulk notice, a single message the
    caller has composed (a password reset, say) must not vanish silently.
    """
    address = to_email.strip()
    validate_email(address)
    message = OutboxMessage.objects.create(
        topic=topic,
        to_email=address,
        subject=_subject_clean(subject),
        body_text=body_text,
        body_html=body_html,
        next_attempt_at=timezone.now(),
    )
    _delivery_enqueue_on_commit(message_ids=[message.pk])
    return message


def _recipients_clean(
    *, to: Sequence[Any], template: str
) -> list[tuple[str, str, Mapping[str, Any]]]:
    """Return `(name, address, extra)` triples, valid and unique; log the addresses left out."""
    recipients = []
    seen: dict[str, list[Mapping[str, Any]]] = {}
    for item in to:
        if isinstance(item, str):
            name, address, extra = "", item, {}
        elif len(item) == 3:
            name, address, extra = item
        else:
            (name, address), extra = item, {}
        name, address = _line_join(name or ""), (address or "").strip()
        try:
            validate_email(address)
        except ValidationError:
            logger.warning("Mail %r: skipped invalid address %r", template, address)
            continue
        if extra in seen.get(address.lower(), []):
            continue
        seen.setdefault(address.lower(), []).append(extra)
        recipients.append((name, address, extra))
    return recipients


def _triple_render(*, template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render the subject, text body and HTML body (or "") of a mail template."""
    return (
        _subject_clean(_text_render(f"mail/{template}/subject.txt", context)),
        _text_render(f"mail/{template}/body.txt", context),
        _html_render(f"mail/{template}/body.html", context),
    )


def _text_render(template_name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template without HTML escaping."""
    # Plain text must keep "&" and "<" as typed, whatever the template author remembers.
    return get_template(template_name).template.render(Context(context, autoescape=False))


def _html_render(template_name: str, context: dict[str, Any]) -> str:
    """Render the HTML part, or return "" when the template has none."""
    try:
        html_template = get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    return html_template.render(context)


def _subject_clean(subject: str) -> str:
    """Fit a subject on one line and in its column."""
    return _line_join(subject)[:SUBJECT_MAX_LENGTH]


def _line_join(text: str) -> str:
    """Join text onto one line, since a mail header cannot hold a newline."""
    lines = [line.strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line)


def _delivery_enqueue_on_commit(*, message_ids: list[int]) -> None:
    """Enqueue one delivery task per message once the current transaction commits."""
    # robust: if enqueuing fails, the request still succeeds and the messages stay queued
    # for `mail_retry_due` to pick up.
    transaction.on_commit(partial(_delivery_enqueue, message_ids=message_ids), robust=True)


def _delivery_enqueue(*, message_ids: list[int]) -> None:
    """Enqueue the delivery: one task for a single message, one per batch for many."""
    if len(message_ids) == 1:
        deliver_outbox_message.enqueue(message_ids[0])
        return
    for start in range(0, len(message_ids), DELIVERY_BATCH_SIZE):
        deliver_outbox_batch.enqueue(message_ids[start : start + DELIVERY_BATCH_SIZE])


def outbox_requeue(*, topic: str) -> int:
    """Queue again the failed messages of a topic (a delivery's 再送); return how many.

    Bounced messages stay as they are: their address does not exist.
    """
    failed = OutboxMessage.objects.filter(topic=topic, status=Status.FAILED)
    message_ids = list(failed.values_list("id", flat=True))
    if not message_ids:
        return 0
    OutboxMessage.objects.filter(pk__in=message_ids, status=Status.FAILED).update(
        status=Status.QUEUED,
        attempts=0,
        last_error="",
        next_attempt_at=timezone.now(),
        lease_until=None,
    )
    _delivery_enqueue_on_commit(message_ids=message_ids)
    return len(message_ids)
