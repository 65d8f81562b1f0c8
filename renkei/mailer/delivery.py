"""How one outbox message leaves through SMTP: claim it, send it, record the outcome.

A message is claimed by a conditional UPDATE (queued and due -> sending) before anything is
sent, so however many workers or tasks reach the same message, only one of them sends it.
The claim is a lease: it carries `claimed_at` and `lease_until` (MAIL_LEASE_SECONDS later).
A worker that dies between the claim and the outcome (SIGKILL, power loss) leaves the
message "sending"; once the lease has expired, the message is claimed again and sent with
the same Message-ID. Delivery is therefore at least once: a recipient gets a second copy only
if the crash fell between the server's acceptance of the message and the commit of "sent".
The outcome is written only while the claim is still the worker's own (same `claimed_at`),
so a worker that outlived its lease cannot overwrite the outcome of the retry.

A batch (`outbox_batch_deliver`) sends many messages over one SMTP connection. It claims
them a few at a time (CLAIM_CHUNK, one UPDATE) and commits each message's outcome just after
the server's answer: a worker killed mid-batch leaves at most one chunk "sending" (sent again
once the lease expires: none of them reached the server but the one in flight), and the rest
stay queued for the next worker, so the duplicate window stays that of a single message.
"""

import base64
import datetime as dt
import logging
import smtplib
from collections import Counter
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from renkei.mailer.models import OutboxMessage, Status
from renkei.mailer.verp import return_path

logger = logging.getLogger(__name__)

# Errors from the mail server or the network; `_is_permanent` tells which of them are final.
SMTP_ERRORS = (smtplib.SMTPException, OSError)

# Messages a batch claims with one UPDATE; what a killed worker leaves waiting for its lease.
CLAIM_CHUNK = 20

INTERRUPTED = "送信処理が完了しないまま再送期限を過ぎたため、同じメッセージIDで再送しました。"
INTERRUPTED_TOO_OFTEN = (
    "送信処理が完了しないまま再送期限を過ぎることが続いたため、送信失敗としました。"
)


def lease_duration() -> dt.timedelta:
    """Return how long a claim lasts before the message is sent again."""
    return dt.timedelta(seconds=settings.RENKEI["MAIL_LEASE_SECONDS"])


def deliverable_messages(*, now: dt.datetime) -> QuerySet[OutboxMessage]:
    """Return the messages a worker may claim now: queued and due, or their lease expired."""
    due = Q(status=Status.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    # A message left "sending" before leases existed has none: it counts as expired.
    expired = Q(status=Status.SENDING) & (Q(lease_until__isnull=True) | Q(lease_until__lte=now))
    return OutboxMessage.objects.filter(due | expired)


def outbox_message_claim(*, message_id: int) -> OutboxMessage | None:
    """Mark a due message (or one whose lease expired) as sending and return it; else None."""
    now = timezone.now()
    claim = _claim_values(now=now)
    candidates = deliverable_messages(now=now).filter(pk=message_id)
    claimed = candidates.filter(status=Status.QUEUED).update(**claim)
    if not claimed:
        claimed = _expired_claim(candidates=candidates, claim=claim)
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def _claim_values(*, now: dt.datetime) -> dict[str, Any]:
    """Return what a claim writes: sending, by this worker, until the lease ends."""
    # The retry time is cleared here, once a chunk, rather than in each message's outcome.
    return {
        "status": Status.SENDING,
        "claimed_at": now,
        "lease_until": now + lease_duration(),
        "next_attempt_at": None,
    }


def _expired_claim(*, candidates: QuerySet[OutboxMessage], claim: dict) -> int:
    """Take over a message whose worker died; count that as an attempt, give up at the limit."""
    expired = candidates.filter(status=Status.SENDING)
    max_attempts = settings.RENKEI["MAIL_MAX_ATTEMPTS"]
    given_up = expired.filter(attempts__gte=max_attempts - 1).update(
        status=Status.FAILED,
        attempts=F("attempts") + 1,
        last_error=INTERRUPTED_TOO_OFTEN,
        next_attempt_at=None,
        lease_until=None,
    )
    if given_up:
        logger.warning("Outbox message lease expired %s times: failed", max_attempts)
        return 0
    claimed = expired.update(attempts=F("attempts") + 1, last_error=INTERRUPTED, **claim)
    if claimed:
        logger.warning("Outbox message lease expired: sending it again with its Message-ID")
    return claimed


def outbox_message_send(
    *,
    message: OutboxMessage,
    connection: Any = None,
    sender: "Sender | None" = None,
    claim: QuerySet[OutboxMessage] | None = None,
) -> OutboxMessage:
    """Send a claimed message through SMTP and record whether it was sent, retried or failed.

    `connection` is an open mail backend to reuse (a batch); without it, one is opened.
    `sender` and `claim` are what a batch works out once for many messages: the sender's
    settings, and the rows of the worker's claim (`_own_claim`) the outcome is written under.
    """
    if message.status != Status.SENDING:
        raise ValueError(f"Outbox message {message.pk} is {message.status}, not claimed")
    try:
        _email_build(message=message, connection=connection, sender=sender).send()
    except SMTP_ERRORS as error:
        _failure_record(message=message, error=error, permanent=_is_permanent(error), claim=claim)
    except Exception as error:
        # A bug (bad header, encoding) fails the same way every time: stop at once, and never
        # leave the message stuck in "sending".
        logger.exception("Outbox message %s could not be sent", message.pk)
        _failure_record(message=message, error=error, permanent=True, claim=claim)
    else:
        message.status = Status.SENT
        message.sent_at = timezone.now()
        message.lease_until = None
        _outcome_save(message=message, fields=["status", "sent_at"], claim=claim)
    return message


def outbox_message_deliver(*, message_id: int) -> OutboxMessage | None:
    """Claim and send one message; None if it was not queued and due."""
    message = outbox_message_claim(message_id=message_id)
    if message is None:
        return None
    return outbox_message_send(message=message)


def outbox_batch_deliver(*, message_ids: list[int]) -> tuple[Counter, list[OutboxMessage]]:
    """Claim and send each message in turn over one SMTP connection.

    Returns the outcomes counted by status ("skipped" for messages someone else had) and the
    messages queued again for a retry.
    """
    outcomes: Counter = Counter()
    retries: list[OutboxMessage] = []
    connection = get_connection(fail_silently=False)
    sender = Sender.from_settings()
    try:
        for message, claim in _claimed_in_chunks(message_ids=message_ids):
            if message is None:
                outcomes["skipped"] += 1
                continue
            if not _connection_ready(connection=connection, message=message, claim=claim):
                outcomes[message.status] += 1
                if message.status == Status.QUEUED:
                    retries.append(message)
                continue
            message = outbox_message_send(
                message=message, connection=connection, sender=sender, claim=claim
            )
            outcomes[message.status] += 1
            if message.status != Status.SENT:
                # After any refusal or broken pipe, start the next message on a fresh session.
                _connection_close(connection)
                if message.status == Status.QUEUED:
                    retries.append(message)
    finally:
        _connection_close(connection)
    return outcomes, retries


def _claimed_in_chunks(*, message_ids: list[int]):
    """Yield each message claimed (or None when someone else has it), a chunk per UPDATE.

    Each comes with the rows of its claim (`_own_claim`), built once for the chunk, under
    which its outcome is written; None for a message claimed alone (its own claim time).
    """
    for start in range(0, len(message_ids), CLAIM_CHUNK):
        chunk = message_ids[start : start + CLAIM_CHUNK]
        now = timezone.now()
        OutboxMessage.objects.filter(pk__in=chunk, status=Status.QUEUED).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        ).update(**_claim_values(now=now))
        own_claim = _own_claim(claimed_at=now)
        claimed = {m.pk: m for m in own_claim.filter(pk__in=chunk)}
        for message_id in chunk:
            if message_id in claimed:
                yield claimed[message_id], own_claim
            else:
                # Not in this claim: taken by another worker, or left by a dead one (lease).
                yield outbox_message_claim(message_id=message_id), None


def _own_claim(*, claimed_at: dt.datetime) -> QuerySet[OutboxMessage]:
    """Return the messages still under the claim made at `claimed_at` (sending, not retaken)."""
    return OutboxMessage.objects.filter(status=Status.SENDING, claimed_at=claimed_at)


def _connection_ready(
    *, connection: Any, message: OutboxMessage, claim: QuerySet[OutboxMessage] | None
) -> bool:
    """Open the batch's SMTP session if needed; on failure record it on the claimed message."""
    if getattr(connection, "connection", True) is not None:
        return True  # open already (or a backend without sessions: locmem, console)
    try:
        connection.open()
    except SMTP_ERRORS as error:
        _failure_record(message=message, error=error, permanent=False, claim=claim)
        return False
    return True


def _connection_close(connection: Any) -> None:
    """Close the batch's SMTP session, whatever state the server left it in."""
    try:
        connection.close()
    except SMTP_ERRORS:
        if hasattr(connection, "connection"):
            connection.connection = None


def retry_delay(*, attempts: int) -> dt.timedelta:
    """Return how long to wait after the given number of failed attempts."""
    base = settings.RENKEI["MAIL_RETRY_BASE_SECONDS"]
    return dt.timedelta(seconds=base * 2 ** (attempts - 1))


@dataclass(frozen=True)
class Sender:
    """What every message takes from the settings: read once for a batch, not per message."""

    from_email: str
    message_id_domain: str

    @classmethod
    def from_settings(cls) -> "Sender":
        return cls(
            from_email=settings.DEFAULT_FROM_EMAIL,
            message_id_domain=_message_id_domain(),
        )


def _email_build(
    *, message: OutboxMessage, connection: Any = None, sender: Sender | None = None
) -> EmailMultiAlternatives:
    """Turn a stored message into a Django e-mail with text and, if any, HTML parts."""
    sender = sender or Sender.from_settings()
    to = formataddr((message.to_name, message.to_email)) if message.to_name else message.to_email
    # With VERP the envelope sender is the message's own return path; the From header stays.
    envelope_from = return_path(message_id=message.message_id) or sender.from_email
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=envelope_from,
        to=[to],
        headers={
            # A list message names its poster and the list address in its own From.
            "From": sender.from_email,
            **(message.headers or {}),
            # The same outbox row always carries the same Message-ID, so a copy is recognisable.
            "Message-ID": f"<{message.message_id}@{sender.message_id_domain}>",
            # RFC 3834: tells vacation responders not to answer.
            "Auto-Submitted": "auto-generated",
        },
        connection=connection or get_connection(fail_silently=False),
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments or ():
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["content_type"],
        )
    return email


def _message_id_domain() -> str:
    """Return the domain of the sender address, for Message-ID headers."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "renkei.invalid"


def _is_permanent(error: Exception) -> bool:
    """Tell whether the server rejected this message for good (a 5xx about the message itself)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    # Connection, authentication and sender problems concern our server or settings, not the
    # message: a later attempt may succeed once they are fixed.
    return False


def _failure_record(
    *,
    message: OutboxMessage,
    error: Exception,
    permanent: bool,
    claim: QuerySet[OutboxMessage] | None = None,
) -> None:
    """Count a failed attempt and either schedule the next one or give up."""
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"
    if permanent or message.attempts >= settings.RENKEI["MAIL_MAX_ATTEMPTS"]:
        message.status = Status.FAILED
        message.next_attempt_at = None
        logger.warning(
            "Outbox message %s failed after %s attempt(s): %s",
            message.pk,
            message.attempts,
            message.last_error,
        )
    else:
        message.status = Status.QUEUED
        message.next_attempt_at = timezone.now() + retry_delay(attempts=message.attempts)
    message.lease_until = None
    _outcome_save(
        message=message,
        fields=["attempts", "last_error", "status", "next_attempt_at"],
        claim=claim,
    )


def _outcome_save(
    *, message: OutboxMessage, fields: list[str], claim: QuerySet[OutboxMessage] | None = None
) -> None:
    """Write the outcome of a send, unless another worker has claimed the message since.

    `claim` is `_own_claim` of the message's claim time when the caller has it already.
    """
    values = {name: getattr(message, name) for name in [*fields, "lease_until"]}
    if claim is None:
        claim = _own_claim(claimed_at=message.claimed_at)
    saved = claim.filter(pk=message.pk).update(**values)
    if not saved:
        # This worker outlived its lease and the message was claimed again: the retry's
        # outcome stands. (MAIL_LEASE_SECONDS is too short if this is ever logged.)
        logger.warning("Outbox message %s: outcome dropped, claimed again meanwhile", message.pk)
