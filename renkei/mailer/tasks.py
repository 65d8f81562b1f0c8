"""Background tasks that deliver the outbox.

In production run the worker as a service, `manage.py db_worker --no-reload`, and
`manage.py mail_retry_due` from cron every few minutes as a safety net for lost tasks.
"""

from django.utils import timezone
from django_tasks import task

from renkei.mailer.delivery import (
    deliverable_messages,
    outbox_batch_deliver,
    outbox_message_deliver,
)
from renkei.mailer.models import OutboxMessage, Status


@task()
def deliver_outbox_message(message_id: int) -> str:
    """Send one outbox message (by primary key) unless it was already taken; retry on failure."""
    message = outbox_message_deliver(message_id=message_id)
    if message is None:
        return "skipped"
    if message.status == Status.QUEUED:
        _retry_enqueue(message=message)
    return message.status


@task()
def deliver_outbox_batch(message_ids: list[int]) -> dict[str, int]:
    """Send many messages over one SMTP connection; those to retry get one task for later."""
    outcomes, retries = outbox_batch_deliver(message_ids=message_ids)
    if retries and deliver_outbox_batch.get_backend().supports_defer:
        run_after = max(message.next_attempt_at for message in retries)
        deliver_outbox_batch.using(run_after=run_after).enqueue([m.pk for m in retries])
    return dict(outcomes)


@task()
def deliver_due_messages() -> dict[str, int]:
    """Send every due message whose own task was lost, and every one whose worker died."""
    due_ids = list(
        deliverable_messages(now=timezone.now()).order_by("id").values_list("id", flat=True)
    )
    outcomes = {"sent": 0, "queued": 0, "failed": 0, "skipped": 0}
    for message_id in due_ids:
        outcomes[deliver_outbox_message.call(message_id)] += 1
    return outcomes


def _retry_enqueue(*, message: OutboxMessage) -> None:
    """Enqueue the next attempt for the time the message is due again."""
    if not deliver_outbox_message.get_backend().supports_defer:
        # The immediate backend (tests, development) cannot wait; `mail_retry_due` retries.
        return
    deliver_outbox_message.using(run_after=message.next_attempt_at).enqueue(message.pk)
