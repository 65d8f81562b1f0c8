"""manage.py seed_scale: a national-size council for load tests (see docs/operations.md)."""

import dataclasses
import time

from django.core.management.base import CommandError

from renkei.devdata.management.development import DevelopmentCommand
from renkei.devdata.scale import (
    BIG_TITLE_PREFIX,
    FULL,
    SCALE_PASSWORD,
    SCALE_TOTP_SECRET,
    SECRETARIAT_USERNAME,
    SMALL,
    ScaleDataError,
    scale_load,
    scale_username,
)


class Command(DevelopmentCommand):
    help = (
        "Build a national-size council on an empty database: all 1,788 organizations as "
        "members, 20,000 people with accounts, 2,000 inquiries with answers, 300 polls, "
        "300 announcements, 500 events, 60 meetings and an e-conference room of 10,000+ threads."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument("--people", type=int, help=f"accounts (default {FULL.people:,})")
        parser.add_argument(
            "--inquiries",
            type=int,
            help=f"inquiries, big ones included (default {FULL.inquiries:,})",
        )
        parser.add_argument("--polls", type=int, help=f"polls (default {FULL.polls})")
        parser.add_argument(
            "--big-inquiries",
            type=int,
            help=f"inquiries with {60} questions answered by every organization "
            f"(default {FULL.big_inquiries})",
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help=f"a reduced set: {SMALL.people} people, {SMALL.inquiries} inquiries, "
            f"{SMALL.big_inquiries} big inquiry, {SMALL.polls} polls",
        )

    def handle(self, *args, **options) -> None:
        base = SMALL if options["small"] else FULL
        # The other features' sizes follow the base set (--small or full).
        size = dataclasses.replace(
            base,
            people=options["people"] if options["people"] is not None else base.people,
            inquiries=options["inquiries"] if options["inquiries"] is not None else base.inquiries,
            polls=options["polls"] if options["polls"] is not None else base.polls,
            big_inquiries=(
                options["big_inquiries"]
                if options["big_inquiries"] is not None
                else base.big_inquiries
            ),
        )
        if size.people < 1 or size.polls < 0 or not 0 <= size.big_inquiries <= size.inquiries:
            raise CommandError(
                "--people must be at least 1 and --big-inquiries between 0 and --inquiries."
            )
        self.stdout.write(
            f"seed_scale --seed {options['seed']}: {size.people:,} people, "
            f"{size.inquiries:,} inquiries ({size.big_inquiries} big), {size.polls:,} polls"
        )
        started = time.perf_counter()
        try:
            scale_load(seed=options["seed"], size=size, progress=self.stdout.write)
        except ScaleDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"total: {time.perf_counter() - started:.1f} s")
        self.stdout.write("")
        self.stdout.write(f"Password of every account: {SCALE_PASSWORD}")
        last = scale_username(size.people - 1)
        self.stdout.write(
            f"  {scale_username(0)} … {last}: members; the first of each organization is its "
            "団体管理者, the others 会員職員 (a few 役員)"
        )
        self.stdout.write(f"  {SECRETARIAT_USERNAME}: 事務局 (TOTP secret {SCALE_TOTP_SECRET})")
        self.stdout.write(f"Big inquiries: titles start with {BIG_TITLE_PREFIX}")
