"""Benchmark a mass mailing: `.venv/bin/python bench/bench_announcements.py`.

2,000 member organizations, each with a shared mailbox and nine 連絡窓口, make 20,000
notification addresses. Two cases, each with its baseline measured in the same run:

- `announcement_publish_request`: the secretariat's POST that publishes an お知らせ to all
  members and starts its delivery (the django-tasks-db backend: the work is only queued),
  against the trivial layout view (bench.urls), target 5×;
- `announcement_delivery_per_message`: the worker's batches (`outbox_batch_deliver`, 200 a
  session, each message claimed and its outcome committed) handing the 20,000 messages to a
  local aiosmtpd sink, against a bare smtplib loop sending the same bytes to the same sink
  over one connection; time per message, target 2× (no less than half the bare rate). The
  two alternate a batch (200 messages) at a time, so load from elsewhere falls on both.

Runs on a temporary test database (config.settings.test, in-memory SQLite unless
DATABASE_URL says otherwise).
"""

import argparse
import multiprocessing
import os
import smtplib
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.harness import Measurement  # noqa: E402

ORGANIZATIONS = 2000
CONTACTS_PER_ORGANIZATION = 9
PUBLISH_TARGET = 5
DELIVERY_TARGET = 2


class Sink:
    """An aiosmtpd handler that accepts and counts, keeping nothing."""

    def __init__(self, counter) -> None:
        self.counter = counter

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.counter.get_lock():
            self.counter.value += len(envelope.rcpt_tos)
        return "250 OK"


def _sink_run(port: int, counter, ready) -> None:
    """Run the sink in its own process, as a local MTA would be (no shared interpreter lock)."""
    from aiosmtpd.controller import Controller

    controller = Controller(Sink(counter), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def build(organizations: int):
    """Create the member organizations, their addresses and a secretariat user with TOTP."""
    import datetime as dt

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from renkei.accounts.models import Role
    from renkei.directory.models import Membership, Organization, OrganizationKind, Person, Post
    from renkei.testing import make_organization, make_user

    secretariat_org = make_organization(
        code=None, name="事務局", kind=OrganizationKind.SECRETARIAT, member_since=None
    )
    user = make_user(
        username="bench-secretariat",
        name="事務局 花子",
        role=Role.SECRETARIAT,
        organization=secretariat_org,
    )
    TOTP.activate(user, generate_totp_secret())
    orgs = Organization.objects.bulk_create(
        Organization(
            code=f"9{i:05d}",
            name=f"試験町{i}",
            kind=OrganizationKind.TOWN,
            prefecture_code=f"{i % 47 + 1:02d}",
            notification_email=f"joho@town{i}.example.lg.jp",
        )
        for i in range(organizations)
    )
    Membership.objects.bulk_create(
        Membership(organization=o, category="regular", joined_on=dt.date(2008, 4, 1)) for o in orgs
    )
    people = Person.objects.bulk_create(
        (
            Person(
                name=f"担当{k}",
                email=f"tanto{k}@town{i}.example.lg.jp",
                organization=o,
            )
            for i, o in enumerate(orgs)
            for k in range(CONTACTS_PER_ORGANIZATION)
        ),
        batch_size=500,
    )
    Post.objects.bulk_create(
        (
            Post(organization_id=p.organization_id, title="情報担当", is_contact=True, holder=p)
            for p in people
        ),
        batch_size=500,
    )
    return user


def draft(user):
    from renkei.announcements import services

    return services.announcement_create(
        by=user,
        title="令和8年度 トピックスセミナーのご案内",
        body="地方自治情報センターが主催する「トピックスセミナー」を本会のセミナーとして開催します。\n\n"
        "- 日時：令和9年2月10日（水）10:00～15:00\n- 場所：全国町村議員会館",
        kind="notice",
        audience="all",
    )


def publish_case(client: Client, user, repeat: int) -> Measurement:
    """Time the publishing POST (queue only) against the trivial view, alternately."""
    from renkei.announcements.models import Delivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks import task_backends

    task_backends._settings = None  # let the handler read the new setting
    if hasattr(task_backends, "_connections"):
        task_backends.__dict__.pop("settings", None)
    client.get("/bench/baseline/")
    samples, baseline = [], []
    for _ in range(repeat + 1):
        announcement = draft(user)
        url = f"/announcements/manage/{announcement.pk}/publish/"
        start = time.perf_counter()
        response = client.post(url, {"confirm": "yes"})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
        start = time.perf_counter()
        client.get("/bench/baseline/")
        baseline.append((time.perf_counter() - start) * 1000)
    assert Delivery.objects.count() == repeat + 1
    return Measurement(
        "announcement_publish_request",
        statistics.median(samples[1:]),
        statistics.median(baseline[1:]),
        PUBLISH_TARGET,
    )


def delivery_case(user, port: int, sink) -> tuple[Measurement, int, float]:
    """Queue a 20,000-recipient delivery, then time the worker against a bare smtplib loop."""
    from renkei.announcements import services
    from renkei.announcements.models import Delivery
    from renkei.mailer.delivery import _email_build, outbox_batch_deliver
    from renkei.mailer.models import OutboxMessage, Status
    from renkei.mailer.services import DELIVERY_BATCH_SIZE

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""

    announcement = draft(user)
    announcement.status = "published"
    announcement.save()
    delivery = Delivery.objects.create(
        announcement=announcement, started_at=announcement.created_at, fiscal_year=2026
    )
    start = time.perf_counter()
    services.delivery_prepare(delivery=delivery)  # what the deliver_announcement task does
    prepare_s = time.perf_counter() - start
    ids = list(
        OutboxMessage.objects.filter(topic=delivery.topic)
        .order_by("id")
        .values_list("id", flat=True)
    )
    count = len(ids)

    # The bare loop: the same bytes (the first message's), one connection, sendmail each; it
    # and the worker take turns, a batch each.
    sample = OutboxMessage.objects.get(pk=ids[0])
    sample.status = Status.SENDING
    raw = _email_build(message=sample).message().as_bytes(linesep="\r\n")
    addresses = list(OutboxMessage.objects.filter(pk__in=ids).values_list("to_email", flat=True))
    sink.value = 0
    bare_s = worker_s = 0.0
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for offset in range(0, count, DELIVERY_BATCH_SIZE):
            start = time.perf_counter()
            for address in addresses[offset : offset + DELIVERY_BATCH_SIZE]:
                smtp.sendmail("renkei@example.lg.jp", [address], raw)
            bare_s += time.perf_counter() - start
            start = time.perf_counter()
            outbox_batch_deliver(message_ids=ids[offset : offset + DELIVERY_BATCH_SIZE])
            worker_s += time.perf_counter() - start
    assert sink.value == 2 * count, (sink.value, count)
    assert OutboxMessage.objects.filter(topic=delivery.topic, status=Status.SENT).count() == count
    measurement = Measurement(
        "announcement_delivery_per_message",
        worker_s * 1000 / count,
        bare_s * 1000 / count,
        DELIVERY_TARGET,
    )
    return measurement, count, prepare_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--organizations", type=int, default=ORGANIZATIONS)
    args = parser.parse_args()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    settings.ROOT_URLCONF = "bench.urls"
    from tests.smtp import free_port

    port = free_port()
    sink = multiprocessing.Value("l", 0)
    ready = multiprocessing.Event()
    process = multiprocessing.Process(target=_sink_run, args=(port, sink, ready), daemon=True)
    process.start()
    ready.wait(timeout=60)
    try:
        user = build(args.organizations)
        client = Client()
        client.force_login(user)
        publish = publish_case(client, user, args.repeat)
        delivery, count, prepare_s = delivery_case(user, port, sink)
    finally:
        process.terminate()
    print(
        f"# {count:,} recipients ({args.organizations:,} organizations); {connection.vendor}; "
        f"preparing them (recipients, rendering, bulk insert) took {prepare_s:.1f}s in the "
        f"worker; worker {1000 / delivery.median_ms:,.0f} msg/s, bare smtplib "
        f"{1000 / delivery.baseline_ms:,.0f} msg/s",
        flush=True,
    )
    failed = False
    for measurement in (publish, delivery):
        print(measurement.line(), flush=True)
        failed |= not measurement.ok
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
