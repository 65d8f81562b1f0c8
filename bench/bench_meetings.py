"""Benchmark the meeting pages: `.venv/bin/python bench/bench_meetings.py`.

A 役員会 with 100 attendees (100 organizations) and 30 agenda items with materials, and its
minutes of a three-hour meeting (300 statements). Each case is paired with the trivial layout
view (bench.urls) for the same logged-in user, in the same run:

- `meeting_page` (the meeting with its replies, agenda and materials), target 5×;
- `minutes_page` (the structured minutes, 300 statements), target 5×;
- `minutes_docx` (the Word export of those minutes), target 10×.

Runs on a temporary test database (config.settings.test, in-memory SQLite unless
DATABASE_URL says otherwise).
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_test_environment,
    teardown_test_environment,
)

from bench.harness import PageCase, pages_measure  # noqa: E402

ATTENDEES = 100
ITEMS = 30
STATEMENTS = 300


def build_dataset():
    """Create the council, the meeting and its minutes; return (meeting, secretariat)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from renkei.directory.models import Organization, OrganizationKind, Person
    from renkei.meetings import services
    from renkei.meetings.minutes_text import minutes_render
    from renkei.meetings.models import Response
    from renkei.meetings.selectors import minutes_parsed
    from renkei.testing import make_council

    council = make_council()
    by = council.secretariat
    TOTP.activate(by, generate_totp_secret())
    start = timezone.now() - dt.timedelta(days=1)
    meeting = services.meeting_create(
        by=by, title="役員会", kind="board", starts_at=start, venue="会議室", scope="board"
    )
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"団体{n}", kind=OrganizationKind.CITY) for n in range(ATTENDEES)]
    )
    people = Person.objects.bulk_create(
        [Person(name=f"出席者{n}", organization=o) for n, o in enumerate(orgs)]
    )
    services.invitees_add(meeting=meeting, by=by, organizations=orgs, category="役員")
    Response.objects.bulk_create(
        [
            Response(
                meeting=meeting,
                person=p,
                organization_id=p.organization_id,
                reply="attend",
                category="役員",
                attended=True,
            )
            for p in people
        ]
    )
    for n in range(ITEMS):
        item = services.agenda_item_add(
            meeting=meeting, by=by, title=f"議題{n + 1}について", presenter="事務局"
        )
        services.material_add(
            meeting=meeting,
            by=by,
            title=f"資料{n + 1}",
            agenda_item=item,
            file=SimpleUploadedFile(f"s{n}.txt", "資料".encode()),
        )
    minutes = services.minutes_create(meeting=meeting, by=by)
    parsed = minutes_parsed(minutes=minutes)
    per_item = STATEMENTS // ITEMS
    lines = minutes_render(parsed).splitlines()
    text = []
    for line in lines:
        text.append(line)
        if line.endswith("説明が行われた。"):
            for k in range(per_item):
                speaker = "事務局" if k % 2 else f"団体{k}"
                text += ["", f"({speaker})", "", "発言の内容である。" * 8]
    services.minutes_text_save(minutes=minutes, by=by, text="\n".join(text))
    return meeting, by


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    # bench/run --quick passes the inquiry benchmark's options too; they do not apply here.
    args, _ = parser.parse_known_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    settings.ROOT_URLCONF = "bench.urls"
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-meetings-")
    try:
        from renkei.meetings.models import Statement

        meeting, user = build_dataset()
        assert Statement.objects.filter(section__minutes__meeting=meeting).count() == STATEMENTS
        client = Client()
        client.force_login(user)

        print(
            f"# meeting with {ATTENDEES} attendees, {ITEMS} agenda items, minutes with "
            f"{STATEMENTS} statements; {connection.vendor}",
            flush=True,
        )
        results = pages_measure(
            client,
            [
                PageCase("meeting_page", f"/meetings/{meeting.pk}/"),
                PageCase("minutes_page", f"/meetings/{meeting.pk}/minutes/"),
                PageCase(
                    "minutes_docx", f"/meetings/{meeting.pk}/minutes.docx", target=10, document=True
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
