"""Delivery against a real SMTP server: claim, send once, retry with backoff, give up."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from renkei.mailer import delivery
from renkei.mailer.delivery import outbox_message_claim
from renkei.mailer.models import OutboxMessage, Status
from renkei.mailer.services import mail_queue, outbox_add
from renkei.mailer.tasks import deliver_due_messages, deliver_outbox_message
from renkei.mailer.tests.messages import message_make
from renkei.testing import task_worker_run

pytestmark = pytest.mark.django_db


def make_due(message: OutboxMessage) -> None:
    """Let the retry time arrive, as if the clock had moved on."""
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_message_is_delivered_once_with_subject_addresses_and_both_parts(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "連携事務局 <renkei@example.lg.jp>"
    message = message_make()

    assert deliver_outbox_message.call(message.pk) == Status.SENT

    [received] = smtp_server.received
    assert received.mail_from == "renkei@example.lg.jp"
    assert received.rcpt_tos == ["tobetsu@example.lg.jp"]
    parsed = received.parsed()
    assert parsed["Subject"] == "【連携】総会開催のお知らせ"
    assert parsed["From"].addresses[0].display_name == "連携事務局"
    assert parsed["To"].addresses[0].display_name == "当別 太郎"
    assert parsed["To"].addresses[0].addr_spec == "tobetsu@example.lg.jp"
    assert parsed["Message-ID"] == f"<{message.message_id}@example.lg.jp>"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed.get_body(("plain",)).get_content().strip() == "令和8年度総会を開催します。"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>令和8年度総会を開催します。</p>"
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 0
    assert message.next_attempt_at is None


def test_message_without_html_is_sent_as_plain_text(smtp_server):
    message = message_make(body_html="")

    deliver_outbox_message.call(message.pk)

    parsed = smtp_server.received[0].parsed()
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content().strip() == "令和8年度総会を開催します。"


def test_delivering_twice_sends_once(smtp_server):
    message = message_make()

    assert deliver_outbox_message.call(message.pk) == Status.SENT
    assert deliver_outbox_message.call(message.pk) == "skipped"
    deliver_outbox_message.enqueue(message.pk)

    assert len(smtp_server.received) == 1


def test_only_the_first_claim_gets_the_message():
    message = message_make()

    first = outbox_message_claim(message_id=message.pk)
    second = outbox_message_claim(message_id=message.pk)

    assert first is not None
    assert first.status == Status.SENDING
    assert second is None


def test_message_not_yet_due_is_not_claimed(smtp_server):
    message = message_make(next_attempt_at=timezone.now() + dt.timedelta(minutes=1))

    assert deliver_outbox_message.call(message.pk) == "skipped"

    assert smtp_server.received == []
    message.refresh_from_db()
    assert message.status == Status.QUEUED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database locks whole tables between connections "
    "(SQLITE_LOCKED, no busy wait); the race runs on PostgreSQL, as workers do in production",
)
def test_racing_workers_send_once(smtp_server):
    message = message_make()
    start = threading.Barrier(4)
    outcomes = []

    def worker() -> None:
        try:
            start.wait()
            outcomes.append(deliver_outbox_message.call(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(smtp_server.received) == 1


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_temporary_refusal_is_retried_with_growing_delays(smtp_server, stage):
    smtp_server.stage = stage
    smtp_server.replies = ["451 4.3.0 Try again later"] * 3
    message = message_make()
    delays = []

    for _ in range(3):
        before = timezone.now()
        assert deliver_outbox_message.call(message.pk) == Status.QUEUED
        message.refresh_from_db()
        delays.append(message.next_attempt_at - before)
        assert "451" in message.last_error
        # Too early: the next attempt waits for its time.
        assert deliver_outbox_message.call(message.pk) == "skipped"
        make_due(message)
    assert deliver_outbox_message.call(message.pk) == Status.SENT

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 3
    assert len(smtp_server.received) == 1
    # 60 s, 120 s, 240 s after each failure (plus the few milliseconds the attempt took).
    for delay, expected in zip(delays, [60, 120, 240], strict=True):
        assert dt.timedelta(seconds=expected) <= delay < dt.timedelta(seconds=expected + 5)


def test_server_down_is_retried_then_fails_after_max_attempts(smtp_down, settings):
    settings.RENKEI = {**settings.RENKEI, "MAIL_MAX_ATTEMPTS": 5, "MAIL_RETRY_BASE_SECONDS": 60}
    message = message_make()
    delays = []

    for attempt in range(1, 5):
        before = timezone.now()
        assert deliver_outbox_message.call(message.pk) == Status.QUEUED
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.last_error.startswith("ConnectionRefusedError")
        delays.append(round((message.next_attempt_at - before).total_seconds()))
        make_due(message)
    assert deliver_outbox_message.call(message.pk) == Status.FAILED

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 5
    assert message.next_attempt_at is None
    assert delays == [60, 120, 240, 480]


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_permanent_refusal_fails_at_once(smtp_server, stage):
    smtp_server.stage = stage
    smtp_server.replies = ["550 5.1.1 No such user"]
    message = message_make()

    assert deliver_outbox_message.call(message.pk) == Status.FAILED

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error
    assert smtp_server.received == []


def test_unexpected_error_fails_at_once_instead_of_sticking_in_sending(smtp_server, monkeypatch):
    def broken(*, message: OutboxMessage, connection: object = None, sender: object = None) -> None:
        raise UnicodeError("boom")

    monkeypatch.setattr(delivery, "_email_build", broken)
    message = message_make()

    assert deliver_outbox_message.call(message.pk) == Status.FAILED

    message.refresh_from_db()
    assert message.last_error == "UnicodeError: boom"


def test_due_messages_are_sent_in_one_batch(smtp_server):
    due = [message_make(to_email=f"user{i}@example.lg.jp") for i in range(3)]
    later = message_make(next_attempt_at=timezone.now() + dt.timedelta(minutes=5))
    sent = message_make(status=Status.SENT)

    outcomes = deliver_due_messages.call()

    assert outcomes == {"sent": 3, "queued": 0, "failed": 0, "skipped": 0}
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == [m.to_email for m in due]
    later.refresh_from_db()
    sent.refresh_from_db()
    assert later.status == Status.QUEUED
    assert sent.sent_at is None


@pytest.mark.django_db(transaction=True)
def test_database_backend_worker_delivers_queued_mail(smtp_server, db_task_backend):
    [message] = mail_queue(
        to=[("深川 一郎", "fukagawa@example.lg.jp")],
        template="notice",
        context={"subject": "役員会のご案内", "body": "11月の役員会を開催します。"},
        topic="board-meeting",
    )
    [task_row] = DBTaskResult.objects.all()
    assert task_row.status == TaskResultStatus.READY
    assert smtp_server.received == []

    task_worker_run()

    task_row.refresh_from_db()
    assert task_row.status == TaskResultStatus.SUCCESSFUL
    assert task_row.return_value == "sent"
    message.refresh_from_db()
    assert message.status == Status.SENT
    [received] = smtp_server.received
    assert received.parsed()["Subject"] == "役員会のご案内"
    assert received.rcpt_tos == ["fukagawa@example.lg.jp"]


@pytest.mark.django_db(transaction=True)
def test_database_backend_schedules_the_retry_for_when_it_is_due(smtp_server, db_task_backend):
    smtp_server.replies = ["421 4.7.0 Too busy"]
    message = outbox_add(to_email="waki@example.lg.jp", subject="確認", body_text="本文")

    task_worker_run()

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.attempts == 1
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after == message.next_attempt_at
    assert retry.args_kwargs["args"] == [message.pk]
    assert smtp_server.received == []

    # When the time comes, the worker sends it.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    make_due(message)
    task_worker_run()

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(smtp_server.received) == 1


def test_a_mass_mailing_goes_out_in_batches_over_one_session_each(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    addresses = [f"town{i:03d}@example.lg.jp" for i in range(450)]

    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(to=addresses, template="notice", context={"subject": "総会", "body": "本文"})

    assert sorted(r for m in smtp_server.received for r in m.rcpt_tos) == addresses
    assert smtp_server.sessions == 3  # 200 + 200 + 50, one SMTP session per batch
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_batch_keeps_going_after_a_refused_recipient(
    smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.replies = ["550 5.1.1 No such user"]
    addresses = ["nobody@example.lg.jp", "tobetsu@example.lg.jp", "waki@example.lg.jp"]

    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(to=addresses, template="notice", context={"subject": "総会", "body": "本文"})

    statuses = dict(OutboxMessage.objects.values_list("to_email", "status"))
    assert statuses == {
        "nobody@example.lg.jp": Status.FAILED,
        "tobetsu@example.lg.jp": Status.SENT,
        "waki@example.lg.jp": Status.SENT,
    }


def test_a_batch_with_the_server_down_queues_every_message_for_a_retry(
    smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(
            to=["a@example.lg.jp", "b@example.lg.jp"],
            template="notice",
            context={"subject": "総会", "body": "本文"},
        )

    messages = list(OutboxMessage.objects.all())
    assert {m.status for m in messages} == {Status.QUEUED}
    assert {m.attempts for m in messages} == {1}
    assert all(m.next_attempt_at > timezone.now() for m in messages)


def test_a_batch_claims_a_chunk_per_query_and_commits_each_outcome_on_its_own(
    smtp_server, django_assert_num_queries
):
    messages = [message_make(to_email=f"town{i:02d}@example.lg.jp") for i in range(45)]

    # Three chunks (20 + 20 + 5): a claim UPDATE and a SELECT each, then one UPDATE per message,
    # written as the server answers (the duplicate window stays that of one message).
    with django_assert_num_queries(3 * 2 + 45) as captured:
        outcomes, retries = delivery.outbox_batch_deliver(message_ids=[m.pk for m in messages])

    assert outcomes == {Status.SENT: 45} and retries == []
    outcome_updates = [q["sql"] for q in captured.captured_queries[2:22]]
    assert all(sql.startswith("UPDATE") and "sent_at" in sql for sql in outcome_updates)
    assert len(smtp_server.received) == 45
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_batch_does_not_overwrite_a_message_claimed_again_meanwhile(smtp_server):
    slow, retaken = message_make(), message_make(to_email="retaken@example.lg.jp")
    claims = delivery._claimed_in_chunks(message_ids=[slow.pk, retaken.pk])
    first, own_claim = next(claims)
    second, _ = next(claims)
    # The batch outlived its lease and another worker claimed the second message again.
    later = timezone.now() + dt.timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=retaken.pk).update(claimed_at=later)

    delivery.outbox_message_send(message=first, claim=own_claim)
    delivery.outbox_message_send(message=second, claim=own_claim)

    slow.refresh_from_db()
    retaken.refresh_from_db()
    assert slow.status == Status.SENT
    assert (retaken.status, retaken.claimed_at, retaken.sent_at) == (Status.SENDING, later, None)
