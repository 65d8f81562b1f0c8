"""Benchmark opening an inquiry to every organization: `.venv/bin/python bench/bench_mailings.py`.

The 1,788 listed organizations each have a notification address. Two cases, each against a
baseline measured in the same run:

- `inquiry_open_national`: the secretariat's POST that opens an inquiry to all of them (it
  fixes 1,788 targets and queues the notices as a web process does), against the trivial
  layout view; target 15× (the request writes 1,788 target rows; it renders no mail).
- `inquiry_open_mailing_task`: the background task rendering those notices (answer links
  included) a chunk at a time, against rendering the very same notices in one
  `contacts_mail` call as the request used to; target 1.5× (chunking and its progress
  records may cost a little, not a multiple).

Runs on a temporary test database (config.settings.test, in-memory SQLite unless
DATABASE_URL says otherwise).
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)

from bench.harness import Measurement, paired_ms  # noqa: E402

OPEN_TARGET = 15
TASK_TARGET = 1.5


def build(drafts: int):
    """Load the organizations with addresses and write `drafts` inquiries to all of them."""
    from django.utils import timezone

    from renkei.accounts.models import Role
    from renkei.directory.models import Organization
    from renkei.directory.municipalities import municipalities_load
    from renkei.inquiries import services
    from renkei.inquiries.models import QuestionKind
    from renkei.testing import make_user

    municipalities_load()
    organizations = list(Organization.objects.order_by("code"))
    for organization in organizations:
        organization.notification_email = f"joho-{organization.code}@example.lg.jp"
    Organization.objects.bulk_update(organizations, ["notification_email"], batch_size=500)
    secretariat = make_user(
        username="bench-secretariat",
        name="事務局 一郎",
        role=Role.SECRETARIAT,
        organization=organizations[0],
    )
    ids = [organization.pk for organization in organizations]
    inquiries = []
    for number in range(drafts):
        inquiry = services.inquiry_create(
            by=secretariat,
            draft=services.InquiryDraft(
                title=f"庁内ネットワークの分離状況について（{number + 1}）",
                purpose="分離方式と移行予定を伺います。",
                deadline=timezone.now() + dt.timedelta(days=14),
            ),
        )
        services.question_create(
            inquiry=inquiry,
            by=secretariat,
            draft=services.QuestionDraft(kind=QuestionKind.YES_NO, text="分離済みですか。"),
        )
        services.inquiry_targets_set(
            inquiry=inquiry, by=secretariat, spec={"mode": "pick", "organization_ids": ids}
        )
        inquiries.append(inquiry)
    return secretariat, inquiries, len(organizations)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    repeat = args.repeat

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    settings.ROOT_URLCONF = "bench.urls"
    # As a web process sees the queue: tasks are recorded, the worker runs them.
    queue = override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    )
    queue.enable()
    try:
        from django_tasks import default_task_backend

        from renkei.inquiries import mailings
        from renkei.inquiries.models import Inquiry, Mailing, MailingStatus
        from renkei.mailer.models import OutboxMessage
        from renkei.testing import login_client

        default_task_backend.clear()
        # paired_ms runs each side once before timing, then `repeat` times.
        secretariat, inquiries, count = build(repeat + 1)
        client = login_client(secretariat)
        print(f"# an inquiry to {count:,} organizations, each with an address", flush=True)
        drafts = iter(inquiries)

        def trivial() -> None:
            if client.get("/bench/baseline/").status_code != 200:
                raise AssertionError("the baseline view failed")

        def open_one() -> None:
            inquiry = next(drafts)
            response = client.post(f"/inquiries/{inquiry.pk}/open/", {"confirm": "yes"})
            if response.status_code != 302:
                raise AssertionError(f"opening answered {response.status_code}")

        open_ms, baseline = paired_ms(open_one, trivial, repeat=repeat)
        if Inquiry.objects.filter(status="open").count() != repeat + 1:
            raise AssertionError("not every inquiry opened")
        # Only the requesting organization (the secretariat's own) is told inside the request.
        if OutboxMessage.objects.filter(to_email__startswith="joho-").count() > repeat + 1:
            raise AssertionError("the request rendered the notices itself")
        results = [
            Measurement(
                name="inquiry_open_national",
                median_ms=open_ms,
                baseline_ms=baseline,
                target=OPEN_TARGET,
            )
        ]

        # The same notices: through the task (chunked, with progress) and in one call. The
        # requesting organization is not its own target.
        targets = list(inquiries[0].targets.values_list("organization_id", flat=True))
        queued = iter(Mailing.objects.filter(template="inquiry_opened").order_by("pk"))

        def task_run() -> None:
            mailing = next(queued)
            mailings.mailing_run.call(mailing_id=mailing.pk)
            mailing.refresh_from_db()
            if mailing.status != MailingStatus.DONE or mailing.message_count != len(targets):
                raise AssertionError("the mailing did not mail every organization")

        # The baseline renders a notice nobody rendered yet (answer links included), like
        # the task does: the inquiries from the end of the list, whose mailings stay queued.
        fresh = iter(reversed(inquiries))

        def one_call() -> None:
            inquiry = next(fresh)
            if mailings.contacts_mail(
                organization_ids=targets, template="inquiry_opened", inquiry=inquiry, links=True
            ) != len(targets):
                raise AssertionError("the single call did not mail every organization")

        # Fewer rounds: each side renders 1,788 mails, on inquiries of its own.
        rounds = max(1, (repeat + 1) // 2 - 1)
        task_ms, call_ms = paired_ms(task_run, one_call, repeat=rounds)
        results.append(
            Measurement(
                name="inquiry_open_mailing_task",
                median_ms=task_ms,
                baseline_ms=call_ms,
                target=TASK_TARGET,
            )
        )
        for measurement in results:
            print(measurement.line(), flush=True)
        return 0 if all(m.ok for m in results) else 1
    finally:
        queue.disable()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
