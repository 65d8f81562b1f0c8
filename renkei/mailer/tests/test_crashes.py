"""Crashes during delivery, for real: a `db_worker` process killed with SIGKILL while it sends,
and the SMTP server stopped mid-conversation. The worker runs as its own process on its own
SQLite file against an aiosmtpd server on loopback that counts every copy per recipient.

What must hold: every recipient gets the message, and a recipient gets a second copy only
when the worker died after the server had taken the message but before "sent" was committed.
"""

import asyncio
import collections
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings

from tests.smtp import Received, free_port

RECIPIENTS = [f"town{i:02d}@example.lg.jp" for i in range(12)]
VICTIM = RECIPIENTS[4]
LEASE_SECONDS = 2


class CountingHandler:
    """Accept mail and count copies per recipient; stall once on the victim's DATA.

    `keep_stalled` says whether the stalled message counts as received (the server took it
    and then the client vanished before hearing 250: the documented duplicate window).
    """

    def __init__(self, *, keep_stalled: bool = False) -> None:
        self.received: list[Received] = []
        self.stalled = threading.Event()
        self.keep_stalled = keep_stalled
        self._stall_pending = True

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        if VICTIM in envelope.rcpt_tos and self._stall_pending:
            self._stall_pending = False
            if self.keep_stalled:
                self.received.append(received)
            self.stalled.set()
            await asyncio.sleep(60)  # no answer: the test kills the worker or the server
            return "451 4.3.0 Too late"
        self.received.append(received)
        return "250 Message accepted for delivery"

    def copies(self) -> collections.Counter:
        return collections.Counter(r for m in self.received for r in m.rcpt_tos)


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory) -> Path:
    """Migrate one SQLite file for the module; each test works on a copy."""
    path = tmp_path_factory.mktemp("outbox") / "template.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=settings.BASE_DIR,
        env=_env(path, port=1),
        check=True,
        timeout=300,
    )
    return path


@pytest.fixture
def database(migrated_db, tmp_path) -> Path:
    path = tmp_path / "outbox.sqlite3"
    shutil.copy(migrated_db, path)
    return path


def _env(database: Path, *, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "DEFAULT_FROM_EMAIL": "renkei@example.lg.jp",
        "RENKEI_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "RENKEI_MAIL_LEASE_SECONDS": str(LEASE_SECONDS),
    }


QUEUE_SCRIPTS = {
    # One message and one task per recipient (outbox_add).
    "single": """
import django
django.setup()
from django.db import transaction
from renkei.mailer.services import outbox_add
with transaction.atomic():
    for address in {recipients!r}:
        outbox_add(to_email=address, subject="総会のお知らせ", body_text="本文")
""",
    # A mass mailing: one task per batch, one SMTP session for the batch (mail_queue).
    "batch": """
import django
django.setup()
from django.db import transaction
from renkei.mailer import services
services.DELIVERY_BATCH_SIZE = 8  # two batches: the victim in the first
with transaction.atomic():
    services.mail_queue(
        to={recipients!r}, template="notice", context={{"subject": "総会のお知らせ", "body": "本文"}}
    )
""",
}


@pytest.fixture(params=["single", "batch"])
def queue_mode(request) -> str:
    return request.param


def _manage(database: Path, port: int, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=_env(database, port=port),
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )


def _queue(database: Path, port: int, mode: str) -> None:
    """Queue one message per recipient; their delivery tasks go into the task table."""
    subprocess.run(
        [sys.executable, "-c", QUEUE_SCRIPTS[mode].format(recipients=RECIPIENTS)],
        cwd=settings.BASE_DIR,
        env=_env(database, port=port),
        check=True,
        timeout=300,
    )


def _worker_start(database: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        cwd=settings.BASE_DIR,
        env=_env(database, port=port),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _statuses(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT to_email, status FROM mailer_outboxmessage"))


def _recover(database: Path, port: int) -> None:
    """What production does next: cron's `mail_retry_due`, then a worker runs the queue."""
    time.sleep(LEASE_SECONDS + 0.5)
    _manage(database, port, "mail_retry_due")
    _manage(database, port, "db_worker", "--batch", "--no-reload", "--no-startup-delay")


def _smtp_start(handler: CountingHandler, port: int) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def _worker_killed_at_the_victim(
    database: Path, handler: CountingHandler, mode: str
) -> dict[str, str]:
    """Kill the worker at the victim's message, recover; return the statuses the kill left."""
    port = free_port()
    controller = _smtp_start(handler, port)
    try:
        _queue(database, port, mode)
        worker = _worker_start(database, port)
        assert handler.stalled.wait(timeout=120), "the worker never reached the victim"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        left = _statuses(database)
        _recover(database, port)
    finally:
        controller.stop()
    return left


def test_worker_killed_while_sending_leaves_no_message_unsent(database, queue_mode):
    handler = CountingHandler()

    left = _worker_killed_at_the_victim(database, handler, queue_mode)

    assert left[VICTIM] == "sending"
    assert handler.copies() == dict.fromkeys(RECIPIENTS, 1)
    assert set(_statuses(database).values()) == {"sent"}


def test_worker_killed_after_the_server_took_the_message_sends_one_copy_more(database, queue_mode):
    handler = CountingHandler(keep_stalled=True)

    _worker_killed_at_the_victim(database, handler, queue_mode)

    # The documented window: the only duplicate, recognisable by its Message-ID.
    assert handler.copies() == {**dict.fromkeys(RECIPIENTS, 1), VICTIM: 2}
    first, second = (m.parsed()["Message-ID"] for m in handler.received if VICTIM in m.rcpt_tos)
    assert first == second
    assert set(_statuses(database).values()) == {"sent"}


def test_smtp_server_killed_mid_conversation_loses_and_doubles_nothing(database, queue_mode):
    handler = CountingHandler()
    port = free_port()
    controller = _smtp_start(handler, port)
    _queue(database, port, queue_mode)
    worker = _worker_start(database, port)
    try:
        assert handler.stalled.wait(timeout=120), "the worker never reached the victim"
        controller.stop()  # the server goes away while the worker waits for its answer
        _wait_until(lambda: "sending" not in _statuses(database).values())
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    statuses = _statuses(database)
    assert statuses[VICTIM] == "queued"
    # The retries wait for their backoff; let the clock move on, then bring the server back.
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE mailer_outboxmessage SET next_attempt_at = '2000-01-01 00:00:00'"
            " WHERE status = 'queued'"
        )
    controller = _smtp_start(handler, port)
    try:
        _recover(database, port)
    finally:
        controller.stop()

    assert handler.copies() == dict.fromkeys(RECIPIENTS, 1)
    assert set(_statuses(database).values()) == {"sent"}


def _wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
