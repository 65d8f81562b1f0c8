"""A claim is a lease: a message whose worker died is sent again, with the same Message-ID."""

import datetime as dt

import pytest
from django.utils import timezone

from renkei.mailer.delivery import outbox_message_claim, outbox_message_send
from renkei.mailer.models import OutboxMessage, Status
from renkei.mailer.tasks import deliver_due_messages
from renkei.mailer.tests.messages import message_make

pytestmark = pytest.mark.django_db


def lease_expire(message: OutboxMessage) -> None:
    """Let the claim's lease run out, as if the clock had moved on."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        lease_until=timezone.now() - dt.timedelta(seconds=1)
    )


def test_claim_carries_a_lease(settings):
    settings.RENKEI = {**settings.RENKEI, "MAIL_LEASE_SECONDS": 600}
    message = message_make()

    claimed = outbox_message_claim(message_id=message.pk)

    assert claimed.status == Status.SENDING
    assert claimed.lease_until - claimed.claimed_at == dt.timedelta(seconds=600)


def test_message_of_a_dead_worker_is_sent_again_with_the_same_message_id(smtp_server):
    message = message_make()
    outbox_message_claim(message_id=message.pk)  # the worker dies here, before sending
    assert deliver_due_messages.call() == {"sent": 0, "queued": 0, "failed": 0, "skipped": 0}

    lease_expire(message)
    outcome = deliver_due_messages.call()

    assert outcome["sent"] == 1
    [received] = smtp_server.received
    assert received.parsed()["Message-ID"] == f"<{message.message_id}@example.lg.jp>"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert "再送" in message.last_error


def test_message_left_sending_before_leases_existed_is_sent_again(smtp_server):
    message = message_make(status=Status.SENDING)

    deliver_due_messages.call()

    assert len(smtp_server.received) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_worker_that_outlived_its_lease_does_not_overwrite_the_retry(smtp_server):
    message = message_make()
    slow = outbox_message_claim(message_id=message.pk)
    lease_expire(message)
    retry = outbox_message_claim(message_id=message.pk)
    smtp_server.replies = ["550 5.1.1 No such user"]

    outbox_message_send(message=retry)  # the retry is refused for good
    outbox_message_send(message=slow)  # the slow worker then gets through

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.claimed_at == retry.claimed_at


def test_message_whose_lease_keeps_expiring_fails_at_the_attempt_limit(smtp_server, settings):
    settings.RENKEI = {**settings.RENKEI, "MAIL_MAX_ATTEMPTS": 3}
    message = message_make()
    for _ in range(3):
        assert outbox_message_claim(message_id=message.pk) is not None
        lease_expire(message)

    assert outbox_message_claim(message_id=message.pk) is None

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert smtp_server.received == []
