"""Benchmark the pages of seminars and trainings: `.venv/bin/python bench/bench_events.py`.

500 published events, one of them with 1,000 registrations (half checked in). Each case against
the trivial layout view measured alternately in the same run:

- `events_list_500`: the event list (first page of 500, with the fiscal year's counts), 5×;
- `event_detail_1000`: the secretariat's view of the event with 1,000 registrations (seats,
  participant counts by kind and prefecture), 5×;
- `event_registrations_1000`: the first page of its registrations, 5×;
- `event_participants_xlsx_1000`: its participant workbook, 1,000 rows, 10×.

Runs on a temporary test database (config.settings.test, in-memory SQLite unless DATABASE_URL
says otherwise).
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
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from bench.harness import PageCase, pages_measure  # noqa: E402

EVENTS = 500
REGISTRATIONS = 1000


def build():
    """Create the events and the registrations of the large one; return it and the secretariat."""
    from django.utils import timezone

    from renkei.accounts.models import Role
    from renkei.directory.models import Organization
    from renkei.directory.municipalities import municipalities_load
    from renkei.events.models import (
        Event,
        EventKind,
        EventStatus,
        Registration,
        RegistrationStatus,
    )
    from renkei.testing import make_user

    municipalities_load()
    organizations = list(Organization.objects.order_by("code")[:REGISTRATIONS])
    secretariat = make_user(
        username="bench-secretariat",
        name="事務局 一郎",
        role=Role.SECRETARIAT,
        organization=organizations[0],
    )
    now = timezone.now()
    kinds = list(EventKind.values)
    events = Event.objects.bulk_create(
        Event(
            title=f"情報政策担当者研修会 第{n + 1}回",
            kind=kinds[n % len(kinds)],
            description="実務的な研修です。",
            starts_at=now + dt.timedelta(days=n - 250, hours=3),
            ends_at=now + dt.timedelta(days=n - 250, hours=6),
            venue="自治会館 大会議室",
            capacity=2000,
            status=EventStatus.PUBLISHED,
            created_by=secretariat,
        )
        for n in range(EVENTS)
    )
    large = events[300]
    Registration.objects.bulk_create(
        (
            Registration(
                event=large,
                status=RegistrationStatus.CONFIRMED,
                organization=organization,
                name=f"参加者 {n:04d}",
                organization_name=organization.name,
                department="情報政策課",
                email=f"p{n:04d}@example.lg.jp",
                checked_in_at=now if n % 2 else None,
            )
            for n, organization in enumerate(organizations)
        ),
        batch_size=500,
    )
    return large, secretariat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    settings.ROOT_URLCONF = "bench.urls"
    try:
        from renkei.testing import login_client

        event, secretariat = build()
        client = login_client(secretariat)
        print(
            f"# {EVENTS:,} events; one with {REGISTRATIONS:,} registrations; {connection.vendor}",
            flush=True,
        )

        results = pages_measure(
            client,
            [
                PageCase("events_list_500", "/events/"),
                PageCase("event_detail_1000", f"/events/{event.pk}/"),
                PageCase("event_registrations_1000", f"/events/{event.pk}/registrations/"),
                PageCase(
                    "event_participants_xlsx_1000",
                    f"/events/{event.pk}/participants.xlsx",
                    target=10,
                    document=True,
                ),
            ],
            repeat=args.repeat,
            target=5,
        )
        for measurement in results:
            print(measurement.line(), flush=True)
        return 0 if all(m.ok for m in results) else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
